"""The director's export, in a real Chromium: tick two classes and the teachers, export, download."""

import pytest

from sesame.interop.fiches_xml import read_fiches
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_exports_two_classes_and_teachers(live_server, page, school, tmp_path):
    page.goto(f"{live_server.url}/ent/connexion/")
    page.get_by_label("Identifiant").fill("directeur")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_test_id("person-profile").inner_text() == "DIRECTEUR"

    page.get_by_role("navigation").get_by_role("link", name="Services externes").last.click()
    page.get_by_role("link", name="Obtenir le fichier d'export utilisateur pour E-SIDOC").click()
    for level in ["6EME", "3EME"]:
        page.get_by_label(level, exact=True).uncheck()
    assert not page.get_by_label("6eB", exact=True).is_checked()  # a level unticks its classes
    page.get_by_label("6eA", exact=True).check()
    page.get_by_label("3eA", exact=True).check()
    page.get_by_label("Exporter les enseignants").check()
    page.get_by_label("Exporter les CPE, DIRECTEUR, SECRETAIRE, ADMIN, CDI").uncheck()
    page.get_by_role("button", name="Exporter", exact=True).click()
    assert "Export prêt : 5 personnes." in page.get_by_test_id("export-ready").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier XML pour E-SIDOC").click()
    path = tmp_path / "export.xml"
    download_info.value.save_as(path)

    names = {record.name for record in read_fiches(path.read_bytes()).records}
    assert names == {"LEFÈVRE Chloé", "N'DIAYE Moussa", "MÜLLER Zoé",
                     "DE LA FONTAINE Jean-Baptiste", "O'BRIEN Kévin"}


def test_a_pupil_gets_a_refusal_page_for_the_administration(live_server, page, school):
    page.goto(f"{live_server.url}/ent/connexion/")
    page.get_by_label("Identifiant").fill("eleve")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_test_id("person-profile").inner_text() == "Élève"
    assert page.get_by_role("navigation").get_by_text("Administration").count() == 0

    response = page.goto(f"{live_server.url}/ent/administration/parametres/services-externes/export-esidoc/")

    assert response.status == 403
    assert "réservée au directeur" in page.get_by_role("alert").inner_text()
