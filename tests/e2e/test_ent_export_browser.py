"""The director's export, in a real Chromium: tick two classes and the teachers, export, download."""

import pytest
from playwright.sync_api import expect

from sesame.interop.fiches_xml import read_fiches
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT_PAGE = "/ent/administration/parametres/services-externes/export-esidoc/"


def sign_in(live_server, page, username):
    page.goto(f"{live_server.url}/ent/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_director_exports_two_classes_and_teachers(live_server, page, school, tmp_path):
    sign_in(live_server, page, "directeur")
    expect(page.get_by_test_id("person-profile")).to_have_text("DIRECTEUR")

    page.get_by_role("navigation").get_by_role("link", name="Services externes").last.click()
    page.get_by_role("link", name="Obtenir le fichier d'export utilisateur pour E-SIDOC").click()
    expect(page.locator("html")).to_have_attribute("data-class-tree", "ready")
    for level in ["6EME", "3EME"]:
        page.get_by_label(level, exact=True).uncheck()
    expect(page.get_by_label("6eB", exact=True)).not_to_be_checked()  # a level unticks its classes
    page.get_by_label("6eA", exact=True).check()
    page.get_by_label("3eA", exact=True).check()
    page.get_by_label("Exporter les enseignants").check()
    page.get_by_label("Exporter les CPE, DIRECTEUR, SECRETAIRE, ADMIN, CDI").uncheck()
    page.get_by_role("button", name="Exporter", exact=True).click()
    expect(page.get_by_test_id("export-ready")).to_contain_text("Export prêt : 5 personnes.")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier XML pour E-SIDOC").click()
    path = tmp_path / "export.xml"
    download_info.value.save_as(path)

    names = {record.name for record in read_fiches(path.read_bytes()).records}
    assert names == {"LEFÈVRE Chloé", "N'DIAYE Moussa", "MÜLLER Zoé",
                     "DE LA FONTAINE Jean-Baptiste", "O'BRIEN Kévin"}


def test_boxes_changed_before_the_script_runs_are_kept_and_never_widen_the_export(live_server, page, school):
    sign_in(live_server, page, "directeur")
    expect(page.get_by_test_id("person-profile")).to_have_text("DIRECTEUR")
    held_scripts = []
    page.route("**/class-tree.js", lambda route: held_scripts.append(route))  # held: a slow network

    page.goto(f"{live_server.url}{EXPORT_PAGE}", wait_until="commit")
    page.get_by_label("6eB", exact=True).uncheck()
    page.get_by_label("3EME", exact=True).uncheck()  # no script yet: 3eA stays ticked
    assert len(held_scripts) == 1
    held_scripts[0].continue_()
    expect(page.locator("html")).to_have_attribute("data-class-tree", "ready")

    expect(page.get_by_label("6eB", exact=True)).not_to_be_checked()
    expect(page.get_by_label("6EME", exact=True)).to_be_checked(indeterminate=True)
    expect(page.get_by_label("3EME", exact=True)).not_to_be_checked()
    expect(page.get_by_label("3eA", exact=True)).to_be_checked()
    page.get_by_label("3eA", exact=True).uncheck()
    page.get_by_label("Exporter les CPE, DIRECTEUR, SECRETAIRE, ADMIN, CDI").uncheck()
    page.get_by_role("button", name="Exporter", exact=True).click()

    # 6EME stayed ticked but 6eB did not: 6eA's two pupils and the two teachers, not MARTIN Lucas.
    expect(page.get_by_test_id("export-ready")).to_contain_text("Export prêt : 4 personnes.")


def test_a_pupil_gets_a_refusal_page_for_the_administration(live_server, page, school):
    sign_in(live_server, page, "eleve")
    expect(page.get_by_test_id("person-profile")).to_have_text("Élève")
    expect(page.get_by_role("navigation").get_by_text("Administration")).to_have_count(0)

    response = page.goto(f"{live_server.url}{EXPORT_PAGE}")

    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("réservée au directeur")
