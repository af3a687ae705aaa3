"""The borrowers of a small collège, shared by the borrower pages' and services' tests."""

import pytest

from sesame.library.models import BorrowerType
from tests.library.factories import make_borrower, make_loan


@pytest.fixture
def base(library):
    """Pupils spelt as years of typing left them, a teacher, and a temporary borrower with a loan."""
    borrowers = {
        "dupont": make_borrower(library, "DUPONT Marie", status="Elève", school_class="3eA"),
        "leroy": make_borrower(library, "LEROY Hugo", status="Eleve", school_class="3eB"),
        "nguyen": make_borrower(library, "NGUYEN Thomas", status="élève", school_class="4eA"),
        "bernard": make_borrower(library, "BERNARD Emma", status="Élève", school_class="6eC"),
        "durand": make_borrower(library, "DURAND Claire", status="Enseignant"),
        "roux": make_borrower(library, "ROUX Nina", status="Elève", school_class="3eC",
                              borrower_type=BorrowerType.TEMPORARY, ent_identity="ENT000042"),
    }
    make_loan(borrowers["dupont"])
    make_loan(borrowers["dupont"])
    make_loan(borrowers["dupont"], returned=True)
    make_loan(borrowers["roux"])
    return borrowers
