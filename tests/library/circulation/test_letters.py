"""Reminder letters (*lettres de relance*): one letter per borrower, read back with pypdf.

The loans are chosen as the "Retards et relances" page chooses them (``overdue_loans`` of one
class), so these tests also check that a class's letters name nobody of another class.
"""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from sesame.library.circulation.letters import french_date, latin1, reminder_letters_pdf
from sesame.library.circulation.selectors import overdue_loans
from tests.library.factories import TODAY, make_borrower, make_copy, make_library, make_loan, make_record

pytestmark = pytest.mark.django_db


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def lend(borrower, title: str, *, days_late: int):
    """An open loan of a new copy of ``title``, due ``days_late`` days before TODAY."""
    copy = make_copy(borrower.library, make_record(borrower.library, title))
    return make_loan(borrower, copy=copy, loaned_on=TODAY - timedelta(days=21 + days_late))


@pytest.fixture
def school():
    library = make_library(name="Collège Jean Moulin")
    people = {
        "dupont": make_borrower(library, "DUPONT Marie", school_class="3eA"),
        "lefevre": make_borrower(library, "LEFÈVRE Chloé", school_class="3eA"),
        "martin": make_borrower(library, "MARTIN Lucas", school_class="4eB"),
        "on_time": make_borrower(library, "BERNARD Emma", school_class="3eA"),
    }
    loans = {
        "dupont_1": lend(people["dupont"], "Le Petit Prince", days_late=9),
        "dupont_2": lend(people["dupont"], "Œuvres complètes de Molière", days_late=2),
        "lefevre": lend(people["lefevre"], "Le Cœur cousu", days_late=30),
        "martin": lend(people["martin"], "Les Misérables", days_late=5),
        "on_time": lend(people["on_time"], "Vendredi ou la vie sauvage", days_late=-3),
    }
    return library, people, loans


def test_a_class_gets_one_page_per_overdue_borrower_and_nobody_else(school):
    library, _people, loans = school

    pdf = reminder_letters_pdf(library=library, today=TODAY,
                               loans=overdue_loans(library=library, today=TODAY, school_class="3eA"))

    pages = pages_text(pdf)
    assert len(pages) == 2
    dupont, lefevre = pages
    assert "DUPONT Marie" in dupont and "Classe : 3eA" in dupont
    assert "Le Petit Prince" in dupont and "OEuvres complètes de Molière" in dupont
    for key, days in (("dupont_1", 9), ("dupont_2", 2)):
        due = TODAY - timedelta(days=days)
        assert f"{loans[key].copy.barcode} {due:%d/%m/%Y} ({days} j de retard)" in dupont
    assert "LEFÈVRE" not in dupont
    assert "LEFÈVRE Chloé" in lefevre and "Le Coeur cousu" in lefevre and "Le Petit Prince" not in lefevre
    for page in pages:
        assert page.startswith("Collège Jean Moulin Centre de documentation et d'information (CDI) "
                               "Le 2 septembre 2025")
        assert "MARTIN" not in page and "Les Misérables" not in page
        assert "BERNARD" not in page and "Vendredi" not in page
        assert "Le professeur documentaliste" in page


def test_the_letter_is_polite_and_agrees_with_the_number_of_documents(school):
    library, _people, loans = school

    pdf = reminder_letters_pdf(library=library, today=TODAY,
                               loans=[loans["dupont_1"], loans["dupont_2"], loans["martin"]])

    dupont, martin = pages_text(pdf)
    assert ("Bonjour, Sauf erreur de notre part, les documents suivants, empruntés au CDI, n'ont pas encore "
            "été rendus alors que leur date de retour prévue est passée :") in dupont
    assert "Merci de les rapporter au CDI dès que possible" in dupont
    assert ("Sauf erreur de notre part, le document suivant, emprunté au CDI, n'a pas encore été rendu alors "
            "que sa date de retour prévue est passée :") in martin
    assert "Merci de le rapporter au CDI dès que possible" in martin
    assert "Classe : 4eB" in martin


def test_everyone_overdue_gets_a_letter_ordered_by_class_then_name(school):
    library, _people, _loans = school

    pages = pages_text(reminder_letters_pdf(library=library, today=TODAY,
                                            loans=overdue_loans(library=library, today=TODAY)))

    names = [next(name for name in ("DUPONT Marie", "LEFÈVRE Chloé", "MARTIN Lucas") if name in page)
             for page in pages]
    assert names == ["DUPONT Marie", "LEFÈVRE Chloé", "MARTIN Lucas"]


def test_a_long_list_continues_on_the_next_page_and_the_next_borrower_starts_a_new_one(school):
    library, people, _loans = school
    many = [lend(people["dupont"], f"Documentaire n° {index}", days_late=4) for index in range(40)]

    pages = pages_text(reminder_letters_pdf(library=library, today=TODAY,
                                            loans=[*many, school[2]["lefevre"]]))

    assert len(pages) >= 3
    dupont_pages = [page for page in pages if "Documentaire" in page]
    assert "DUPONT Marie" in dupont_pages[0]
    assert all(f"Documentaire n° {index} " in " ".join(dupont_pages) for index in range(40))
    assert "LEFÈVRE Chloé" in pages[-1] and "Documentaire" not in pages[-1]


def test_without_loans_the_pdf_says_there_is_nothing_to_remind(school):
    library, _people, _loans = school

    assert pages_text(reminder_letters_pdf(library=library, loans=[], today=TODAY)) == [
        "Aucun prêt en retard : aucune lettre de relance à imprimer. Collège Jean Moulin - CDI - 0693456G"]


@pytest.mark.parametrize(("text", "printed"), [
    ("Le Cœur cousu", "Le Coeur cousu"),
    ("ŒUVRES", "OEUVRES"),
    ("Élève à l'école « été »", "Élève à l'école « été »"),
    ("Cafe\u0301", "Café"),  # a decomposed accent is composed, not lost
    ("Livre 📚 ĳ Ω", "Livre   "),  # outside Latin-1 and not œ: dropped
])
def test_text_is_reduced_to_latin_1_for_the_core_font(text, printed):
    assert latin1(text) == printed


def test_names_outside_latin_1_do_not_stop_the_letters(school):
    library, _people, _loans = school
    borrower = make_borrower(library, "ŒDIPE Zoë 😀", school_class="3eA")
    lend(borrower, "Ελληνικά Œuvres", days_late=3)

    pages = pages_text(reminder_letters_pdf(library=library, today=TODAY,
                                            loans=overdue_loans(library=library, today=TODAY,
                                                                school_class="3eA")))

    assert any("OEDIPE Zoë" in page and "OEuvres" in page for page in pages)


@pytest.mark.parametrize(("day", "spelt"), [
    (date(2025, 9, 1), "1er septembre 2025"), (date(2026, 2, 14), "14 février 2026"),
    (date(2025, 12, 31), "31 décembre 2025"),
])
def test_the_date_is_spelt_out_in_french(day, spelt):
    assert french_date(day) == spelt
