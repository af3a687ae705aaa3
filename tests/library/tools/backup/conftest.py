"""A small collège with every kind of row, next to another school's base: what the backup tests restore.

Borrowers, records, copies, open, returned and anonymous loans, a loan rule, reservations, an
alert, a journal line. The round trip must give back every column of every row, ids included;
every refusal must leave every table of every library exactly as it was.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from sesame.library.models import Librarian, LibrarianAlert, LibraryEvent, Loan, LoanRule, Record, Reservation
from tests.library.factories import OTHER_UAI, make_borrower, make_copy, make_library, make_loan, make_record

from .helpers import NOW, UAI


@pytest.fixture
def library(db):
    return make_library(UAI, "Collège Victor Hugo")


@pytest.fixture
def other(db):
    """Another school of the same installation, with rows of its own that nothing may touch."""
    other = make_library(OTHER_UAI, "Lycée voisin")
    make_loan(make_borrower(other, "AUTRE Élève", school_class="2nde1"), returned=True)
    return other


@pytest.fixture
def librarian(library):
    user = get_user_model().objects.create_user("documentaliste", password="x", first_name="Léa")
    Librarian.objects.create(library=library, user=user)
    return user


@pytest.fixture
def base(library, other, librarian):
    """Every table of the backup, with the awkward values: accents, NULLs, microseconds, anonymous."""
    pupil = make_borrower(library, "LEFÈVRE Chloé", school_class="6eA", birth_date=date(2014, 2, 3),
                          email="chloe@example.org", ent_identity="ENT-LEFEVRE")
    teacher = make_borrower(library, "O'BRIEN Kévin", status="Enseignant")
    temporary = make_borrower(library, "MARTIN Lucas", school_class="3eB", borrower_type="Usager temporaire")
    record = make_record(library, "Œdipe roi")
    Record.objects.filter(pk=record.pk).update(year=2004, isbn="9782070360024", subjects="Tragédie ; Grèce")
    copies = [make_copy(library, record), make_copy(library, record), make_copy(library)]
    open_loan = make_loan(pupil, copy=copies[0])
    returned = make_loan(teacher, returned=True, copy=copies[1])
    anonymous = make_loan(temporary, returned=True, loaned_on=date(2024, 11, 5))
    Loan.objects.filter(pk=anonymous.pk).update(borrower=None)
    make_loan(temporary, copy=copies[2])
    LoanRule.objects.create(library=library, status="Elève", loan_days=14, max_loans=3)
    Reservation.objects.create(library=library, record=record, borrower=teacher, created_at=NOW)
    Reservation.objects.create(library=library, record=copies[1].record, borrower=pupil, state="ready",
                               copy=copies[1], created_at=NOW, ready_at=NOW)
    LibrarianAlert.objects.create(library=library, kind="reservation_ready", message="Réservation prête.",
                                 borrower=pupil, created_at=NOW)
    LibraryEvent.objects.create(library=library, actor=librarian, action="checkout", borrower=pupil,
                                    copy=copies[0], detail=f"{copies[0].barcode} → n° {pupil.number}")
    return {"pupil": pupil, "teacher": teacher, "temporary": temporary, "record": record, "copies": copies,
            "open_loan": open_loan, "returned": returned}


@pytest.fixture
def english():
    """For a test that asks for English pages: the language its requests activated is dropped after."""
    yield
    translation.deactivate()
