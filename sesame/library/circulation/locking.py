"""The rows a desk operation locks first: the borrower, the copy, its open loan.

Every circulation service (and the temporary users' ones) takes these locks before reading what
it is about to change, so two desks scanning the same copy queue instead of lending it twice.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sesame.library.circulation.errors import CirculationRefused
from sesame.library.common.locking import SELF, one
from sesame.library.models import Borrower, Copy, Library, Loan

# What a missing borrower is called in the refusal: the reassignment locks two borrowers and
# must say which one has gone (deleted at another desk, or of another library).
_MISSING_BORROWER = {
    "borrower": gettext_noop("Cet emprunteur n'existe pas (ou plus) dans cette bibliothèque."),
    "receiver": gettext_noop("L'emprunteur choisi n'existe pas (ou plus) dans cette bibliothèque."),
    "temporary_user": gettext_noop("L'usager temporaire n'existe pas (ou plus) dans cette bibliothèque."),
}


def locked_borrower(library: Library | None, borrower: Borrower, *, role: str = "borrower") -> Borrower:
    """The borrower's row, locked and read again; refused (``unknown_borrower``) when it is gone.

    ``library`` None locks the borrower in their own library (a change made from their record);
    otherwise a borrower of another library is refused as unknown. ``role`` (``borrower``,
    ``receiver``, ``temporary_user``) chooses how the refusal names them.
    """
    rows = Borrower.objects.select_for_update(of=SELF).filter(pk=borrower.pk)
    if library is not None:
        rows = rows.filter(library=library)
    found = one(rows)
    if found is None:
        raise CirculationRefused(_(_MISSING_BORROWER[role]), "unknown_borrower")
    return found


def locked_copy(library: Library, barcode: str) -> Copy:
    code = barcode.strip()
    copy = one(Copy.objects.select_for_update(of=SELF).select_related("record", "library")
               .filter(library=library, barcode=code))
    if copy is None:
        raise CirculationRefused(
            _("Code-barre inconnu : aucun exemplaire « %(barcode)s » dans cette bibliothèque.")
            % {"barcode": code},
            "unknown_barcode")
    return copy


def open_loan(copy: Copy) -> Loan | None:
    return one(Loan.objects.open().select_for_update(of=SELF).select_related("borrower").filter(copy=copy))
