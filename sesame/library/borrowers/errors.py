"""The refusals of *Gestion des emprunteurs*: one subclass of the library's error base each."""

from sesame.library.common.errors import LibraryRefused


class BorrowerRefused(LibraryRefused):
    """A change to a borrower's record the rules forbid (an unknown number, a temporary user's type)."""


class CheckRefused(BorrowerRefused):
    """A fix of "Vérifier avant la première mise à jour" that cannot be made as asked."""
