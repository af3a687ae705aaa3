"""What the update's database tests share: analyse a file, dump the borrowers, expect a refusal.

The rentrée itself (last year's base, this year's file) is the ``rentree`` fixture of conftest.py.
"""

from datetime import date

import pytest

from sesame.library.models import Borrower, Loan
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.services import update_analyse, update_apply
from tests.library.factories import make_loan, users_file

PUPILS = "Statut=Elève"
COMPARED = ("number", "name", "status", "school_class", "birth_date", "email", "ent_identity",
            "borrower_type")


def analyse(library, people=(), lot="", *, content=None, anonymize=True, acting_user=None):
    content = users_file(people) if content is None else content
    return update_analyse(library=library, file_name="export_ent.xml", content=content, lot_expression=lot,
                          anonymize_history=anonymize, acting_user=acting_user)


def db_borrowers(library) -> list[tuple]:
    return sorted(Borrower.objects.filter(library=library).values_list(*COMPARED))


def memory_borrowers(rows) -> list[tuple]:
    return sorted(tuple(getattr(row, name) for name in COMPARED) for row in rows)


def refused(call, *args, **kwargs) -> UpdateRefused:
    with pytest.raises(UpdateRefused) as caught:
        call(*args, **kwargs)
    return caught.value


# --- What may happen to the base between two steps --------------------------------------------------


def make_a_loan(rentree):
    make_loan(rentree["base"]["marie"])


def edit_a_borrower(rentree):
    Borrower.objects.filter(pk=rentree["base"]["garnier"].pk).update(email="p.garnier@example.org")


def return_a_loan(rentree):
    Loan.objects.filter(pk=rentree["loans"]["jade_open"].pk).update(returned_on=date(2025, 9, 3))


def apply_another_update(rentree):
    update_apply(run=analyse(rentree["library"], rentree["people"][:1]).run, acting_user=None)


BASE_CHANGED = ("La base des emprunteurs a changé depuis l'analyse (une autre mise à jour, un prêt ou une "
                "modification). Relancez l'analyse avant l'importation.")
