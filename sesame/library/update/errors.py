"""The refusals of the borrower update: one subclass of the library's error base."""

from sesame.library.common.errors import LibraryRefused


class UpdateRefused(LibraryRefused):
    """The update cannot go on as asked (a file, an expression, a stale analysis); nothing changed."""
