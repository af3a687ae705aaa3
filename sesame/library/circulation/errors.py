"""The desk's refusals: one subclass of the library's error base."""

from sesame.library.common.errors import LibraryRefused


class CirculationRefused(LibraryRefused):
    """An operation the desk's rules forbid (a loan, a return, a reservation, a copy's status)."""
