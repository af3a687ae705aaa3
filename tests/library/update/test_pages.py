"""The borrower update pages (seed C), through the Django test client.

A small collège whose base holds last year's pupils: a homonym pair (two "MARTIN Lucas"), a typing
slip ("DUPOND Marie" in the base, "DUPONT Marie" in the ENT), a pupil who left without a loan and
one who left with a book. Every refusal is checked to create no run and change no borrower.
"""

import json
from datetime import date

import pytest

from sesame.library.models import UpdateRun
from sesame.sync import SuggestionKey
from tests.library.factories import (
    base_dump,
    make_borrower,
    person,
    users_file,
)
from tests.library.update.pages import (
    HELP_URL,
    analysed_run,
    ent_file,
    start,
    text,
    upload,
    url,
)

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
    key = SuggestionKey(base["dupond"].pk, "ENT-DUPONT").key()

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
    key = SuggestionKey(base["dupond"].pk, "ENT-DUPONT").key()
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
