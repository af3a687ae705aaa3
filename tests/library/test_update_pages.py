"""The borrower update pages (seed C), through the Django test client.

A small collège whose base holds last year's pupils: a homonym pair (two "MARTIN Lucas"), a typing
slip ("DUPOND Marie" in the base, "DUPONT Marie" in the ENT), a pupil who left without a loan and
one who left with a book. Every refusal is checked to create no run and change no borrower.
"""

import html
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sesame.library.models import Borrower, BorrowerType, Librarian, Loan, UpdateRun
from tests.library.factories import (
    OTHER_UAI,
    base_dump,
    make_borrower,
    make_library,
    make_loan,
    person,
    users_file,
)

PASSWORD = "motdepasse-test"
HELP_URL = "/bibliotheque/aide/{}/"


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


def ent_file() -> bytes:
    """This year's ENT export: one MARTIN Lucas, DUPONT with a T, a new pupil; PETIT and ROUX left."""
    return users_file([
        person("MARTIN Lucas", school_class="4eA", birth_date=date(2012, 1, 10), ent_identity="ENT-MARTIN"),
        person("DUPONT Marie", school_class="3eB", birth_date=date(2011, 3, 14), ent_identity="ENT-DUPONT"),
        person("BERNARD Emma", school_class="5eA", birth_date=date(2013, 6, 1), ent_identity="ENT-BERNARD"),
        person("DURAND Claire", status="Enseignant", ent_identity="ENT-DURAND"),
        person("NGUYEN Léa", school_class="6eA", birth_date=date(2014, 2, 2), ent_identity="ENT-NGUYEN"),
    ])


def url(name: str, library, **kwargs) -> str:
    return reverse(f"library:{name}", kwargs={"uai": library.uai, **kwargs})


def start(client, library, *, backup: bool = True, anonymize: bool = True):
    data = {key: "on" for key, ticked in (("backup", backup), ("anonymize", anonymize)) if ticked}
    return client.post(url("update_start", library), data)


def upload(client, library, content: bytes, *, expression: str = "Statut=Elève", name: str = "export.xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("update_file", library), {
        "users_file": SimpleUploadedFile(name, content, content_type="text/xml"),
        "lot_expression": expression, "action": "analyse",
    })


def analysed_run(client, library) -> UpdateRun:
    start(client, library)
    response = upload(client, library, ent_file())
    run = UpdateRun.objects.get(library=library)
    assert response.status_code == 302
    assert response.url == url("update_run", library, run_id=run.pk)
    return run


def text(response) -> str:
    """The page as a reader sees its text (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


# --- Step 1: Avertissements préalables ----------------------------------------------------------------

def test_the_warnings_page_ticks_backup_and_anonymous_loans_by_default(browser_client, library):
    response = browser_client.get(url("update_start", library))

    page = text(response)
    assert response.status_code == 200
    assert "Avertissements préalables" in page
    assert ('<input type="checkbox" name="backup" id="id_backup" aria-describedby="backup-help" '
            "checked>") in page
    assert ('<input type="checkbox" name="anonymize" id="id_anonymize" aria-describedby="anonymize-help" '
            "checked>") in page
    assert "<details" in page and "Paramètres des prêts anonymes" in page
    assert "Lancer la mise à jour" in page
    assert HELP_URL.format("mise-a-jour-avertissements") in page


def test_lancer_la_mise_a_jour_keeps_the_choices_and_shows_the_backup_link(browser_client, library):
    response = start(browser_client, library)

    assert response.status_code == 302
    assert response.url == url("update_file", library)
    page = text(browser_client.get(response.url))
    assert "Télécharger la sauvegarde" in page
    assert url("update_backup", library) in page
    assert HELP_URL.format("mise-a-jour-fichier") in page
    assert HELP_URL.format("mise-a-jour-lot") in page
    assert 'placeholder="Statut=Elève"' in page


def test_both_warnings_can_be_declined(browser_client, library, base):
    start(browser_client, library, backup=False, anonymize=False)

    page = text(browser_client.get(url("update_file", library)))
    assert "Télécharger la sauvegarde" not in page
    assert "Vous avez choisi de ne pas sauvegarder la base." in page
    assert "Prêts anonymes : non." in page
    upload(browser_client, library, ent_file())
    assert UpdateRun.objects.get(library=library).options["anonymize_history"] is False
    # Back on the warnings page, the boxes show what was chosen.
    again = text(browser_client.get(url("update_start", library)))
    assert 'aria-describedby="backup-help">' in again


def test_the_file_step_sends_a_librarian_who_skipped_the_warnings_back_to_them(browser_client, library):
    response = browser_client.get(url("update_file", library))

    assert response.status_code == 302
    assert response.url == url("update_start", library)


def test_the_backup_is_a_json_file_with_the_borrowers_and_loans(browser_client, library, base):
    response = browser_client.get(url("update_backup", library))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="sauvegarde-{library.uai}-')
    assert disposition.endswith('.json"')
    data = json.loads(response.content)
    assert data["library"] == {"uai": "0693456G", "name": "Collège Jean Moulin"}
    assert sorted(row["name"] for row in data["borrowers"]) == sorted(b.name for b in base.values())
    assert len(data["loans"]) == 3
    assert {row["borrower_id"] for row in data["loans"]} == {base[k].pk for k in ("petit", "roux", "bernard")}
    assert len(data["copies"]) == 3 and len(data["records"]) == 3
    assert "update_runs" not in data


# --- Step 2: Fichier d'importation, Emprunteurs à mettre à jour ------------------------------------

HOSTILE = (b'<?xml version="1.0"?><!DOCTYPE FICHES_XML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>&x;</EMPRUNTEUR_M></EMPRUNTEURS></FICHES_XML>")


@pytest.mark.parametrize(("content", "expected"), [
    pytest.param(b"<FICHES_XML><EMPRUNTEURS><EMPRUNTEUR_M>DUPONT", "", id="malformed"),
    pytest.param(b'<?xml version="1.0"?><BEE_ELEVES><DONNEES/></BEE_ELEVES>', "FICHES_XML",
                 id="other-format"),
    pytest.param(b"nom;prenom;classe\nDUPONT;Marie;3eB\n", "", id="csv"),
    pytest.param(b"", "", id="empty"),
    pytest.param(HOSTILE, "DTD", id="hostile"),
])
def test_a_refused_file_shows_why_and_changes_nothing(browser_client, library, base, content, expected):
    start(browser_client, library)
    before = base_dump(library)

    response = upload(browser_client, library, content)

    page = text(response)
    assert response.status_code == 400
    assert 'role="alert"' in page
    assert expected in page
    assert "Fichier d'importation" in page
    assert UpdateRun.objects.count() == 0
    assert base_dump(library) == before


def test_analyse_without_a_file_asks_for_one(browser_client, library, base):
    start(browser_client, library)

    response = browser_client.post(url("update_file", library), {"lot_expression": "", "action": "analyse"})

    assert response.status_code == 400
    assert "Choisissez le fichier d'importation" in text(response)
    assert UpdateRun.objects.count() == 0


def test_a_malformed_expression_is_refused_with_the_position(browser_client, library, base):
    start(browser_client, library)
    before = base_dump(library)

    response = upload(browser_client, library, ent_file(), expression="Statut=Elève ET (Classe=3*")

    page = text(response)
    assert response.status_code == 400
    assert 'role="alert"' in page
    assert "Équation incorrecte" in page
    assert UpdateRun.objects.count() == 0
    assert base_dump(library) == before


def test_compter_shows_how_many_borrowers_the_expression_selects(browser_client, library, base):
    start(browser_client, library)

    response = browser_client.post(url("update_file", library),
                                   {"lot_expression": "Statut=Elève", "action": "count"})

    assert response.status_code == 200
    assert "6 emprunteurs sélectionnés" in text(response)
    assert UpdateRun.objects.count() == 0


def test_compter_answers_the_page_script_in_json(browser_client, library, base):
    start(browser_client, library)
    endpoint = url("update_file", library)

    counted = browser_client.post(endpoint, {"lot_expression": "Statut=Enseignant", "action": "count"},
                                  HTTP_ACCEPT="application/json")
    refused = browser_client.post(endpoint, {"lot_expression": "Statut", "action": "count"},
                                  HTTP_ACCEPT="application/json")

    assert counted.json() == {"ok": True, "message": "1 emprunteur sélectionné"}
    assert refused.status_code == 400
    assert refused.json()["ok"] is False
    assert refused.json()["message"].startswith("Équation incorrecte")


# --- Step 3: Analyse, homonyms, suggestions ------------------------------------------------------------

def test_the_analysis_shows_what_was_read_and_the_four_groups(browser_client, library, base):
    run = analysed_run(browser_client, library)

    response = browser_client.get(url("update_run", library, run_id=run.pk))

    page = text(response)
    assert response.status_code == 200
    assert "« export.xml » : 5 personnes lues." in page
    assert "« Statut=Elève » : 6 emprunteurs sélectionnés." in page
    assert "Après l'importation, il y aura :" in page
    assert "3 nouveaux" in page
    assert "2 mis à jour (dont 2 ambigus)" in page
    assert "4 supprimés" in page
    assert "1 mis à l'écart" in page
    assert "? BERNARD Emma" in page
    assert page.count("(homonyme à résoudre)") == 3  # the person, and the two borrowers held for her
    assert page.count("(suggestion à examiner)") == 2  # DUPONT among the new, DUPOND among the deleted
    assert "classe 6eA → 5eA" in page
    assert page.count("<details>") >= 4
    assert "Interface de résolution de doublons" in page
    assert "Cliquer pour associer cet emprunteur" in page
    assert "Créer une nouvelle fiche" in page
    assert "Valider les résolutions" in page
    assert "DUPOND Marie" in page and "DUPONT Marie" in page
    new_record = "la personne sera créée comme nouvelle fiche, comme le fait BCDI."
    assert f"1 homonyme non résolu : {new_record}" in page
    assert f"1 suggestion non traitée : {new_record}" in page
    assert "N'interrompez pas l'opération" in page
    for page_name in ("analyse", "doublons", "suggestions", "importation", "fichier"):
        assert HELP_URL.format(f"mise-a-jour-{page_name}") in page


def test_the_analysis_lists_the_problems_of_the_file_and_the_parents_left_out(browser_client, library):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><FICHES_XML>\n'
        "<EMPRUNTEURS><EMPRUNTEUR_M>LEFÈVRE Chloé</EMPRUNTEUR_M>"
        "<DATE_NAISSANCE_M>31/02/2013</DATE_NAISSANCE_M>"
        "<STATUT_M_M>Élève</STATUT_M_M><CLASSE_M>4eB</CLASSE_M><IDENTITE_ENT_M>A1</IDENTITE_ENT_M></EMPRUNTEURS>\n"
        "<EMPRUNTEURS><EMPRUNTEUR_M>LEFÈVRE Anne</EMPRUNTEUR_M><STATUT_M_M>Parent</STATUT_M_M>"
        "<IDENTITE_ENT_M>A2</IDENTITE_ENT_M></EMPRUNTEURS>\n"
        "<EMPRUNTEURS><EMPRUNTEUR_M></EMPRUNTEUR_M><STATUT_M_M>Élève</STATUT_M_M>"
        "<IDENTITE_ENT_M>A3</IDENTITE_ENT_M></EMPRUNTEURS>\n</FICHES_XML>"
    ).encode()
    start(browser_client, library)
    upload(browser_client, library, content, expression="")
    run = UpdateRun.objects.get(library=library)

    page = text(browser_client.get(url("update_run", library, run_id=run.pk)))

    assert "« export.xml » : 1 personne lue." in page
    assert "1 parent présent dans le fichier, ignoré" in page
    assert "2 problèmes dans le fichier" in page
    assert "Fiche n° 1 (ligne 2, LEFÈVRE Chloé) : la date de naissance « 31/02/2013 »" in page
    assert "Fiche n° 3 (ligne 4) : le nom (EMPRUNTEUR_M) est vide" in page
    assert "4eB : 1" in page
    assert "Aucune équation : aucun emprunteur ne sera supprimé ni mis à l'écart." in page
    assert "1 nouveau" in page


def test_resolving_the_homonym_changes_the_plan(browser_client, library, base):
    run = analysed_run(browser_client, library)

    response = browser_client.post(url("update_run", library, run_id=run.pk),
                                   {"action": "resolve", "resolution-ENT-MARTIN": str(base["martin_b"].pk)})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.resolutions == {"ENT-MARTIN": base["martin_b"].pk}
    page = text(browser_client.get(url("update_run", library, run_id=run.pk)))
    assert "Interface de résolution de doublons" not in page
    assert "2 nouveaux" in page
    assert "3 mis à jour" in page
    assert "classe 5eB → 4eA" in page
    assert "associé à l'emprunteur n° 2 MARTIN Lucas" in page


def test_a_resolution_naming_a_borrower_outside_the_conflict_is_refused(browser_client, library, base):
    run = analysed_run(browser_client, library)

    response = browser_client.post(url("update_run", library, run_id=run.pk),
                                   {"action": "resolve", "resolution-ENT-MARTIN": str(base["petit"].pk)})

    assert response.status_code == 400
    assert "Ce choix ne fait pas partie des homonymes proposés." in text(response)
    run.refresh_from_db()
    assert run.resolutions == {}


def test_two_homonyms_on_each_side_are_resolved_by_one_choice(browser_client, library):
    """Seed C, "Autre cas": "La résolution de l'une entraîne la résolution automatique de l'autre"."""
    first = make_borrower(library, "LEROY Tom", school_class="4eA")
    second = make_borrower(library, "LEROY Tom", school_class="4eB")
    start(browser_client, library)
    upload(browser_client, library, users_file([
        person("LEROY Tom", school_class="3eA", birth_date=date(2011, 1, 5), ent_identity="ENT-TOM-1"),
        person("LEROY Tom", school_class="3eB", birth_date=date(2011, 9, 9), ent_identity="ENT-TOM-2"),
    ]))
    run = UpdateRun.objects.get(library=library)
    endpoint = url("update_run", library, run_id=run.pk)
    page = text(browser_client.get(endpoint))
    assert "Autre cas : des homonymes à la fois dans le fichier et dans la base" in page
    assert page.count('name="resolution-ENT-TOM-') == 6  # two people × (two borrowers + a new record)

    browser_client.post(endpoint, {"action": "resolve", "resolution-ENT-TOM-1": str(second.pk)})

    page = text(browser_client.get(endpoint))
    assert "Interface de résolution de doublons" not in page
    assert ">0 nouveau<" in page and "2 mis à jour" in page
    assert "classe 4eA → 3eB" in page and "classe 4eB → 3eA" in page
    assert first.pk != second.pk


def test_one_borrower_cannot_be_given_to_two_people(browser_client, library):
    borrower = make_borrower(library, "LEROY Tom", school_class="4eA")
    make_borrower(library, "LEROY Tom", school_class="4eB")
    start(browser_client, library)
    upload(browser_client, library, users_file([
        person("LEROY Tom", school_class="3eA", birth_date=date(2011, 1, 5), ent_identity="ENT-TOM-1"),
        person("LEROY Tom", school_class="3eB", birth_date=date(2011, 9, 9), ent_identity="ENT-TOM-2"),
    ]))
    run = UpdateRun.objects.get(library=library)

    response = browser_client.post(url("update_run", library, run_id=run.pk), {
        "action": "resolve",
        "resolution-ENT-TOM-1": str(borrower.pk), "resolution-ENT-TOM-2": str(borrower.pk),
    })

    assert response.status_code == 400
    assert "Un même emprunteur ne peut être associé qu'à une seule personne du fichier." in text(response)
    run.refresh_from_db()
    assert run.resolutions == {}


def test_accepting_the_suggestion_changes_the_plan(browser_client, library, base):
    run = analysed_run(browser_client, library)
    key = f"{base['dupond'].pk}:ENT-DUPONT"

    response = browser_client.post(url("update_run", library, run_id=run.pk),
                                   {"action": "suggestion", "suggestion": key, "decision": "accepted"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.suggestion_decisions == {key: "accepted"}
    page = text(browser_client.get(url("update_run", library, run_id=run.pk)))
    assert "2 nouveaux" in page
    assert "3 supprimés" in page
    assert "nom DUPOND Marie → DUPONT Marie" in page
    assert "suggestion non traitée" not in page
    assert "Revenir sur cette décision" in page


def test_going_back_on_a_suggestion_makes_it_pending_again(browser_client, library, base):
    run = analysed_run(browser_client, library)
    endpoint = url("update_run", library, run_id=run.pk)
    key = f"{base['dupond'].pk}:ENT-DUPONT"
    browser_client.post(endpoint, {"action": "suggestion", "suggestion": key, "decision": "rejected"})

    browser_client.post(endpoint, {"action": "suggestion", "suggestion": key, "decision": "pending"})

    page = text(browser_client.get(endpoint))
    assert "1 suggestion non traitée" in page


def test_an_unknown_suggestion_is_refused(browser_client, library, base):
    run = analysed_run(browser_client, library)

    response = browser_client.post(url("update_run", library, run_id=run.pk),
                                   {"action": "suggestion", "suggestion": "999:ENT-X",
                                    "decision": "accepted"})

    assert response.status_code == 400
    run.refresh_from_db()
    assert run.suggestion_decisions == {}


# --- Steps 4 and 5: Importation, report, undo --------------------------------------------------------

def decide_everything(client, library, run, base):
    endpoint = url("update_run", library, run_id=run.pk)
    client.post(endpoint, {"action": "resolve", "resolution-ENT-MARTIN": str(base["martin_b"].pk)})
    client.post(endpoint, {"action": "suggestion", "suggestion": f"{base['dupond'].pk}:ENT-DUPONT",
                           "decision": "accepted"})


def test_importation_applies_the_plan_and_shows_the_report(browser_client, library, base, librarian):
    run = analysed_run(browser_client, library)
    decide_everything(browser_client, library, run, base)

    response = browser_client.post(url("update_import", library, run_id=run.pk))

    assert response.status_code == 302
    assert response.url == url("update_report", library, run_id=run.pk)
    names = set(Borrower.objects.filter(library=library).values_list("name", flat=True))
    assert names == {"MARTIN Lucas", "DUPONT Marie", "BERNARD Emma", "DURAND Claire", "NGUYEN Léa",
                     "ROUX Nina"}
    assert Borrower.objects.get(pk=base["martin_b"].pk).school_class == "4eA"
    assert Borrower.objects.get(pk=base["roux"].pk).borrower_type == BorrowerType.TEMPORARY
    assert Loan.objects.filter(library=library, borrower__isnull=True).count() == 1  # PETIT's, anonymous

    page = text(browser_client.get(response.url))
    assert "Rapport de la mise à jour" in page
    assert "1 nouveau" in page and "4 mis à jour (dont 2 ambigus)" in page
    assert "2 supprimés" in page and "1 mis à l'écart" in page
    for name in ("NGUYEN Léa", "DUPONT Marie", "PETIT Hugo", "ROUX Nina"):
        assert name in page
    assert "Léa LIVRE" in page
    assert "« Statut=Elève »" in page
    assert "Télécharger le rapport (RTF)" in page
    assert "Annuler la dernière mise à jour" in page
    assert HELP_URL.format("mise-a-jour-rapport") in page
    assert HELP_URL.format("mise-a-jour-annuler") in page
    start_page = text(browser_client.get(url("update_start", library)))
    assert url("update_report", library, run_id=run.pk) in start_page

    rtf = browser_client.get(url("update_report_rtf", library, run_id=run.pk))
    assert rtf.status_code == 200
    assert rtf["Content-Type"] == "application/rtf"
    assert rtf["Content-Disposition"].startswith(f'attachment; filename="rapport-mise-a-jour-{library.uai}-')
    assert rtf.content.startswith(b"{\\rtf1")
    assert b"NGUYEN L\\u233?a" in rtf.content


def test_a_second_click_on_importation_goes_to_the_report(browser_client, library, base):
    run = analysed_run(browser_client, library)
    browser_client.post(url("update_import", library, run_id=run.pk))
    after = base_dump(library)

    response = browser_client.post(url("update_import", library, run_id=run.pk))

    assert response.url == url("update_report", library, run_id=run.pk)
    assert base_dump(library) == after


def test_importation_is_refused_when_the_base_changed_and_reanalysis_keeps_the_decisions(
    browser_client, library, base,
):
    run = analysed_run(browser_client, library)
    decide_everything(browser_client, library, run, base)
    Loan.objects.filter(borrower=base["roux"]).update(returned_on=date(2025, 9, 3))  # a book comes back
    before = base_dump(library)

    response = browser_client.post(url("update_import", library, run_id=run.pk))

    assert response.url == url("update_run", library, run_id=run.pk)
    assert base_dump(library) == before
    page = text(browser_client.get(response.url))
    assert 'role="alert"' in page and "La base des emprunteurs a changé depuis l'analyse" in page
    assert "Relancer l'analyse" in page
    # The alert is shown once.
    assert "a changé depuis l'analyse (une autre" not in text(browser_client.get(response.url))

    again = browser_client.post(url("update_run", library, run_id=run.pk), {"action": "reanalyse"})

    new_run = UpdateRun.objects.filter(library=library).exclude(pk=run.pk).get()
    assert again.url == url("update_run", library, run_id=new_run.pk)
    assert new_run.resolutions == {"ENT-MARTIN": base["martin_b"].pk}
    assert new_run.suggestion_decisions == {f"{base['dupond'].pk}:ENT-DUPONT": "accepted"}
    run.refresh_from_db()
    assert run.state == UpdateRun.State.ABANDONED
    page = text(browser_client.get(again.url))
    assert "4 supprimés" not in page and "3 supprimés" in page  # ROUX has no loan left: deleted


def test_a_file_that_empties_the_lot_needs_a_confirmation(browser_client, library):
    for index in range(30):
        make_borrower(library, f"ANCIEN Élève{index:02d}", school_class="3eA")
    start(browser_client, library)
    upload(browser_client, library, users_file([person("NOUVEAU Seul", school_class="6eA")]))
    run = UpdateRun.objects.get(library=library)
    endpoint = url("update_run", library, run_id=run.pk)
    page = text(browser_client.get(endpoint))
    assert "Je confirme" in page
    assert "L'importation est arrêtée" in page
    before = base_dump(library)

    refused = browser_client.post(url("update_import", library, run_id=run.pk))

    assert refused.url == endpoint
    assert base_dump(library) == before
    codes = [code for code in ("mass_removal", "low_match") if f'value="{code}"' in page]
    browser_client.post(endpoint, {"action": "guards", "guard": codes})
    assert "L'importation est arrêtée" not in text(browser_client.get(endpoint))
    done = browser_client.post(url("update_import", library, run_id=run.pk))
    assert done.url == url("update_report", library, run_id=run.pk)
    assert Borrower.objects.filter(library=library).count() == 1


def test_undo_restores_the_base_after_a_ticked_confirmation(browser_client, library, base):
    before = base_dump(library, with_updated_at=False)
    run = analysed_run(browser_client, library)
    decide_everything(browser_client, library, run, base)
    browser_client.post(url("update_import", library, run_id=run.pk))

    unconfirmed = browser_client.post(url("update_undo", library), {})
    assert unconfirmed.url == url("update_report", library, run_id=run.pk)
    assert "Cochez la case de confirmation" in text(browser_client.get(unconfirmed.url))
    assert base_dump(library, with_updated_at=False) != before

    response = browser_client.post(url("update_undo", library), {"confirm": "on"})

    assert response.url == url("update_report", library, run_id=run.pk)
    assert base_dump(library, with_updated_at=False) == before
    page = text(browser_client.get(response.url))
    assert "La dernière mise à jour a été annulée" in page
    assert "Cette mise à jour a été annulée le" in page
    assert 'action="' + url("update_undo", library) not in page


def test_undo_is_refused_when_the_base_changed_since(browser_client, library, base):
    run = analysed_run(browser_client, library)
    browser_client.post(url("update_import", library, run_id=run.pk))
    Loan.objects.filter(borrower=base["roux"]).update(returned_on=date(2025, 9, 3))
    before = base_dump(library)

    response = browser_client.post(url("update_undo", library), {"confirm": "on"})

    assert response.url == url("update_report", library, run_id=run.pk)
    assert "La base a été modifiée depuis cette mise à jour" in text(browser_client.get(response.url))
    assert base_dump(library) == before


def test_the_help_pages_of_every_step_exist(browser_client):
    for page_name in ("mise-a-jour", "mise-a-jour-avertissements", "mise-a-jour-fichier", "mise-a-jour-lot",
                      "mise-a-jour-analyse", "mise-a-jour-doublons", "mise-a-jour-suggestions",
                      "mise-a-jour-importation", "mise-a-jour-rapport", "mise-a-jour-annuler"):
        response = browser_client.get(HELP_URL.format(page_name))
        assert response.status_code == 200, page_name
        assert "Mise à jour" in text(response) or "Mettre à jour" in text(response)


# --- Who may see these pages ----------------------------------------------------------------------------

def test_a_librarian_of_another_library_is_refused(client, library, base, librarian):
    run = analysed_run(_logged_in(client, librarian), library)
    other = make_library(OTHER_UAI, "Collège d'à côté")
    stranger = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other, user=stranger)
    client.force_login(stranger)
    before = base_dump(library)

    for response in (
        client.get(url("update_start", library)),
        client.get(url("update_backup", library)),
        client.get(url("update_run", library, run_id=run.pk)),
        client.post(url("update_import", library, run_id=run.pk)),
        client.get(url("update_report_rtf", library, run_id=run.pk)),
        client.post(url("update_undo", library), {"confirm": "on"}),
    ):
        assert response.status_code == 403
    # Through their own library's address, the other library's run does not exist.
    assert client.get(url("update_run", other, run_id=run.pk)).status_code == 404
    assert client.post(url("update_import", other, run_id=run.pk)).status_code == 404
    assert base_dump(library) == before
    run.refresh_from_db()
    assert run.state == UpdateRun.State.ANALYSED


def _logged_in(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_library_login(client, library):
    for name in ("update_start", "update_backup", "update_file"):
        response = client.get(url(name, library))
        assert response.status_code == 302
        assert response.url.startswith(reverse("library:login") + "?next=")
