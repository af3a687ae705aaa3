"""*Annuler la dernière mise à jour*: exactly the base before the import, or a refusal (seed C).

The import keeps the before-image of everything it changed; the undo replays it backwards only
if nothing touched the base since, and otherwise refuses and changes nothing.
"""


import pytest

from sesame.library.models import Borrower, Loan, UpdateRun
from sesame.library.update.services import update_apply, update_undo
from tests.library.factories import base_dump
from tests.library.update.support import (
    PUPILS,
    analyse,
    edit_a_borrower,
    make_a_loan,
    refused,
    return_a_loan,
)

pytestmark = pytest.mark.django_db


# --- Undo ------------------------------------------------------------------------------------------


def test_undo_restores_exactly_the_base_before_the_import(rentree):
    """Given an import that created, updated, set aside, deleted, anonymised; when undone, then as before."""
    library = rentree["library"]
    before = base_dump(library)
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)
    assert base_dump(library) != before

    run = update_undo(library=library, acting_user=None)

    assert base_dump(library) == before
    assert run.state == UpdateRun.State.UNDONE
    # The same file can be analysed and imported again afterwards, with the same result.
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)
    assert Borrower.objects.get(name="BLANC Chloé").number == 7


@pytest.mark.parametrize("change", [make_a_loan, edit_a_borrower, return_a_loan])
def test_undo_is_refused_when_the_base_changed_after_the_import(rentree, change):
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)
    change(rentree)
    before = base_dump()

    refusal = refused(update_undo, library=library, acting_user=None)

    assert refusal.message == ("La base a été modifiée depuis cette mise à jour (prêts, retours ou fiches) : "
                               "l'annulation restaurerait un état qui n'existe plus. Elle est refusée.")
    assert base_dump() == before
    assert UpdateRun.objects.get(state=UpdateRun.State.APPLIED)


def test_undo_is_refused_when_an_anonymised_loan_was_purged_since(rentree):
    """Given the import anonymised Léo's loans, when one is purged, then undo would be inexact: refused."""
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)
    Loan.objects.filter(pk=rentree["loans"]["leo_returned"].pk).delete()
    before = base_dump()

    refusal = refused(update_undo, library=library, acting_user=None)

    assert refusal.code == "base_changed"
    assert base_dump() == before


def test_undo_without_any_import_is_refused(library):
    refusal = refused(update_undo, library=library, acting_user=None)

    assert refusal.message == "Aucune mise à jour importée à annuler."
