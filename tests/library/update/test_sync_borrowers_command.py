"""``manage.py sync_borrowers``: the borrower update as a contract for scripts (SPEC §2, seed C)."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from sesame.library.management.commands import sync_borrowers
from sesame.library.models import Borrower, BorrowerType, EventAction, LibraryEvent, Loan, UpdateRun
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.services import BASE_CHANGED
from tests.library.factories import (
    UAI,
    base_dump,
    make_borrower,
    make_library,
    make_loan,
    person,
    users_file_path,
)

pytestmark = pytest.mark.django_db

COUNT_KEYS = {"new", "updated", "ambiguous", "deleted", "set_aside", "conflicts", "suggestions"}
PLAN_KEYS = {"counts", "new", "updated", "deleted", "set_aside", "conflicts", "suggestions"}


def sync(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_borrowers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def command_error(*args) -> str:
    with pytest.raises(CommandError) as caught:
        sync(*args)
    return str(caught.value)


@pytest.fixture
def school(tmp_path):
    """Last year's base (two pupils, one with a loan who leaves, a teacher) and this year's file."""
    library = make_library()
    marie = make_borrower(library, "DUPONT Marie", school_class="5eA", birth_date=date(2012, 3, 4))
    jade = make_borrower(library, "PETIT Jade", school_class="3eA")
    make_loan(jade)
    leo = make_borrower(library, "MOREAU Léo", school_class="3eB")
    make_loan(leo, returned=True)
    garnier = make_borrower(library, "GARNIER Paul", status="Enseignant")
    people = [
        person("DUPONT Marie", school_class="4eA", birth_date=date(2012, 3, 4), ent_identity="ENT-DUPONT"),
        person("BLANC Chloé", school_class="6eA", ent_identity="ENT-BLANC"),
    ]
    return {"library": library, "marie": marie, "jade": jade, "leo": leo, "garnier": garnier,
            "file": users_file_path(tmp_path, people)}


def test_without_apply_nothing_is_written_and_the_analysis_is_printed(school):
    before = base_dump()

    out, err = sync("--uai", UAI, str(school["file"]), "--lot", "Statut=Elève")

    assert out.splitlines() == [
        "Fichier : 2 personne(s) ; lot : 3 emprunteur(s).",
        "Après l'importation, il y aura : 1 nouveaux, 1 mis à jour (dont 0 ambigus), 1 supprimés, "
        "1 mis à l'écart ; 0 homonymie(s) à résoudre, 0 suggestion(s).",
    ]
    assert err == ""
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_json_prints_exactly_one_object_with_the_plans_keys(school):
    before = base_dump()

    out, _ = sync("--uai", UAI.lower(), str(school["file"]), "--lot", "Statut=Elève", "--json")

    plan = json.loads(out)  # one object and nothing else, or this fails
    assert set(plan) == PLAN_KEYS
    assert set(plan["counts"]) == COUNT_KEYS
    assert plan["counts"] == {"new": 1, "updated": 1, "ambiguous": 0, "deleted": 1, "set_aside": 1,
                              "conflicts": 0, "suggestions": 0}
    assert plan["new"] == [{"ent_identity": "ENT-BLANC", "name": "BLANC Chloé"}]
    assert plan["deleted"] == [{"borrower_number": school["leo"].number}]
    assert plan["set_aside"] == [{"borrower_number": school["jade"].number, "open_loans": 1}]
    assert [entry["borrower_number"] for entry in plan["updated"]] == [school["marie"].number]
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_apply_imports_and_reports_on_stderr(school):
    out, err = sync("--uai", UAI, str(school["file"]), "--lot", "Statut=Elève", "--apply", "--json")

    assert json.loads(out)["counts"]["new"] == 1
    run = UpdateRun.objects.get()
    assert run.state == UpdateRun.State.APPLIED
    assert err == (f"Importation terminée : 1 nouveau, 1 mis à jour, 1 supprimé, 1 mis à l'écart. "
                   f"Rapport : mise à jour n° {run.pk}.\n")
    assert Borrower.objects.get(pk=school["jade"].pk).borrower_type == BorrowerType.TEMPORARY
    assert Loan.objects.filter(borrower=school["jade"], returned_on__isnull=True).count() == 1
    assert not Borrower.objects.filter(pk=school["leo"].pk).exists()
    assert Borrower.objects.get(pk=school["garnier"].pk).borrower_type == BorrowerType.REGULAR
    assert Borrower.objects.get(pk=school["marie"].pk).school_class == "4eA"
    # A command acts for nobody: the journal says so, step by step.
    assert list(LibraryEvent.objects.order_by("pk").values_list("action", "actor_id", "data__run")) == [
        (EventAction.UPDATE_ANALYSE, None, run.pk), (EventAction.UPDATE_DECIDE, None, run.pk),
        (EventAction.UPDATE_IMPORT, None, run.pk)]


def test_a_second_run_of_the_same_file_is_a_no_op(school):
    sync("--uai", UAI, str(school["file"]), "--lot", "Statut=Elève", "--apply")
    after_first = base_dump()

    out, _ = sync("--uai", UAI, str(school["file"]), "--lot", "Statut=Elève", "--apply", "--json")

    assert json.loads(out)["counts"] == dict.fromkeys(sorted(COUNT_KEYS), 0)
    assert base_dump() == after_first


def test_mid_year_without_lot_deletes_nobody(school):
    sync("--uai", UAI, str(school["file"]), "--apply")

    assert set(Borrower.objects.values_list("name", "borrower_type")) == {
        ("DUPONT Marie", "Usager"), ("PETIT Jade", "Usager"), ("MOREAU Léo", "Usager"),
        ("GARNIER Paul", "Usager"), ("BLANC Chloé", "Usager"),
    }


def test_apply_makes_unresolved_homonyms_new_records_as_bcdi(tmp_path):
    library = make_library()
    first = make_borrower(library, "BERNARD Léa", school_class="5eA")
    second = make_borrower(library, "BERNARD Léa", school_class="5eB")
    path = users_file_path(tmp_path, [person("BERNARD Léa", school_class="4eB", ent_identity="ENT-LEA")])

    preview, _ = sync("--uai", UAI, str(path), "--json")
    sync("--uai", UAI, str(path), "--apply")

    assert json.loads(preview)["conflicts"] == [{"borrower_numbers": [first.number, second.number],
                                                 "ent_identities": ["ENT-LEA"]}]
    assert list(Borrower.objects.order_by("number").values_list("name", "school_class", "ent_identity")) == [
        ("BERNARD Léa", "5eA", ""), ("BERNARD Léa", "5eB", ""), ("BERNARD Léa", "4eB", "ENT-LEA"),
    ]


@pytest.fixture
def slip(tmp_path):
    """A typing slip between the base and the file: one person, probably."""
    library = make_library()
    borrower = make_borrower(library, "MARTIM Lucas", school_class="5eA", birth_date=date(2012, 1, 2))
    path = users_file_path(tmp_path, [person("MARTIN Lucas", school_class="4eA", birth_date=date(2012, 1, 2),
                                             ent_identity="ENT-LUCAS")])
    return borrower, path


def test_apply_leaves_suggestions_as_new_records_unless_accepted(slip):
    borrower, path = slip

    out, _ = sync("--uai", UAI, str(path), "--lot", "Statut=Elève", "--apply", "--json")

    plan = json.loads(out)
    assert [(s["borrower_number"], s["ent_identity"]) for s in plan["suggestions"]] == [(1, "ENT-LUCAS")]
    assert list(Borrower.objects.values_list("number", "name", "ent_identity")) == [
        (2, "MARTIN Lucas", "ENT-LUCAS")]
    assert not Borrower.objects.filter(pk=borrower.pk).exists()


def test_accept_suggestions_updates_the_borrower(slip):
    borrower, path = slip

    out, _ = sync("--uai", UAI, str(path), "--lot", "Statut=Elève", "--apply", "--accept-suggestions",
                  "--json")

    assert json.loads(out)["counts"] == {"new": 0, "updated": 1, "ambiguous": 0, "deleted": 0, "set_aside": 0,
                                         "conflicts": 0, "suggestions": 0}
    assert list(Borrower.objects.values_list("pk", "name", "school_class", "ent_identity")) == [
        (borrower.pk, "MARTIN Lucas", "4eA", "ENT-LUCAS")]


def test_a_guarded_file_needs_yes(tmp_path):
    library = make_library()
    for index in range(30):
        make_borrower(library, f"ELEVE{index:02d} Test", school_class="4eA")
    known = [person(f"ELEVE{index:02d} Test", school_class="3eA") for index in range(5)]
    path = users_file_path(tmp_path, known)
    before = base_dump()

    message = command_error("--uai", UAI, str(path), "--lot", "Statut=Elève", "--apply")

    assert message.startswith("Ce fichier supprimerait 25 emprunteurs sur 30 du lot")
    assert message.endswith(" Ajoutez --yes pour confirmer.")
    assert base_dump() == before
    assert not UpdateRun.objects.exists()

    sync("--uai", UAI, str(path), "--lot", "Statut=Elève", "--apply", "--yes")

    assert Borrower.objects.count() == 5
    assert UpdateRun.objects.get().options["confirmed_guards"] == ["mass_removal"]


@pytest.mark.parametrize("arguments, message", [
    (["--uai", "9990001X"], "Aucune bibliothèque n'a l'UAI 9990001X : créez-la d'abord avec « python "
                            "manage.py add_establishment 9990001X --name \"Nom de l'établissement\" ». "
                            "Rien n'a été fait."),
    (["--uai", "0750001X"], "« 0750001X » n'est pas un code UAI valide (7 chiffres et la lettre de "
                            "contrôle). Rien n'a été fait."),
    (["--lot", "Statut=Elève ET"], "Équation incorrecte, caractère 14 : « ET » doit être suivi d'un terme "
                                   "(Champ=Valeur) ou d'une parenthèse."),
    (["--lot", "Couleur=bleu"], "Champ inconnu « Couleur » (caractère 1). Champs possibles : Statut, Classe, "
                                "Emprunteur, Type d'emprunteur, N° emprunteur, Identité ENT, Mel, "
                                "Date de naissance."),
])
def test_refusals_are_french_command_errors_and_write_nothing(school, arguments, message):
    options = {"--uai": UAI, "--lot": ""}
    options.update(zip(arguments[::2], arguments[1::2], strict=True))
    before = base_dump()

    flags = [item for pair in options.items() for item in pair]

    error = command_error(*flags, str(school["file"]), "--apply")

    assert error == message
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_a_missing_file_is_a_command_error(school, tmp_path):
    before = base_dump()

    error = command_error("--uai", UAI, str(tmp_path / "absent.xml"), "--apply")

    assert error == f"Fichier introuvable : {tmp_path / 'absent.xml'}. Rien n'a été fait."
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


@pytest.mark.parametrize("content, message", [
    (b"NOM;PRENOM;CLASSE\nDUPONT;Marie;5eA\n",
     "Ce fichier n'est pas un fichier XML : il ressemble à un tableau CSV. Le fichier attendu est l'export "
     "des utilisateurs au format BCDI (« FICHES_XML »)."),
    (b"", "Le fichier est vide."),
])
def test_an_unusable_file_is_a_command_error(school, tmp_path, content, message):
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    before = base_dump()

    error = command_error("--uai", UAI, str(path), "--apply")

    assert error == message
    assert base_dump() == before
    assert not UpdateRun.objects.exists()


def test_an_import_refused_at_the_last_moment_leaves_an_abandoned_run(school, monkeypatch):
    """Given the base changes between the command's analysis and its import, then a French refusal."""
    def base_changed(**kwargs):
        raise UpdateRefused(BASE_CHANGED, code="base_changed")

    monkeypatch.setattr(sync_borrowers, "update_apply", base_changed)
    before = base_dump()

    error = command_error("--uai", UAI, str(school["file"]), "--lot", "Statut=Elève", "--apply")

    assert error == BASE_CHANGED
    assert base_dump() == before
    run = UpdateRun.objects.get()
    assert run.state == UpdateRun.State.ABANDONED
    assert list(LibraryEvent.objects.order_by("pk").values_list("action", "actor_id", "data__run")) == [
        (EventAction.UPDATE_ANALYSE, None, run.pk), (EventAction.UPDATE_DECIDE, None, run.pk),
        (EventAction.UPDATE_ABANDON, None, run.pk)]
