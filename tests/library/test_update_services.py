"""The borrower update services on the database (SPEC §2, seed C; reliability anchors §2.3, 11–15).

The pure core decides; these tests check that the database ends up where the core said it would
(``apply_plan_in_memory``), that every refusal leaves the base untouched (full row dumps before
and after), and that the seed's cases hold through the real path: file bytes in, rows out.
"""

import dataclasses
import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.models import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sesame.interop.fiches_xml import FichesXmlError, UserRecord, read_fiches
from sesame.interop.uai import uai_check_letter
from sesame.library.models import Borrower, BorrowerType, Library, Loan, UpdateRun
from sesame.library.update import journal as update_journal
from sesame.library.update.services import (
    UpdateRefused,
    lot_parse,
    plan_for,
    update_analyse,
    update_apply,
    update_decide,
    update_plan,
    update_undo,
)
from sesame.library.update.snapshot import borrower_snapshot
from sesame.sync import MatchedBy, UpdateOptions, apply_plan_in_memory

from .factories import (
    base_dump,
    make_borrower,
    make_library,
    make_loan,
    person,
    users_file,
)

pytestmark = pytest.mark.django_db

PUPILS = "Statut=Elève"
COMPARED = ("number", "name", "status", "school_class", "birth_date", "email", "ent_identity",
            "borrower_type")


def analyse(library, people=(), lot="", *, content=None, anonymize=True):
    content = users_file(people) if content is None else content
    return update_analyse(library=library, file_name="export_ent.xml", content=content, lot_expression=lot,
                          anonymize_history=anonymize)


def db_borrowers(library) -> list[tuple]:
    return sorted(Borrower.objects.filter(library=library).values_list(*COMPARED))


def memory_borrowers(rows) -> list[tuple]:
    return sorted(tuple(getattr(row, name) for name in COMPARED) for row in rows)


def refused(call, *args, **kwargs) -> UpdateRefused:
    with pytest.raises(UpdateRefused) as caught:
        call(*args, **kwargs)
    return caught.value


# --- Last year's collège and this year's file (seed C, "Renouvellement des élèves") ----------------


@pytest.fixture
def library():
    return make_library()


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


def test_rentree_applies_the_four_groups_of_seed_c(rentree):
    """Given last year's base and this year's file, when imported with Statut=Elève, then BCDI's groups."""
    library, base = rentree["library"], rentree["base"]
    analysis = analyse(library, rentree["people"], PUPILS)
    assert analysis.plan.counts == {"new": 2, "updated": 3, "ambiguous": 1, "deleted": 1, "set_aside": 1,
                                    "conflicts": 0, "suggestions": 0}

    update_apply(run=analysis.run)

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

    run = update_apply(run=analysis.run)

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

    refusal = refused(update_apply, run=analysis.run)

    assert refusal.message == (
        "L'importation ne donnait pas exactement le résultat annoncé par l'analyse : elle a été annulée et "
        "la base est inchangée. Relancez l'analyse ; si cela se reproduit, signalez-le.")
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED


def test_second_run_of_the_same_file_changes_nothing(rentree):
    """Given an imported file, when the same file is analysed again, then everybody is known by identity."""
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)
    after_first = base_dump(library)

    again = analyse(library, rentree["people"], PUPILS)
    update_apply(run=again.run)

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

    update_apply(run=analysis.run)

    survivors = set(Borrower.objects.filter(library=library).values_list("pk", flat=True))
    assert {borrower.pk for borrower in base.values()} <= survivors
    assert Borrower.objects.get(pk=base["jade"].pk).borrower_type == BorrowerType.REGULAR


# --- Loans are never lost ---------------------------------------------------------------------------


def test_no_borrower_with_an_open_loan_is_deleted_and_the_database_refuses_it(rentree):
    """Given leavers with open loans, when imported, then they are set aside; a direct delete is refused."""
    library, base = rentree["library"], rentree["base"]
    everyone_left = [person("NOUVEAU Nathan", school_class="6eA")]
    analysis = analyse(library, everyone_left, PUPILS)
    update_decide(run=analysis.run, confirmed_guards=["mass_removal", "low_match"])
    open_loans = list(Loan.objects.filter(returned_on__isnull=True).order_by("pk").values_list())

    update_apply(run=analysis.run)

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

    refusal = refused(update_apply, run=analysis.run)

    assert refusal.message == BASE_CHANGED
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED


@pytest.mark.parametrize("anonymize", [True, False])
def test_returned_loans_of_deleted_borrowers_follow_the_anonymise_option(rentree, anonymize):
    """Given "rendre les prêts anonymes" on or off, when Léo is deleted, then his history is kept or goes."""
    library, loans = rentree["library"], rentree["loans"]
    history = [loans["leo_returned"].pk, loans["leo_returned_2"].pk]
    before = base_dump(library)

    update_apply(run=analyse(library, rentree["people"], PUPILS, anonymize=anonymize).run)

    kept = Loan.objects.filter(pk__in=history).order_by("pk")
    if anonymize:
        assert list(kept.values_list("borrower_id", "borrower_status", "borrower_class", "copy_id")) == [
            (None, "Elève", "3eB", loans["leo_returned"].copy_id),
            (None, "Elève", "3eB", loans["leo_returned_2"].copy_id),
        ]
    else:
        assert not kept.exists()

    update_undo(library=library)

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
        update_apply(run=analysis.run)

    assert reached == [(8, "4eA")]  # the new borrowers and the updates were written before the failure
    assert base_dump() == before
    run = UpdateRun.objects.get(pk=analysis.run.pk)
    assert (run.state, run.applied_at, run.journal) == (UpdateRun.State.ANALYSED, None, {})


# --- Refusals: the base changed, another update, guards ---------------------------------------------


def _make_a_loan(rentree):
    make_loan(rentree["base"]["marie"])


def _edit_a_borrower(rentree):
    Borrower.objects.filter(pk=rentree["base"]["garnier"].pk).update(email="p.garnier@example.org")


def _return_a_loan(rentree):
    Loan.objects.filter(pk=rentree["loans"]["jade_open"].pk).update(returned_on=date(2025, 9, 3))


def _apply_another_update(rentree):
    update_apply(run=analyse(rentree["library"], rentree["people"][:1]).run)


BASE_CHANGED = ("La base des emprunteurs a changé depuis l'analyse (une autre mise à jour, un prêt ou une "
                "modification). Relancez l'analyse avant l'importation.")


@pytest.mark.parametrize("change", [_make_a_loan, _edit_a_borrower, _return_a_loan, _apply_another_update])
def test_a_plan_is_refused_when_the_base_changed_since_the_analysis(rentree, change):
    """Given an analysis, when the base changes before "Importation", then it is refused, nothing written."""
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    change(rentree)
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run)

    assert refusal.message == BASE_CHANGED
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED


def test_two_runs_analysed_on_one_base_only_the_first_is_imported(rentree):
    """Given two analyses of the same file, when both are imported, then the second is refused."""
    library = rentree["library"]
    first = analyse(library, rentree["people"], PUPILS)
    second = analyse(library, rentree["people"], PUPILS)
    update_apply(run=first.run)
    after_first = base_dump()

    refusal = refused(update_apply, run=second.run)

    assert refusal.message == BASE_CHANGED
    assert base_dump() == after_first


def test_an_analysis_older_than_another_import_is_refused_even_if_that_import_changed_nothing(rentree):
    """Given a run analysed before another import that was a no-op, when imported, then refused."""
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)
    stale = analyse(library, rentree["people"], PUPILS)
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)  # changes nothing
    before = base_dump()

    refusal = refused(update_apply, run=stale.run)

    assert refusal.message == ("Une autre mise à jour des emprunteurs a été importée depuis cette analyse. "
                               "Relancez l'analyse avant l'importation.")
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=stale.run.pk).state == UpdateRun.State.ANALYSED


def test_an_imported_run_cannot_be_imported_twice(rentree):
    library = rentree["library"]
    analysis = analyse(library, rentree["people"], PUPILS)
    update_apply(run=analysis.run)
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run)

    assert refusal.message == "Cette mise à jour est déjà importée ; relancez une analyse."
    assert base_dump() == before


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_time_exactly_one_succeeds(rentree):
    """Given two runs analysed on one base, when imported from two threads at once, then one wins.

    On PostgreSQL the second waits for the library row's lock, then finds the base changed. The
    SQLite test database lives in shared-cache memory, where a writer that finds the table locked
    fails at once instead of waiting as it does on a file: the loser is then refused by SQLite
    itself, which still leaves exactly one import.
    """
    library = rentree["library"]
    runs = [analyse(library, rentree["people"], PUPILS).run for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def import_(run):
        try:
            barrier.wait()
            update_apply(run=run)
            outcomes.append("importée")
        except UpdateRefused as refusal:
            outcomes.append(refusal.message)
        except OperationalError as error:
            outcomes.append(f"refusée par SQLite : {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=import_, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    losers = sorted(outcomes)
    losers.remove("importée")
    if connection.vendor == "postgresql":
        assert losers == [BASE_CHANGED]
    else:
        assert losers in ([BASE_CHANGED], ["refusée par SQLite : database table is locked"])
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

    refusal = refused(update_apply, run=analysis.run)

    [guard] = analysis.plan.guards
    assert (refusal.code, guard.code) == ("needs_confirmation", "mass_removal")
    assert refusal.message == guard.message
    assert refusal.message.startswith("Ce fichier supprimerait 25 emprunteurs sur 30 du lot (83\u00a0%)")
    assert base_dump() == before
    assert UpdateRun.objects.get(pk=analysis.run.pk).state == UpdateRun.State.ANALYSED

    update_decide(run=analysis.run, confirmed_guards=["mass_removal"])
    update_apply(run=analysis.run)

    assert Borrower.objects.filter(library=library).count() == 5


def test_a_file_that_matches_almost_nobody_waits_for_confirmation(library):
    """Given a file of another school (nobody known), when imported, then refused until confirmed."""
    for index in range(25):
        make_borrower(library, f"PROF{index:02d} Ici", status="Enseignant")
    strangers = [person(f"AUTRE{index:02d} Ailleurs", school_class="6eA") for index in range(25)]
    analysis = analyse(library, strangers, "")
    before = base_dump()

    refusal = refused(update_apply, run=analysis.run)

    [guard] = analysis.plan.guards
    assert (refusal.code, guard.code) == ("needs_confirmation", "low_match")
    assert refusal.message == guard.message
    assert "Est-ce bien le fichier de cet établissement ?" in refusal.message
    assert base_dump() == before

    update_apply(run=analysis.run, confirmed_guards={"low_match"})

    assert Borrower.objects.filter(library=library).count() == 50


# --- Undo ------------------------------------------------------------------------------------------


def test_undo_restores_exactly_the_base_before_the_import(rentree):
    """Given an import that created, updated, set aside, deleted, anonymised; when undone, then as before."""
    library = rentree["library"]
    before = base_dump(library)
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)
    assert base_dump(library) != before

    run = update_undo(library=library)

    assert base_dump(library) == before
    assert run.state == UpdateRun.State.UNDONE
    # The same file can be analysed and imported again afterwards, with the same result.
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)
    assert Borrower.objects.get(name="BLANC Chloé").number == 7


@pytest.mark.parametrize("change", [_make_a_loan, _edit_a_borrower, _return_a_loan])
def test_undo_is_refused_when_the_base_changed_after_the_import(rentree, change):
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)
    change(rentree)
    before = base_dump()

    refusal = refused(update_undo, library=library)

    assert refusal.message == ("La base a été modifiée depuis cette mise à jour (prêts, retours ou fiches) : "
                               "l'annulation restaurerait un état qui n'existe plus. Elle est refusée.")
    assert base_dump() == before
    assert UpdateRun.objects.get(state=UpdateRun.State.APPLIED)


def test_undo_is_refused_when_an_anonymised_loan_was_purged_since(rentree):
    """Given the import anonymised Léo's loans, when one is purged, then undo would be inexact: refused."""
    library = rentree["library"]
    update_apply(run=analyse(library, rentree["people"], PUPILS).run)
    Loan.objects.filter(pk=rentree["loans"]["leo_returned"].pk).delete()
    before = base_dump()

    refusal = refused(update_undo, library=library)

    assert refusal.code == "base_changed"
    assert base_dump() == before


def test_undo_without_any_import_is_refused(library):
    refusal = refused(update_undo, library=library)

    assert refusal.message == "Aucune mise à jour importée à annuler."


# --- Bad inputs: a clear French message, nothing written, no run recorded ----------------------------

SIECLE = Path(__file__).parents[1] / "data" / "siecle" / "ElevesSansAdresses.xml"
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>&lol3;</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>")
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>&xxe;</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>")
BAD_FILES = {
    "malformed": (b'<?xml version="1.0"?><FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>DUPONT Marie</EMPRUNTEUR_M>',
                  "Le fichier est incomplet"),
    "siecle": (SIECLE.read_bytes(), "l'élément racine est « BEE_ELEVES »"),
    "csv": (b"NOM;PRENOM;CLASSE\nDUPONT;Marie;5eA\n", "il ressemble à un tableau CSV"),
    "empty": (b"", "Le fichier est vide."),
    "nobody": (b'<?xml version="1.0"?><FICHES_XML></FICHES_XML>', "Le fichier ne contient aucune personne."),
    "billion_laughs": (BILLION_LAUGHS, "refusées par sécurité"),
    "external_entity": (EXTERNAL_ENTITY, "refusées par sécurité"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_an_unusable_file_is_refused_with_the_readers_message(rentree, kind):
    """Given a file that is not a users file, when analysed, then refused as the reader says; no run."""
    content, phrase = BAD_FILES[kind]
    with pytest.raises(FichesXmlError) as reader:
        read_fiches(content)
    before = base_dump()

    refusal = refused(analyse, rentree["library"], content=content, lot=PUPILS)

    assert refusal.message == reader.value.message
    assert phrase in refusal.message
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_a_file_with_only_parents_is_refused(rentree):
    parents = [person("LEFÈVRE Anne", status="Parent")]
    before = base_dump()

    refusal = refused(analyse, rentree["library"], parents, PUPILS)

    assert refusal.message == ("Le fichier ne contient aucun élève ni aucun personnel à comparer avec les "
                               "emprunteurs.")
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_a_second_person_with_the_same_identity_is_reported_not_imported(library):
    """The reader keeps the first of two people sharing an ENT identity and reports the second."""
    twins = [person("MARTIN Léa", ent_identity="ENT-X"), person("MARTIN Lou", ent_identity="ENT-X")]

    analysis = analyse(library, twins)

    assert [entry.person.name for entry in analysis.plan.new] == ["MARTIN Léa"]
    assert [problem.code for problem in analysis.users_file.problems] == ["duplicate_identity"]


def test_a_base_giving_one_identity_to_two_borrowers_is_refused(library, monkeypatch):
    """The database forbids it; were a snapshot to show it anyway, the core's refusal is passed on."""
    from sesame.library.update import services as update
    real_state = update.base_state

    def doubled(**kwargs):
        rows, fingerprint = real_state(**kwargs)
        return [*rows, dataclasses.replace(rows[0], borrower_id=999, number=999)], fingerprint

    make_borrower(library, "MARTIN Léa", ent_identity="ENT-X")
    monkeypatch.setattr(update, "base_state", doubled)

    refusal = refused(analyse, library, [person("MARTIN Léa", ent_identity="ENT-X")])

    assert refusal.code == "ambiguous_identities"
    assert refusal.message == ("Plusieurs emprunteurs de la base ont la même identité ENT (ENT-X) : la mise "
                               "à jour ne peut pas savoir qui est qui.")
    assert not UpdateRun.objects.exists()


@pytest.mark.parametrize("expression, message", [
    ("Statut=Elève ET", "Équation incorrecte, caractère 14 : « ET » doit être suivi d'un terme "
                        "(Champ=Valeur) ou d'une parenthèse."),
    ("(Statut=Elève", "Équation incorrecte, caractère 1 : parenthèse ouvrante sans parenthèse fermante."),
    ("Statut Elève", "Équation incorrecte, caractère 1 : signe « = » manquant dans « Statut Elève » (attendu "
                     "Champ=Valeur, par exemple Statut=Elève)."),
])
def test_a_malformed_lot_expression_is_refused_with_its_position(rentree, expression, message):
    before = base_dump()

    refusal = refused(analyse, rentree["library"], rentree["people"], expression)

    assert (refusal.code, refusal.message) == ("bad_expression", message)
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_plan_for_writes_nothing(rentree):
    """The command's preview: read, select, plan, and not one row written."""
    before = base_dump()

    analysis = plan_for(library=rentree["library"], content=users_file(rentree["people"]),
                        lot_expression=PUPILS, options=UpdateOptions(final=True))

    assert (analysis.run, analysis.lot_size, analysis.plan.counts["new"]) == (None, 5, 2)
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


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

    update_decide(run=analysis.run, resolutions={"ENT-LEA": second.pk})
    update_apply(run=analysis.run)

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

    update_decide(run=analysis.run, suggestion_decisions={f"{borrower.pk}:ENT-LUCAS": "accepted"})
    update_apply(run=analysis.run)

    rows = Borrower.objects.filter(library=library).values_list("pk", "name", "ent_identity", "borrower_type")
    assert list(rows) == [(borrower.pk, "MARTIN Lucas", "ENT-LUCAS", BorrowerType.REGULAR)]
    assert Loan.objects.get(pk=loan.pk).borrower_id == borrower.pk


# --- Property: preview = apply, loans kept, second run a no-op, undo exact ------------------------

NAMES = ("MARTIN Léa", "MARTIN Lou", "DUPONT Marie", "DUPONT  marie", "N'DIAYE Moussa", "LE GALL Yann",
         "LEGALL Yann", "Lucas BERNARD", "BERNARD Lucas", "PETIT Jade")
CLASSES = ("", "6eA", "5eB", "4eA", "3eC", "2nde1")
STATUSES = ("Elève", "Enseignant", "Personnel")
FILE_STATUSES = ("Élève", "Enseignant", "Personnel", "Eleve")
DATES = (None, date(2012, 3, 4), date(2012, 4, 3), date(2011, 9, 9))
LOTS = ("", PUPILS, "Classe=3* OU Classe=4*", "Type d'emprunteur=Usager temporaire",
        "Statut=Elève OU Statut=Enseignant")
IDENTITIES = tuple(f"ENT-{index:02d}" for index in range(12))

borrower_strategy = st.fixed_dictionaries({
    "name": st.sampled_from(NAMES), "status": st.sampled_from(STATUSES),
    "school_class": st.sampled_from(CLASSES),
    "birth_date": st.sampled_from(DATES), "email": st.sampled_from(("", "a@example.org")),
    "borrower_type": st.sampled_from(BorrowerType.values), "open_loans": st.integers(0, 2),
    "returned_loans": st.integers(0, 2),
})
person_strategy = st.fixed_dictionaries({
    "name": st.sampled_from(NAMES), "status": st.sampled_from(FILE_STATUSES),
    "school_class": st.sampled_from(CLASSES), "birth_date": st.sampled_from(DATES),
    "email": st.sampled_from(("", "b@example.org")),
})
_libraries = iter(range(1_000_000, 9_999_999))


def _fresh_library() -> Library:
    """A library of its own for each example, so that examples cannot see each other's rows."""
    digits = f"{next(_libraries):07d}"
    return make_library(uai=digits + uai_check_letter(digits), name="Exemple")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(
    base=st.lists(borrower_strategy, max_size=12),
    base_identities=st.lists(st.sampled_from(IDENTITIES), unique=True, max_size=12),
    people=st.lists(person_strategy, min_size=1, max_size=10),
    people_identities=st.lists(st.sampled_from(IDENTITIES), unique=True, min_size=10, max_size=10),
    lot=st.sampled_from(LOTS),
    anonymize=st.booleans(),
)
def test_property_preview_equals_apply_loans_kept_rerun_noop_undo_exact(
    base, base_identities, people, people_identities, lot, anonymize,
):
    library = _fresh_library()
    for index, row in enumerate(base):
        borrower = make_borrower(
            library, row["name"], status=row["status"], school_class=row["school_class"],
            birth_date=row["birth_date"], email=row["email"], borrower_type=row["borrower_type"],
            ent_identity=base_identities[index] if index < len(base_identities) else "",
        )
        for _ in range(row["open_loans"]):
            make_loan(borrower)
        for _ in range(row["returned_loans"]):
            make_loan(borrower, returned=True)
    records = [UserRecord(ent_identity=people_identities[index], **row) for index, row in enumerate(people)]
    before = base_dump(library)
    open_loans = list(Loan.objects.filter(library=library, returned_on__isnull=True).order_by("pk")
                      .values_list())

    analysis = analyse(library, records, lot, anonymize=anonymize)
    update_decide(run=analysis.run, confirmed_guards=["mass_removal", "low_match"])
    snapshot = borrower_snapshot(library=library, lot=lot_parse(lot))
    final_plan = update_plan(run=analysis.run, final=True).plan
    update_apply(run=analysis.run)

    # Preview = apply.
    assert db_borrowers(library) == memory_borrowers(apply_plan_in_memory(snapshot, final_plan))
    # Never delete a borrower with a loan; open loans untouched.
    assert list(Loan.objects.filter(library=library, returned_on__isnull=True).order_by("pk")
                .values_list()) == open_loans
    # A second run of the same file changes nothing and knows everybody by identity.
    again = update_plan(run=analyse(library, records, lot).run, final=True).plan
    assert again.is_noop
    assert len(again.updated) == len(records)
    assert {update.matched_by for update in again.updated} == {MatchedBy.IDENTITY}
    assert not again.ambiguous
    # Undo gives back exactly the base before the import.
    update_undo(library=library)
    assert base_dump(library) == before
