"""Who did what in an update: one journal line per change of a run, with its own actor (house style 3).

An analysis, each decision, the import, the undo and an abandon each write one ``LibraryEvent``
in the transaction of the change; a refusal writes none. The importer is the one who clicked
"Importation", who may not be who analysed the file (``UpdateRun.created_by``).
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from sesame.library.models import EventAction, LibraryEvent, UpdateRun
from sesame.library.update.selectors import update_importer
from sesame.library.update.services import (
    update_abandon,
    update_apply,
    update_decide,
    update_reanalyse,
    update_undo,
)
from sesame.sync import SuggestionKey
from tests.library.factories import base_dump, make_borrower, person
from tests.library.update.support import PUPILS, analyse, make_a_loan, refused

pytestmark = pytest.mark.django_db


def journal() -> list[tuple]:
    """The journal as (action, actor, run, detail), oldest first."""
    return [(event.action, event.actor_id, event.data.get("run"), event.detail)
            for event in LibraryEvent.objects.order_by("at", "pk")]


@pytest.fixture
def anne(db):
    return get_user_model().objects.create_user("anne", first_name="Anne", last_name="MOREAU")


@pytest.fixture
def bruno(db):
    return get_user_model().objects.create_user("bruno", first_name="Bruno", last_name="PETIT")


def test_each_step_of_an_update_is_one_line_with_its_own_actor(rentree, anne, bruno, clock):
    library = rentree["library"]
    analysed_at = clock()
    analysis = analyse(library, rentree["people"], PUPILS, acting_user=anne)
    run = analysis.run
    clock.advance(timedelta(minutes=1))
    update_decide(run=run, resolutions={"ENT-X": None}, confirmed_guards=["mass_removal"], acting_user=anne)
    clock.advance(timedelta(minutes=1))
    update_apply(run=run, acting_user=bruno)
    clock.advance(timedelta(minutes=1))
    update_undo(library=library, acting_user=anne)

    assert journal() == [
        (EventAction.UPDATE_ANALYSE, anne.pk, run.pk,
         f"mise à jour n° {run.pk} analysée : 5 personne(s) dans le fichier, lot de 5 emprunteur(s)"),
        (EventAction.UPDATE_DECIDE, anne.pk, run.pk,
         f"mise à jour n° {run.pk} : 1 résolution(s) d'homonymes ; confirmations : mass_removal"),
        (EventAction.UPDATE_IMPORT, bruno.pk, run.pk,
         f"mise à jour n° {run.pk} importée : 2 nouveau(x), 3 mis à jour, 1 supprimé(s), 1 mis à l'écart"),
        (EventAction.UPDATE_UNDO, anne.pk, run.pk, f"mise à jour n° {run.pk} annulée"),
    ]
    first = LibraryEvent.objects.get(action=EventAction.UPDATE_ANALYSE)
    assert (first.at, first.data["counts"]) == (analysed_at, analysis.plan.counts)
    assert list(LibraryEvent.objects.order_by("pk").values_list("at", flat=True)) == [
        analysed_at + timedelta(minutes=minutes) for minutes in range(4)]


def test_the_importer_is_recorded_not_the_analyst(rentree, anne, bruno):
    analysis = analyse(rentree["library"], rentree["people"], PUPILS, acting_user=anne)

    run = update_apply(run=analysis.run, acting_user=bruno)

    assert UpdateRun.objects.get(pk=run.pk).created_by_id == anne.pk  # who analysed, unchanged
    assert update_importer(run=run) == bruno


def test_a_decision_on_a_suggestion_names_the_pair(library, anne):
    borrower = make_borrower(library, "MARTIM Lucas", school_class="5eA", birth_date=date(2012, 1, 2))
    analysis = analyse(library, [person("MARTIN Lucas", school_class="4eA", birth_date=date(2012, 1, 2),
                                        ent_identity="ENT-LUCAS")], PUPILS)
    key = SuggestionKey(borrower.pk, "ENT-LUCAS")

    update_decide(run=analysis.run, suggestion_decisions={key: "accepted"}, acting_user=anne)

    line = LibraryEvent.objects.get(action=EventAction.UPDATE_DECIDE)
    assert (line.actor_id, line.data["suggestions"]) == (anne.pk, {key.key(): "accepted"})
    assert UpdateRun.objects.get(pk=analysis.run.pk).suggestion_decisions == {key.key(): "accepted"}


def test_a_refused_import_or_undo_writes_no_line(rentree, bruno):
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    make_a_loan(rentree)
    lines = journal()

    refused(update_apply, run=analysis.run, acting_user=bruno)
    refused(update_undo, library=library, acting_user=bruno)

    assert journal() == lines


def test_reanalysis_opens_the_new_run_and_abandons_the_old_one_together(rentree, anne, clock):
    library = rentree["library"]
    old = analyse(library, rentree["people"], PUPILS, acting_user=anne).run
    update_decide(run=old, resolutions={"ENT-X": None}, acting_user=anne)
    make_a_loan(rentree)  # the base moves: the old analysis can no longer be imported
    clock.advance(timedelta(minutes=5))

    new = update_reanalyse(run=old, acting_user=anne).run

    old.refresh_from_db()
    assert (old.state, new.state) == (UpdateRun.State.ABANDONED, UpdateRun.State.ANALYSED)
    assert (new.resolutions, new.created_by_id) == ({"ENT-X": None}, anne.pk)
    assert journal()[-2:] == [
        (EventAction.UPDATE_ANALYSE, anne.pk, new.pk,
         f"mise à jour n° {new.pk} analysée : 5 personne(s) dans le fichier, lot de 5 emprunteur(s)"),
        (EventAction.UPDATE_ABANDON, anne.pk, old.pk, f"mise à jour n° {old.pk} abandonnée"),
    ]
    assert LibraryEvent.objects.get(action=EventAction.UPDATE_ABANDON).data == {"run": old.pk,
                                                                                 "replaced_by": new.pk}
    update_apply(run=new, acting_user=anne)  # the new analysis is the one on the base as it is


def test_reanalysing_a_run_imported_meanwhile_is_refused_and_opens_no_run(rentree, anne, bruno):
    library = rentree["library"]
    run = analyse(library, rentree["people"], PUPILS, acting_user=anne).run
    page_copy = UpdateRun.objects.get(pk=run.pk)  # what the first librarian's page still holds
    update_apply(run=run, acting_user=bruno)
    before, lines = base_dump(), journal()

    refusal = refused(update_reanalyse, run=page_copy, acting_user=anne)

    assert (refusal.code, refusal.message) == ("wrong_state",
                                               "Cette mise à jour est déjà importée ; relancez une analyse.")
    assert (base_dump(), journal()) == (before, lines)
    assert list(UpdateRun.objects.values_list("pk", "state")) == [(run.pk, UpdateRun.State.APPLIED)]


def test_only_an_analysed_run_can_be_abandoned(rentree, anne):
    run = analyse(rentree["library"], rentree["people"], PUPILS).run
    update_abandon(run=run, acting_user=anne)
    lines = journal()

    refusal = refused(update_abandon, run=run, acting_user=anne)

    assert refusal.code == "wrong_state"
    assert journal() == lines
    assert lines[-1] == (EventAction.UPDATE_ABANDON, anne.pk, run.pk, f"mise à jour n° {run.pk} abandonnée")
