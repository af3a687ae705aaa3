"""The catalogue in a real Chromium: a librarian creates a record, adds a copy, imports a BCDI file.

She types an ISBN with a wrong key first, as happens, reads why it is refused beside the field and
in the alert, corrects it; then labels the book's copy, imports last year's UNIMARC export from the
old system and reads the report, and finds an imported book by searching without accents.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from sesame.library.models import Copy, Librarian, Library, Record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "motdepasse-test"
BCDI_FILE = Path(__file__).resolve().parent.parent / "data" / "marc" / "bcdi-unimarc-latin1.iso"


@pytest.fixture
def library():
    library = Library.objects.create(uai="0693456G", name="Collège Jean Moulin")
    user = get_user_model().objects.create_user("documentaliste", password=PASSWORD, first_name="Léa",
                                                last_name="LIVRE")
    Librarian.objects.create(library=library, user=user)
    return library


def test_librarian_creates_a_record_adds_a_copy_and_imports_a_marc_file(live_server, page, library):
    page.goto(f"{live_server.url}/bibliotheque/connexion/")
    page.get_by_label("Identifiant").fill("documentaliste")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Catalogue › Créer une notice, with an ISBN whose key is wrong.
    page.get_by_role("navigation").get_by_role("link", name="Créer une notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer une notice")
    page.get_by_label("Titre").fill("Vendredi ou la vie sauvage")
    page.get_by_label("Auteurs").fill("Tournier, Michel")
    page.get_by_label("Éditeur").fill("Gallimard")
    page.get_by_label("Année").fill("1977")
    page.get_by_label("ISBN").fill("978-2-07-051369-5")
    page.get_by_label("Cote").fill("R TOU")
    page.get_by_role("button", name="Enregistrer la notice").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("La notice n'a pas été enregistrée :")
    expect(alert).to_contain_text("ISBN invalide : la clé de contrôle devrait être 7.")
    isbn = page.get_by_label("ISBN")
    expect(isbn).to_have_attribute("aria-invalid", "true")
    expect(isbn).to_have_value("978-2-07-051369-5")
    expect(page.get_by_label("Titre")).to_have_value("Vendredi ou la vie sauvage")
    assert Record.objects.count() == 0

    isbn.fill("978-2-07-051369-7")
    isbn.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vendredi ou la vie sauvage")
    expect(page.get_by_role("status").first).to_have_text("Notice « Vendredi ou la vie sauvage » créée.")
    expect(page.get_by_test_id("record-isbn")).to_have_text("9782070513697")

    # Ajouter un exemplaire: a barcode already used is refused, a new one is added.
    page.get_by_label("Code-barre").fill("00012345")
    page.get_by_role("button", name="Ajouter l'exemplaire").click()
    expect(page.get_by_test_id("copies")).to_contain_text("00012345")
    expect(page.get_by_test_id("copies").get_by_role("cell", name="disponible")).to_have_count(1)
    expect(page.get_by_label("Code-barre")).to_have_value("00012346")  # the next label, suggested
    page.get_by_label("Code-barre").fill("00012345")
    page.get_by_role("button", name="Ajouter l'exemplaire").click()
    expect(page.get_by_role("alert")).to_contain_text("Le code-barre 00012345 existe déjà.")
    assert list(Copy.objects.values_list("barcode", "status")) == [("00012345", "disponible")]

    # Catalogue › Importer des notices: last year's BCDI export.
    page.get_by_role("navigation").get_by_role("link", name="Importer des notices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des notices (UNIMARC / MARC21)")
    page.get_by_label("Fichier de notices").set_input_files(BCDI_FILE)
    page.get_by_role("button", name="Importer").click()

    report = page.get_by_test_id("import-report")
    expect(report.get_by_test_id("report-format")).to_have_text(
        "Format reconnu : UNIMARC (titres en zone 200).")
    expect(report.get_by_test_id("report-encoding")).to_have_text("Encodage des caractères : ISO-8859-1.")
    expect(page.get_by_role("status")).to_have_text(
        "Notices lues : 6 — importées : 3 — déjà au catalogue : 2 — ignorées : 1 — exemplaires ajoutés : 7.")
    lines = report.get_by_test_id("report-lines")
    expect(lines).to_contain_text("Notice 3 : pas de titre (200$a) — ignorée.")
    # The export's Vendredi (its ISBN mistyped) is the record she just made: its copy joins it.
    expect(lines).to_contain_text("Notice 2 : déjà au catalogue (« Vendredi ou la vie sauvage ») — "
                                  "exemplaires ajoutés à cette notice : 1.")
    expect(lines).to_contain_text(
        "Notice 4 : exemplaire 00012001 non repris — le code-barre figure déjà dans la notice 1 du fichier.")
    with page.expect_download() as download_info:
        report.get_by_role("link", name="Télécharger le rapport").click()
    download = download_info.value
    assert download.suggested_filename == "rapport-import-bcdi-unimarc-latin1.txt"
    assert "Notice 3 : pas de titre (200$a) — ignorée." in Path(download.path()).read_text(encoding="utf-8")

    # The imported book is found without typing its accents or its ligature.
    page.get_by_role("navigation").get_by_role("link", name="Consulter le catalogue").click()
    page.get_by_label("Rechercher").fill("oeil loup")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 notice trouvée.")
    page.get_by_role("link", name="L'Œil du loup").click()
    expect(page.get_by_test_id("copies").get_by_role("row")).to_have_count(4)  # header and three copies
