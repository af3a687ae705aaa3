"""The library (CDI) of one establishment: borrowers, catalogue, copies, loans (SPEC §2).

Every row belongs to one ``Library``, identified by the establishment's UAI; the library never
reads the ENT's tables, it learns about people only through the users file. ``Loan.borrower`` is
``PROTECT``: the database itself refuses to delete a borrower who still has a loan row, so no
code path can lose a loan by deleting its borrower.

Circulation (``circulation.py``, ``temporary_users.py``) adds the loan rules per status, the
reservation queue, the notices the librarian reads ("BCDI vous en informera", seed C7) and the
desk journal of who did what. ``Reservation.borrower`` is ``PROTECT`` too: whatever deletes
borrowers first drops their reservations (``circulation_rules.reservations_drop``).
"""

from sesame.library.models.borrowers import Borrower, BorrowerType
from sesame.library.models.catalogue import Copy, CopyStatus, Record
from sesame.library.models.circulation import (
    ACTIVE_RESERVATION_STATES,
    Loan,
    LoanRule,
    Reservation,
    ReservationState,
)
from sesame.library.models.journal import CirculationAction, CirculationEvent, LibraryNotice, NoticeKind
from sesame.library.models.tenancy import Librarian, Library
from sesame.library.models.update import UpdateRun

__all__ = [
    "ACTIVE_RESERVATION_STATES",
    "Borrower",
    "BorrowerType",
    "CirculationAction",
    "CirculationEvent",
    "Copy",
    "CopyStatus",
    "Librarian",
    "Library",
    "LibraryNotice",
    "Loan",
    "LoanRule",
    "NoticeKind",
    "Record",
    "Reservation",
    "ReservationState",
    "UpdateRun",
]
