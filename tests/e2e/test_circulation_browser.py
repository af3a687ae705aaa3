"""The circulation desk in a real Chromium, as the librarian works it with a barcode scanner.

A scanner types the code then Enter; ``keyboard.type`` + ``press("Enter")`` does the same in the
field that has the focus. Her base: DUPONT Marie, MARTIN Lucas (4eB, one overdue book), and
PATERNA Christophe, set aside by the last update with an overdue book (seed C7), who has since
got a new record under the same name.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from sesame.library.models import Borrower, BorrowerType, Copy, Librarian, Library, Loan, Record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "motdepasse-test"


@pytest.fixture
def school():
    library = Library.objects.create(uai="0693456G", name="Collège Jean Moulin")
    user = get_user_model().objects.create_user("documentaliste", password=PASSWORD, first_name="Léa",
                                                last_name="LIVRE")
    Librarian.objects.create(library=library, user=user)
    rows = [
        ("DUPONT Marie", "3eA", BorrowerType.REGULAR), ("MARTIN Lucas", "4eB", BorrowerType.REGULAR),
        ("PATERNA Christophe", "3eA", BorrowerType.TEMPORARY),
        ("Paterna Christophe", "2nde1", BorrowerType.REGULAR),
    ]
    people = {}
    for number, (name, school_class, kind) in enumerate(rows, start=1):
        people[name] = Borrower.objects.create(library=library, number=number, name=name, status="Elève",
                                               school_class=school_class, borrower_type=kind)
    copies = {}
    for barcode, title in (("E100", "Le Petit Prince"), ("E101", "Vendredi ou la vie sauvage"),
                           ("E200", "Le Cœur cousu"), ("E300", "Les Misérables")):
        record = Record.objects.create(library=library, title=title)
        copies[barcode] = Copy.objects.create(library=library, record=record, barcode=barcode)
    loaned_on = timezone.localdate() - timedelta(days=40)
    for barcode, name in (("E200", "PATERNA Christophe"), ("E300", "MARTIN Lucas")):
        borrower = people[name]
        Loan.objects.create(library=library, copy=copies[barcode], borrower=borrower, borrower_status="Elève",
                            borrower_class=borrower.school_class, loaned_on=loaned_on,
                            due_on=loaned_on + timedelta(days=21))
        Copy.objects.filter(pk=copies[barcode].pk).update(status="prêté")
    return library, people


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/bibliotheque/connexion/")
    page.get_by_label("Identifiant").fill("documentaliste")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def scan(page, barcode: str):
    """What a scanner does in the focused field: the characters, then Enter.

    A person scans once the page shows its field; the test likewise waits for the page's own
    autofocus to land on a text field, or the first characters could reach the page before it.
    """
    page.wait_for_load_state()
    page.wait_for_function(
        "document.activeElement && document.activeElement.tagName === 'INPUT' "
        "&& document.activeElement.type === 'text'"
    )
    page.keyboard.type(barcode)
    page.keyboard.press("Enter")


def test_lending_and_returning_with_a_scanner(live_server, page, school):
    _library, people = school
    sign_in(page, live_server)
    page.get_by_role("navigation").get_by_role("link", name="Prêt / retour").click()

    borrower_field = page.get_by_label("Emprunteur (nom ou numéro)")
    expect(borrower_field).to_be_focused()
    borrower_field.fill("dupont")
    borrower_field.press("Enter")
    expect(page.get_by_test_id("result-count")).to_have_text("1 emprunteur trouvé.")
    page.get_by_role("link", name="DUPONT Marie").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Prêt à DUPONT Marie (n° 1)")
    field = page.get_by_label("Code-barre de l'exemplaire à prêter")
    expect(field).to_be_focused()
    scan(page, "E100")
    due = (timezone.localdate() + timedelta(days=21)).strftime("%d/%m/%Y")
    expect(page.get_by_role("status")).to_have_text(
        f"« Le Petit Prince » (E100) prêté à DUPONT Marie, retour le {due}.")
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    scan(page, "E101")
    expect(page.get_by_role("status")).to_contain_text(
        "« Vendredi ou la vie sauvage » (E101) prêté à DUPONT Marie")
    expect(page.get_by_test_id("open-loans").locator("tbody tr")).to_have_count(2)
    scan(page, "E300")  # MARTIN Lucas has it
    expect(page.get_by_role("alert")).to_contain_text("L'exemplaire E300 est déjà prêté")
    assert list(Loan.objects.filter(borrower=people["DUPONT Marie"], returned_on__isnull=True)
                .order_by("pk").values_list("copy__barcode", flat=True)) == ["E100", "E101"]

    page.get_by_role("link", name="Retour d'exemplaires").first.click()
    expect(page.get_by_label("Code-barre de l'exemplaire rendu")).to_be_focused()
    scan(page, "E100")
    expect(page.get_by_role("status")).to_have_text("« Le Petit Prince » (E100) rendu par DUPONT Marie.")
    expect(page.get_by_label("Code-barre de l'exemplaire rendu")).to_be_focused()
    scan(page, "E300")
    expect(page.get_by_role("status")).to_have_text(
        "« Les Misérables » (E300) rendu par MARTIN Lucas. Rendu avec 19 jours de retard.")
    returns = page.get_by_test_id("recent-returns")
    expect(returns.locator("tbody tr").nth(0)).to_contain_text("E300")
    expect(returns.locator("tbody tr").nth(0)).to_contain_text("MARTIN Lucas")
    expect(returns.locator("tbody tr").nth(1)).to_contain_text("DUPONT Marie")
    assert not Loan.objects.filter(copy__barcode__in=["E100", "E300"], returned_on__isnull=True).exists()


def test_a_temporary_user_is_refused_a_loan_but_may_return(live_server, page, school):
    sign_in(page, live_server)
    page.get_by_role("navigation").get_by_role("link", name="Prêt / retour").click()
    page.get_by_label("Emprunteur (nom ou numéro)").fill("3")  # his card
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("temporary-warning")).to_contain_text("Usager temporaire")
    scan(page, "E101")
    expect(page.get_by_role("alert")).to_have_text(
        "Prêt impossible : PATERNA Christophe est un usager temporaire (mis à l'écart lors de la mise à "
        "jour). Les retours restent possibles.")
    assert not Loan.objects.filter(copy__barcode="E101").exists()

    page.get_by_role("link", name="Retour d'exemplaires").first.click()
    scan(page, "E200")
    status = page.get_by_role("status")
    expect(status.nth(0)).to_have_text(
        "« Le Cœur cousu » (E200) rendu par PATERNA Christophe. Rendu avec 19 jours de retard.")
    expect(status.nth(1)).to_have_text(
        "Dernier prêt de l'usager temporaire PATERNA Christophe rendu : sa fiche peut être supprimée.")
    expect(page.get_by_test_id("alerts")).to_contain_text("n'a plus de prêt en cours")


def test_reassigning_to_the_same_name_then_deleting_the_temporary_record(live_server, page, school):
    _library, people = school
    sign_in(page, live_server)
    page.get_by_role("navigation").get_by_role("link", name="Usagers temporaires").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 usager temporaire.")
    page.get_by_role("link", name="PATERNA Christophe").click()
    expect(page.get_by_test_id("borrower-type")).to_have_text("Usager temporaire (non modifiable)")

    page.get_by_role("link", name="Réattribuer les prêts").click()
    expect(page.get_by_test_id("same-name")).to_be_visible()
    same_name = page.get_by_label(re.compile(r"^Paterna Christophe \(n° 4, Elève, 2nde1\) — même nom"))
    expect(same_name).to_be_checked()
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("status")).to_have_text("1 prêt réattribué à Paterna Christophe (n° 4).")
    expect(page.get_by_role("link", name="Réattribuer les prêts")).to_have_count(0)
    expect(page.get_by_role("link", name="Liste des prêts")).to_have_count(0)
    expect(page.get_by_test_id("alerts")).to_contain_text("PATERNA Christophe (n° 3), usager temporaire")
    assert Loan.objects.get(copy__barcode="E200").borrower_id == people["Paterna Christophe"].pk

    page.get_by_role("button", name="Supprimer la fiche").click()
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_role("status").first).to_have_text("Fiche de PATERNA Christophe (n° 3) supprimée.")
    expect(page.get_by_test_id("result-count")).to_have_text("Aucun usager temporaire.")
    assert not Borrower.objects.filter(pk=people["PATERNA Christophe"].pk).exists()


def test_printing_the_reminder_letters_of_a_class(live_server, page, school):
    sign_in(page, live_server)
    page.get_by_role("navigation").get_by_role("link", name="Retards et relances").click()
    expect(page.get_by_test_id("overdue-count")).to_have_text("2 prêts en retard (2 emprunteurs).")
    page.get_by_label("Classe", exact=True).select_option("3eA")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("overdue-count")).to_have_text("1 prêt en retard (1 emprunteur), classe 3eA.")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Imprimer les lettres de relance").click()
    download = download_info.value
    today = timezone.localdate()
    assert download.suggested_filename == f"lettres-de-relance-0693456G-3ea-{today:%Y-%m-%d}.pdf"
    pages = [text.extract_text() for text in PdfReader(io.BytesIO(download.path().read_bytes())).pages]
    assert len(pages) == 1
    assert "PATERNA Christophe" in pages[0] and "Le Coeur cousu" in pages[0] and "E200" in pages[0]
    assert "MARTIN" not in pages[0] and "Les Misérables" not in pages[0]
