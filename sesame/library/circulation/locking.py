"""The rows a desk operation locks first: the borrower, the copy, its open loan.

Every circulation service (and the temporary users' ones) takes these locks before reading what
it is about to change, so two desks scanning the same copy queue instead of lending it twice.
"""

from __future__ import annotations

from sesame.library.circulation.errors import CirculationRefused
from sesame.library.common.locking import SELF, one
from sesame.library.models import Borrower, Copy, Library, Loan


def locked_borrower(library: Library, borrower: Borrower) -> Borrower:
    found = one(Borrower.objects.select_for_update(of=SELF).filter(library=library, pk=borrower.pk))
    if found is None:
        raise CirculationRefused("Cet emprunteur n'existe pas (ou plus) dans cette bibliothèque.",
                                 "unknown_borrower")
    return found


def locked_copy(library: Library, barcode: str) -> Copy:
    code = barcode.strip()
    copy = one(Copy.objects.select_for_update(of=SELF).select_related("record", "library")
               .filter(library=library, barcode=code))
    if copy is None:
        raise CirculationRefused(f"Code-barre inconnu : aucun exemplaire « {code} » dans cette bibliothèque.",
                                 "unknown_barcode")
    return copy


def open_loan(copy: Copy) -> Loan | None:
    return one(Loan.objects.select_for_update(of=SELF).select_related("borrower")
               .filter(copy=copy, returned_on__isnull=True))
