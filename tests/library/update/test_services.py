"""The borrower update services on the database (SPEC §2, seed C; reliability anchors §2.3, 11–15).

The pure core decides; these tests check that the database ends up where the core said it would
(``apply_plan_in_memory``), that every refusal leaves the base untouched (full row dumps before
and after), and that the seed's cases hold through the real path: file bytes in, rows out.
"""

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection
from django.db.models import ProtectedError

from sesame.library.models import Borrower, BorrowerType, Loan, UpdateRun
from sesame.library.update import journal as update_journal
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.selectors import lot_parse, update_plan
from sesame.library.update.services import update_apply, update_decide, update_undo
from sesame.library.update.snapshot import borrower_snapshot
from sesame.sync import MatchedBy, SuggestionKey, apply_plan_in_memory
from tests.library.factories import base_dump, make_borrower, make_loan, person
from tests.library.update.support import (
    BASE_CHANGED,
    PUPILS,
    analyse,
    apply_another_update,
    db_borrowers,
    edit_a_borrower,
    make_a_loan,
    memory_borrowers,
    refused,
    return_a_loan,
)

pytestmark = pytest.mark.django_db


# --- Last year's collège and this year's file (seed C, "Renouvellement des élèves") ----------------


def test_rentree_applies_the_four_groups_of_seed_c(rentree):
    """Given last year's base and this year's file, when imported with Statut=Elève, then BCDI's groups."""
    library, base = rentree["library"], rentree["base"]
    analysis = analyse(library, rentree["people"], PUPILS)
    assert analysis.plan.counts == {"new": 2, "updated": 3, "ambiguous": 1, "deleted": 1, "set_aside": 1,
                                    "conflicts": 0, "suggestions": 0}

    update_apply(run=analysis.run, acting_user=None)

    marie = Borrower.objects.get(pk=base["marie"].pk)
    assert (marie.school_class, marie.ent_identity, marie.number) == ("4eA", "ENT-DUPONT", 1)
    hugo = Borrower.objects.get(pk=base["hugo"].pk)
    assert (hugo.school_class, hugo.birth_date, hugo.ent_identity) == ("5eB", date(2013, 7, 8), "ENT-LEROY")
    emma = Borrower.objects.get(pk=base["emma"].pk)
    assert (emma.school_class, emma.email) == ("3eC", "emma.roux@example.org")
    # The pupil who left with a book at home is set aside and keeps her loan (seed C §7).
    jade = Borrower.objects.get(pk=base["jade"].pk)
    assert jade.borrower_type == BorrowerType.TEMPORARY
    assert Loan.objects.get(pk=rentree["loans"]["jade_open"].pk).borrower_id == jade.pk
    # The pupil who left without a loan is deleted; his history stays, anonymous.
    assert not Borrower.objects.filter(pk=base["leo"].pk).exists()
    history = [rentree["loans"]["leo_returned"].pk, rentree["loans"]["leo_returned_2"].pk]
    assert list(
        Loan.objects.filter(pk__in=history).order_by("pk").values_list("borrower_id", "borrower_status",
                                                                        "borrower_class")
    ) == [(None, "Elève", "3eB"), (None, "Elève", "3eB")]
    # The teacher absent from the file is outside the lot Statut=Elève: untouched.
    garnier = Borrower.objects.get(pk=base["garnier"].pk)
    assert (garnier.borrower_type, garnier.ent_identity) == (BorrowerType.REGULAR, "")
    # New borrowers take the next numbers, and the base's spelling of the status.
    newcomers = Borrower.objects.filter(number__gt=6).order_by("number")
    assert list(newcomers.values_list("number", "name", "status", "ent_identity")) == [
        (7, "BLANC Chloé", "Elève", "ENT-BLANC"), (8, "FAURE Anne", "Enseignant", "ENT-FAURE")]


def test_applied_result_equals_the_preview(rentree):
    """Given an analysed run, when imported, then the base is what apply_plan_in_memory said."""
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    snapshot = borrower_snapshot(library=library, lot=lot_parse(PUPILS))
    final_plan = update_plan(run=analysis.run, final=True).plan

    run = update_apply(run=analysis.run, acting_user=None)

    assert db_borrowers(library) == memory_borrowers(apply_plan_in_memory(snapshot, final_plan))
    assert run.plan == final_plan.to_json()
    assert run.report["counts"] == final_plan.counts
    new_rows = [row for row in run.report["rows"] if row["action"] == "Ajout"]
    assert [(row["number"], row["name"]) for row in new_rows] == [(7, "BLANC Chloé"), (8, "FAURE Anne")]
    assert bytes(run.report_rtf).startswith(b"{\\rtf1")


def test_an_import_that_would_differ_from_its_preview_is_rolled_back(rentree, monkeypatch):
    """Given an import step that silently does nothing, when imported, then the check refuses it."""
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    before = base_dump()
    monkeypatch.setattr(update_journal, "_set_aside", lambda *args: None)

    refusal = refused(update_apply, run=analysis.run, acting_user=None)

    assert refusal.message == (
        "L'importation ne donnait pas exactement le résultat annoncé par l'analyse : elle a été annulée et "
        "la base est inchangée. Relancez l'analyse ; si cela se reproduit, signalez-le.")
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED


def test_second_run_of_the_same_file_changes_nothing(rentree):
    """Given an imported file, when the same file is analysed again, then everybody is known by identity."""
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)
    after_first = base_dump(library)

    again = analyse(library, rentree["people"], PUPILS)
    update_apply(run=again.run, acting_user=None)

    assert again.plan.is_noop
    assert again.plan.counts == {key: 0 for key in again.plan.counts}
    assert len(again.plan.updated) == len(rentree["people"])
    assert {update.matched_by for update in again.plan.updated} == {MatchedBy.IDENTITY}
    assert not again.plan.ambiguous
    assert base_dump(library) == after_first


def test_mid_year_run_without_expression_deletes_nobody(rentree):
    """Given no "Emprunteurs à mettre à jour", when imported, then nobody leaves (seed C, mid-year)."""
    library, base = rentree["library"], rentree["base"]
    analysis = analyse(library, rentree["people"], "")
    counts = analysis.plan.counts
    assert (counts["deleted"], counts["set_aside"], analysis.lot_size) == (0, 0, 0)

    update_apply(run=analysis.run, acting_user=None)

    survivors = set(Borrower.objects.filter(library=library).values_list("pk", flat=True))
    assert {borrower.pk for borrower in base.values()} <= survivors
    assert Borrower.objects.get(pk=base["jade"].pk).borrower_type == BorrowerType.REGULAR


# --- Loans are never lost ---------------------------------------------------------------------------


def test_no_borrower_with_an_open_loan_is_deleted_and_the_database_refuses_it(rentree):
    """Given leavers with open loans, when imported, then they are set aside; a direct delete is refused."""
    library, base = rentree["library"], rentree["base"]
    everyone_left = [person("NOUVEAU Nathan", school_class="6eA")]
    analysis = analyse(library, everyone_left, PUPILS)
    update_decide(run=analysis.run, confirmed_guards=["mass_removal", "low_match"], acting_user=None)
    open_loans = list(Loan.objects.filter(returned_on__isnull=True).order_by("pk").values_list())

    update_apply(run=analysis.run, acting_user=None)

    assert list(Loan.objects.filter(returned_on__isnull=True).order_by("pk").values_list()) == open_loans
    borrowing = Loan.objects.filter(returned_on__isnull=True).values("borrower_id")
    assert set(Borrower.objects.filter(pk__in=borrowing).values_list("pk", "borrower_type")) == {
        (base["jade"].pk, BorrowerType.TEMPORARY), (base["hugo"].pk, BorrowerType.TEMPORARY),
    }
    with pytest.raises(ProtectedError):
        Borrower.objects.get(pk=base["jade"].pk).delete()
    assert Borrower.objects.filter(pk=base["jade"].pk).exists()


def test_a_loan_made_during_the_import_stops_the_deletion_and_the_import(rentree, monkeypatch):
    """Given Léo lent a book while the import runs, when he is deleted, then PROTECT stops everything."""
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    before = base_dump()
    real_set_aside = update_journal._set_aside

    def lend_then_set_aside(*args):
        make_loan(rentree["base"]["leo"])
        real_set_aside(*args)

    monkeypatch.setattr(update_journal, "_set_aside", lend_then_set_aside)

    refusal = refused(update_apply, run=analysis.run, acting_user=None)

    assert refusal.message == BASE_CHANGED
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED


@pytest.mark.parametrize("anonymize", [True, False])
def test_returned_loans_of_deleted_borrowers_follow_the_anonymise_option(rentree, anonymize):
    """Given "rendre les prêts anonymes" on or off, when Léo is deleted, then his history is kept or goes."""
    library, loans = rentree["library"], rentree["loans"]
    history = [loans["leo_returned"].pk, loans["leo_returned_2"].pk]
    before = base_dump(library)

    update_apply(run=analyse(library, rentree["people"], PUPILS, anonymize=anonymize).run, acting_user=None)

    kept = Loan.objects.filter(pk__in=history).order_by("pk")
    if anonymize:
        assert list(kept.values_list("borrower_id", "borrower_status", "borrower_class", "copy_id")) == [
            (None, "Elève", "3eB", loans["leo_returned"].copy_id),
            (None, "Elève", "3eB", loans["leo_returned_2"].copy_id),
        ]
    else:
        assert not kept.exists()

    update_undo(library=library, acting_user=None)

    assert base_dump(library) == before


# --- Atomicity ---------------------------------------------------------------------------------------


def _explode(*args, **kwargs):
    raise RuntimeError("panne simulée au milieu de l'importation")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["_set_aside", "_delete"])
def test_a_failure_in_the_middle_of_the_import_leaves_the_base_as_it_was(rentree, monkeypatch, step):
    """Given creates and updates already written, when a later step fails, then nothing of it remains."""
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    before = base_dump()
    reached = []
    real_update = update_journal._update

    def update_then_note(*args, **kwargs):
        real_update(*args, **kwargs)
        reached.append((Borrower.objects.filter(library=library).count(),
                        Borrower.objects.get(pk=rentree["base"]["marie"].pk).school_class))

    monkeypatch.setattr(update_journal, "_update", update_then_note)
    monkeypatch.setattr(update_journal, step, _explode)

    with pytest.raises(RuntimeError, match="panne simulée"):
        update_apply(run=analysis.run, acting_user=None)

    assert reached == [(8, "4eA")]  # the new borrowers and the updates were written before the failure
    assert base_dump() == before
    run = UpdateRun.objects.get(pk=analysis.run.pk)
    assert (run.state, run.applied_at, run.journal) == (UpdateRun.State.ANALYSED, None, {})


# --- Refusals: the base changed, another update, guards ---------------------------------------------


@pytest.mark.parametrize("change", [make_a_loan, edit_a_borrower, return_a_loan, apply_another_update])
def test_a_plan_is_refused_when_the_base_changed_since_the_analysis(rentree, change):
    """Given an analysis, when the base changes before "Importation", then it is refused, nothing written."""
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    change(rentree)
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run, acting_user=None)

    assert refusal.message == BASE_CHANGED
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED


def test_two_runs_analysed_on_one_base_only_the_first_is_imported(rentree):
    """Given two analyses of the same file, when both are imported, then the second is refused."""
    library = rentree["library"]
    first = analyse(library, rentree["people"], PUPILS)
    second = analyse(library, rentree["people"], PUPILS)
    update_apply(run=first.run, acting_user=None)
    after_first = base_dump()

    refusal = refused(update_apply, run=second.run, acting_user=None)

    assert refusal.message == BASE_CHANGED
    assert base_dump() == after_first


def test_an_analysis_older_than_another_import_is_refused_even_if_that_import_changed_nothing(rentree):
    """Given a run analysed before another import that was a no-op, when imported, then refused."""
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)
    stale = analyse(library, rentree["people"], PUPILS)
    update_apply(run=analyse(library, rentree["people"], PUPILS).run, acting_user=None)  # changes nothing
    before = base_dump()

    refusal = refused(update_apply, run=stale.run, acting_user=None)

    assert refusal.message == ("Une autre mise à jour des emprunteurs a été importée depuis cette analyse. "
                               "Relancez l'analyse avant l'importation.")
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=stale.run.pk).state == UpdateRun.State.ANALYSED


def test_an_imported_run_cannot_be_imported_twice(rentree):
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    update_apply(run=analysis.run, acting_user=None)
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run, acting_user=None)

    assert refusal.message == "Cette mise à jour est déjà importée ; relancez une analyse."
    assert base_dump() == before


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_time_exactly_one_succeeds(rentree):
    """Given two runs analysed on one base, when imported from two threads at once, then one wins.

    The other is refused by the import's own guard (the library row locked, then the base found
    changed), not merely by the database. On PostgreSQL the second import waits for the lock and
    then reads the committed base. The SQLite test database lives in shared-cache memory, where a
    writer that finds the base locked fails at once instead of waiting as it does on a file: the
    loser then does what the wait would have done, it tries again once the winner is done, so
    that it too meets the guard. Without the guard, both would be imported.
    """
    library = rentree["library"]
    runs = [analyse(library, rentree["people"], PUPILS).run for _ in range(2)]
    barrier = threading.Barrier(2, timeout=30)
    finished = threading.Event()
    outcomes: list[str] = []
    waited_for_sqlite: list[str] = []

    def import_(run):
        try:
            barrier.wait()
            for _attempt in range(2):
                try:
                    update_apply(run=run, acting_user=None)
                    outcomes.append("importée")
                except UpdateRefused as refusal:
                    outcomes.append(refusal.message)
                except OperationalError as error:
                    if connection.vendor != "sqlite" or "locked" not in str(error) or waited_for_sqlite:
                        raise
                    waited_for_sqlite.append(str(error))
                    assert finished.wait(timeout=30), "the other import never finished"
                    continue
                break
        finally:
            finished.set()
            connection.close()

    threads = [threading.Thread(target=import_, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an import is still running after 60 s"

    assert sorted(outcomes) == sorted(["importée", str(BASE_CHANGED)])
    assert UpdateRun.objects.filter(state=UpdateRun.State.APPLIED).count() == 1
    assert UpdateRun.objects.filter(state=UpdateRun.State.ANALYSED).count() == 1
    assert Borrower.objects.filter(library=library, name="BLANC Chloé").count() == 1


def _mass_leaving(library):
    """Thirty pupils last year; the file knows five of them (a class export instead of the school)."""
    for index in range(30):
        make_borrower(library, f"ELEVE{index:02d} Test", school_class="4eA")
    return [person(f"ELEVE{index:02d} Test", school_class="3eA") for index in range(5)]


def test_a_file_removing_an_unusual_share_of_the_lot_waits_for_confirmation(library):
    """Given a file that would remove 25 of 30 pupils, when imported, then refused until confirmed."""
    analysis = analyse(library, _mass_leaving(library), PUPILS)
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run, acting_user=None)

    [guard] = analysis.plan.guards
    assert (refusal.code, guard.code) == ("needs_confirmation", "mass_removal")
    assert refusal.message == guard.message
    assert refusal.message.startswith("Ce fichier supprimerait 25 emprunteurs sur 30 du lot (83\u00a0%)")
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED

    update_decide(run=analysis.run, confirmed_guards=["mass_removal"], acting_user=None)
    update_apply(run=analysis.run, acting_user=None)

    assert Borrower.objects.filter(library=library).count() == 5


def test_a_file_that_matches_almost_nobody_waits_for_confirmation(library):
    """Given a file of another school (nobody known), when imported, then refused until confirmed."""
    for index in range(25):
        make_borrower(library, f"PROF{index:02d} Ici", status="Enseignant")
    strangers = [person(f"AUTRE{index:02d} Ailleurs", school_class="6eA") for index in range(25)]
    analysis = analyse(library, strangers, "")
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run, acting_user=None)

    [guard] = analysis.plan.guards
    assert (refusal.code, guard.code) == ("needs_confirmation", "low_match")
    assert refusal.message == guard.message
    assert "Est-ce bien le fichier de cet établissement ?" in refusal.message
    assert base_dump() == before

    update_apply(run=analysis.run, confirmed_guards={"low_match"}, acting_user=None)

    assert Borrower.objects.filter(library=library).count() == 50


# --- Homonyms and suggestions through the database ----------------------------------------------------


def test_an_unresolved_homonym_becomes_a_new_record_and_a_resolved_one_an_update(library):
    """Seed C, case n°1: two borrowers BERNARD Léa, one in the file; unresolved → a third record."""
    first = make_borrower(library, "BERNARD Léa", school_class="5eA")
    second = make_borrower(library, "BERNARD Léa", school_class="5eB")
    people = [person("BERNARD Léa", school_class="4eB", ent_identity="ENT-LEA")]
    analysis = analyse(library, people)
    assert [(c.kind, c.borrower_ids) for c in analysis.plan.conflicts] == [
        ("several_borrowers", (first.pk, second.pk))]
    unresolved = update_plan(run=analysis.run, final=True).plan
    assert [entry.person.ent_identity for entry in unresolved.new] == ["ENT-LEA"]

    update_decide(run=analysis.run, resolutions={"ENT-LEA": second.pk}, acting_user=None)
    update_apply(run=analysis.run, acting_user=None)

    assert list(Borrower.objects.filter(library=library).order_by("number").values_list(
        "pk", "school_class", "ent_identity")) == [(first.pk, "5eA", ""), (second.pk, "4eB", "ENT-LEA")]


def test_an_accepted_suggestion_updates_the_borrower_instead_of_deleting_it(library):
    """A typing slip between the base and the file: accepted, the borrower keeps number and loans."""
    borrower = make_borrower(library, "MARTIM Lucas", school_class="5eA", birth_date=date(2012, 1, 2))
    loan = make_loan(borrower)
    analysis = analyse(library, [person("MARTIN Lucas", school_class="4eA", birth_date=date(2012, 1, 2),
                                        ent_identity="ENT-LUCAS")], PUPILS)
    [suggestion] = analysis.plan.suggestions
    assert (suggestion.borrower_id, suggestion.ent_identity) == (borrower.pk, "ENT-LUCAS")

    accepted = {SuggestionKey(borrower.pk, "ENT-LUCAS"): "accepted"}
    update_decide(run=analysis.run, suggestion_decisions=accepted, acting_user=None)
    update_apply(run=analysis.run, acting_user=None)

    rows = Borrower.objects.filter(library=library).values_list("pk", "name", "ent_identity", "borrower_type")
    assert list(rows) == [(borrower.pk, "MARTIN Lucas", "ENT-LUCAS", BorrowerType.REGULAR)]
    assert Loan.objects.get(pk=loan.pk).borrower_id == borrower.pk
