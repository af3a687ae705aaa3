"""The seed's whole procedure on the demo collège, in a real Chromium, across the first seam.

The director exports the users file from the ENT (seed B), then the librarian updates the CDI's
borrowers from that very file (seed C): ``Statut=Elève``, Analyse, a homonym resolved, a
suggestion accepted, Importation, the report downloaded.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sesame.library.models import Borrower, Loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_UAI = "9990001X"


@pytest.fixture
def demo_school(tmp_path):
    call_command("seed_demo", verbosity=0)
    export = tmp_path / "seed-export.xml"
    call_command("ent_export_esidoc", "--uai", DEMO_UAI, "--all-classes", "--teachers", "--staff",
                 "-o", str(export), verbosity=0)
    call_command("seed_demo_library", "--uai", DEMO_UAI, str(export), verbosity=0)


def _sign_in(page, url, login):
    page.goto(url)
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Se connecter").click()


def _rtf_text(content: bytes) -> str:
    return re.sub(r"\\u(-?\d+)\?", lambda m: chr(int(m.group(1)) % 65536), content.decode("ascii"))


def test_director_exports_and_librarian_updates_the_demo_cdi(live_server, page, demo_school, tmp_path):
    # Seed B: Administration › Paramètres › Services externes, everything ticked, Exporter, Télécharger.
    _sign_in(page, f"{live_server.url}/ent/connexion/", "directeur")
    page.goto(f"{live_server.url}/ent/administration/parametres/services-externes/")
    page.get_by_role("link", name="Obtenir le fichier d'export utilisateur pour E-SIDOC").click()
    page.get_by_role("button", name="Exporter", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier XML pour E-SIDOC").click()
    export = tmp_path / "export-esidoc.xml"
    download_info.value.save_as(export)
    page.get_by_role("button", name="Quitter").click()

    # Seed C: Gestion du prêt › Gestion des emprunteurs › Mettre à jour.
    _sign_in(page, f"{live_server.url}/bibliotheque/connexion/", "documentaliste")
    page.get_by_role("navigation").get_by_role("link", name="Mettre à jour").click()
    page.get_by_role("button", name="Lancer la mise à jour").click()
    page.get_by_label("Fichier d'importation").set_input_files(export)
    page.get_by_label("Emprunteurs à mettre à jour").fill("Statut=Elève")
    page.get_by_role("button", name="Compter").click()
    expect(page.get_by_test_id("lot-count")).to_contain_text("emprunteurs sélectionnés")
    page.get_by_role("button", name="Analyse", exact=True).click()

    for group in ("count-new", "count-updated", "count-deleted", "count-set-aside"):
        expect(page.get_by_test_id(group)).not_to_have_text(re.compile(r"^0 "))
    expect(page.get_by_test_id("count-updated")).to_contain_text("ambigus")

    window = page.get_by_role("heading", name="Interface de résolution de doublons")
    expect(window).to_be_visible()
    # The demo's two homonym pairs, one person of the file each: two borrowers to choose from per pair.
    choices = page.get_by_label(re.compile("Cliquer pour associer cet emprunteur n°"))
    expect(choices).to_have_count(4)
    choices.first.check()
    page.get_by_role("button", name="Valider les résolutions").click()
    expect(choices).to_have_count(2)  # retried until the recomputed analysis is shown

    # The demo's first suggestion: a teacher typed by hand with two letters swapped (seed C's slips).
    slipped = Borrower.objects.get(name="PERORT Romain")
    suggestions = page.get_by_test_id("suggestion")
    expect(suggestions).to_have_count(3)
    suggestion = suggestions.first
    expect(suggestion.get_by_role("row", name="Emprunteur").get_by_role("cell")).to_have_text(
        ["PERORT Romain", "PERROT Romain"])  # in the base, in the file
    suggestion.get_by_role("button", name="Accepter").click()
    expect(suggestions).to_have_count(2)

    page.get_by_role("button", name="Importation", exact=True).click()
    expect(page.get_by_role("heading", name="Rapport de la mise à jour")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le rapport (RTF)").click()
    report = _rtf_text(download_info.value.path().read_bytes())

    assert "MARCHAND Lucie" in report  # the demo pupil `eleve`, now in 4eA, matched by name
    pupil = Borrower.objects.get(name="MARCHAND Lucie")
    assert (pupil.school_class, pupil.ent_identity != "") == ("4eA", True)
    assert Loan.objects.filter(borrower=pupil, returned_on__isnull=True).count() >= 1
    # The accepted suggestion updated the slipped record, which keeps its number: no new record.
    corrected = Borrower.objects.get(pk=slipped.pk)
    assert (corrected.name, corrected.number) == ("PERROT Romain", slipped.number)
    assert corrected.ent_identity != ""
    assert Borrower.objects.filter(library=slipped.library, name="PERROT Romain").count() == 1
    assert "PERROT Romain" in report
