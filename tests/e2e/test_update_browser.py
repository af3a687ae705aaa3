"""The borrower update in a real Chromium, as a librarian does it at the start of the year (seed C).

Her base holds last year's pupils: two "MARTIN Lucas" (a homonym pair), "DUPOND Marie" whom the ENT
spells "DUPONT Marie" (a typing slip), a pupil who left and one who left with a book.
"""

import json
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from sesame.interop.fiches_xml import UserRecord, write_fiches
from sesame.library.models import Borrower, BorrowerType, Copy, Librarian, Library, Loan, Record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "motdepasse-test"


def _rtf_text(content: bytes) -> str:
    """The text of an RTF file with its ``\\uN?`` escapes decoded, enough to look for names."""
    source = content.decode("ascii")
    return re.sub(r"\\u(-?\d+)\?", lambda match: chr(int(match.group(1)) % 65536), source)


@pytest.fixture
def school():
    library = Library.objects.create(uai="0693456G", name="Collège Jean Moulin")
    user = get_user_model().objects.create_user("documentaliste", password=PASSWORD, first_name="Léa",
                                                last_name="LIVRE")
    Librarian.objects.create(library=library, user=user)
    rows = [
        ("MARTIN Lucas", "Elève", "5eA", None), ("MARTIN Lucas", "Elève", "5eB", None),
        ("DUPOND Marie", "Elève", "4eB", date(2011, 3, 14)), ("BERNARD Emma", "Elève", "6eA", None),
        ("PETIT Hugo", "Elève", "3eA", None), ("ROUX Nina", "Elève", "3eB", None),
        ("DURAND Claire", "Enseignant", "", None),
    ]
    borrowers = {}
    for number, (name, status, school_class, birth_date) in enumerate(rows, start=1):
        borrowers[number] = Borrower.objects.create(library=library, number=number, name=name, status=status,
                                                    school_class=school_class, birth_date=birth_date)
    record = Record.objects.create(library=library, title="Le Petit Prince", authors="Saint-Exupéry")
    loans = (("E001", borrowers[5], date(2025, 6, 1)), ("E002", borrowers[6], None))
    for barcode, borrower, returned in loans:
        copy = Copy.objects.create(library=library, record=record, barcode=barcode,
                                   status="disponible" if returned else "prêté")
        Loan.objects.create(library=library, copy=copy, borrower=borrower, borrower_status="Elève",
                            borrower_class=borrower.school_class, loaned_on=date(2025, 5, 20),
                            due_on=date(2025, 6, 10), returned_on=returned)
    return library, borrowers


def _ent_file(tmp_path):
    people = [
        UserRecord(name="MARTIN Lucas", ent_identity="ENT-MARTIN", status="Élève", school_class="4eA",
                   birth_date=date(2012, 1, 10)),
        UserRecord(name="DUPONT Marie", ent_identity="ENT-DUPONT", status="Élève", school_class="3eB",
                   birth_date=date(2011, 3, 14)),
        UserRecord(name="BERNARD Emma", ent_identity="ENT-BERNARD", status="Élève", school_class="5eA",
                   birth_date=date(2013, 6, 1)),
        UserRecord(name="DURAND Claire", ent_identity="ENT-DURAND", status="Enseignant"),
        UserRecord(name="NGUYEN Léa", ent_identity="ENT-NGUYEN", status="Élève", school_class="6eA",
                   birth_date=date(2014, 2, 2)),
    ]
    path = tmp_path / "export_ent.xml"
    path.write_bytes(write_fiches(people))
    return path


def test_librarian_updates_her_borrowers_from_the_ent_file(live_server, page, school, tmp_path):
    _library, borrowers = school
    page.goto(f"{live_server.url}/bibliotheque/connexion/")
    page.get_by_label("Identifiant").fill("documentaliste")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Gestion du prêt › Gestion des emprunteurs › Mettre à jour
    page.get_by_role("navigation").get_by_role("link", name="Mettre à jour").click()
    expect(page.get_by_role("heading", name="Avertissements préalables")).to_be_visible()
    assert page.get_by_label("Sauvegarder la base avant la mise à jour").is_checked()
    assert page.get_by_label("Rendre les prêts anonymes").is_checked()
    page.get_by_role("button", name="Lancer la mise à jour").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la sauvegarde").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sauvegarde-0693456G-")
    backup = json.loads((download.path()).read_bytes())
    assert len(backup["borrowers"]) == 7 and len(backup["loans"]) == 2

    page.get_by_label("Fichier d'importation").set_input_files(_ent_file(tmp_path))
    page.get_by_label("Emprunteurs à mettre à jour").fill("Statut=Elève")
    page.get_by_role("button", name="Compter").click()
    expect(page.get_by_test_id("lot-count")).to_have_text("6 emprunteurs sélectionnés")
    assert page.get_by_label("Fichier d'importation").evaluate("input => input.files.length") == 1
    page.get_by_role("button", name="Analyse", exact=True).click()

    analysis = page.get_by_test_id("analysis")
    expect(analysis).to_contain_text("Après l'importation, il y aura :")
    expect(page.get_by_test_id("count-new")).to_have_text("3 nouveaux")
    expect(page.get_by_test_id("count-updated")).to_have_text("2 mis à jour (dont 2 ambigus)")
    expect(page.get_by_test_id("count-deleted")).to_have_text("4 supprimés")
    expect(page.get_by_test_id("count-set-aside")).to_have_text("1 mis à l'écart")
    page.get_by_text("Liste des emprunteurs mis à jour").click()  # opens the <details>
    expect(analysis).to_contain_text("? BERNARD Emma")

    # Interface de résolution de doublons: this MARTIN Lucas is last year's 5eB.
    expect(page.get_by_role("heading", name="Interface de résolution de doublons")).to_be_visible()
    page.get_by_label("Cliquer pour associer cet emprunteur n° 2 à MARTIN Lucas").check()
    page.get_by_role("button", name="Valider les résolutions").click()
    expect(page.get_by_test_id("count-new")).to_have_text("2 nouveaux")
    expect(page.get_by_role("heading", name="Interface de résolution de doublons")).to_have_count(0)

    # Suggestion: DUPOND in the base is DUPONT in the ENT.
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_contain_text("DUPOND Marie")
    expect(suggestion).to_contain_text("DUPONT Marie")
    suggestion.get_by_role("button", name="Accepter").click()
    expect(page.get_by_test_id("count-new")).to_have_text("1 nouveau")
    expect(page.get_by_test_id("count-deleted")).to_have_text("2 supprimés")

    page.get_by_role("button", name="Importation", exact=True).click()
    expect(page.get_by_role("heading", name="Rapport de la mise à jour")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("NGUYEN Léa")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le rapport (RTF)").click()
    report = _rtf_text(download_info.value.path().read_bytes())
    for name in ("NGUYEN Léa", "DUPONT Marie", "MARTIN Lucas", "PETIT Hugo", "ROUX Nina"):
        assert name in report

    assert Borrower.objects.get(pk=borrowers[2].pk).school_class == "4eA"
    assert Borrower.objects.get(pk=borrowers[3].pk).name == "DUPONT Marie"
    assert Borrower.objects.get(pk=borrowers[6].pk).borrower_type == BorrowerType.TEMPORARY
    assert not Borrower.objects.filter(pk__in=[borrowers[1].pk, borrowers[5].pk]).exists()
