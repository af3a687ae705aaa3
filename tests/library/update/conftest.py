"""The rentrée every update test starts from: last year's collège and this year's ENT file.

(The ``library`` itself is the one of ``tests/library/conftest.py``.)
"""

from datetime import date

import pytest

from sesame.library.models import Loan
from tests.library.factories import make_borrower, make_loan, person


@pytest.fixture
def rentree(library):
    """Six borrowers of last year, and the ENT's file of this year.

    Marie moves up (same birth date: a sure match); Hugo has no birth date in the base (a name-only
    match, shown "?"); Emma already carries her ENT identity; Jade left with a book at home; Léo left
    with only returned loans; M. Garnier (a teacher) is not in the file. Chloé and Mme Faure arrive.
    """
    base = {
        "marie": make_borrower(library, "DUPONT Marie", school_class="5eA", birth_date=date(2012, 3, 4)),
        "hugo": make_borrower(library, "LEROY Hugo", school_class="6eB"),
        "emma": make_borrower(library, "ROUX Emma", school_class="4eC", birth_date=date(2011, 1, 9),
                              ent_identity="ENT-ROUX"),
        "jade": make_borrower(library, "PETIT Jade", school_class="3eA", birth_date=date(2010, 6, 1)),
        "leo": make_borrower(library, "MOREAU Léo", school_class="3eB", birth_date=date(2010, 2, 2),
                             email="leo@example.org"),
        "garnier": make_borrower(library, "GARNIER Paul", status="Enseignant"),
    }
    loans = {
        "jade_open": make_loan(base["jade"]),
        "jade_returned": make_loan(base["jade"], returned=True),
        "leo_returned": make_loan(base["leo"], returned=True),
        "leo_returned_2": make_loan(base["leo"], returned=True),
        "hugo_open": make_loan(base["hugo"]),
    }
    Loan.objects.filter(pk=loans["leo_returned_2"].pk).update(borrower_status="", borrower_class="")
    people = [
        person("DUPONT Marie", school_class="4eA", birth_date=date(2012, 3, 4), ent_identity="ENT-DUPONT"),
        person("LEROY Hugo", school_class="5eB", birth_date=date(2013, 7, 8), ent_identity="ENT-LEROY"),
        person("ROUX Emma", school_class="3eC", birth_date=date(2011, 1, 9), ent_identity="ENT-ROUX",
               email="emma.roux@example.org"),
        person("BLANC Chloé", school_class="6eA", birth_date=date(2014, 4, 4), ent_identity="ENT-BLANC"),
        person("FAURE Anne", status="Enseignant", ent_identity="ENT-FAURE"),
    ]
    return {"library": library, "base": base, "loans": loans, "people": people}


# --- The pages' collège -----------------------------------------------------------------------


@pytest.fixture
def browser_client(client, librarian):
    client.force_login(librarian)
    return client


@pytest.fixture
def base(library):
    """Last year's pupils and one teacher, with a returned loan and an open one."""
    borrowers = {
        "martin_a": make_borrower(library, "MARTIN Lucas", school_class="5eA"),
        "martin_b": make_borrower(library, "MARTIN Lucas", school_class="5eB"),
        "dupond": make_borrower(library, "DUPOND Marie", school_class="4eB", birth_date=date(2011, 3, 14)),
        "bernard": make_borrower(library, "BERNARD Emma", school_class="6eA"),
        "petit": make_borrower(library, "PETIT Hugo", school_class="3eA"),
        "roux": make_borrower(library, "ROUX Nina", school_class="3eB"),
        "durand": make_borrower(library, "DURAND Claire", status="Enseignant"),
    }
    make_loan(borrowers["petit"], returned=True)
    make_loan(borrowers["roux"])
    make_loan(borrowers["bernard"], returned=True)
    return borrowers
