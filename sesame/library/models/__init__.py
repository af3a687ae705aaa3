"""The library (CDI) of one establishment: borrowers, catalogue, copies, loans (SPEC §2).

Every row belongs to one ``Library``, identified by the establishment's UAI; the library never
reads the ENT's tables, it learns about people only through the users file. ``Loan.borrower`` is
``PROTECT``: the database itself refuses to delete a borrower who still has a loan row, so no
code path can lose a loan by deleting its borrower.

Circulation adds the loan rules per status, the reservation queue and the alerts the librarian
reads ("BCDI vous en informera", seed C7); ``LibraryEvent`` is the journal of who did what, for
every capability. ``Reservation.borrower`` is ``PROTECT`` too: whatever deletes borrowers first
drops their reservations (``reservations_drop`` in the circulation capability).

One module per aggregate; everything is re-exported here, so ``from sesame.library.models
import Loan`` is the one way to name a model.
"""

from sesame.library.models.borrowers import Borrower, BorrowerType
from sesame.library.models.catalogue import Copy, CopyStatus, Record
from sesame.library.models.circulation import (
    ACTIVE_RESERVATION_STATES,
    Loan,
    LoanQuerySet,
    LoanRule,
    Reservation,
    ReservationState,
)
from sesame.library.models.journal import AlertKind, EventAction, LibrarianAlert, LibraryEvent
from sesame.library.models.tenancy import Librarian, Library
from sesame.library.models.update import UpdateRun

__all__ = [
    "ACTIVE_RESERVATION_STATES",
    "AlertKind",
    "Borrower",
    "BorrowerType",
    "Copy",
    "CopyStatus",
    "EventAction",
    "Librarian",
    "LibrarianAlert",
    "Library",
    "LibraryEvent",
    "Loan",
    "LoanQuerySet",
    "LoanRule",
    "Record",
    "Reservation",
    "ReservationState",
    "UpdateRun",
]
