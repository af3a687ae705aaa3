"""The catalogue: records and copies through the services and the pages, the search, the demo catalogue.

Every refusal is checked twice: the French message the librarian reads, and the catalogue (every
column of every record and copy) exactly as it was.
"""

import html
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.catalogue.services import (
    CatalogueRefused,
    copy_add,
    copy_update,
    next_barcode,
    record_create,
    record_search,
    record_update,
)
from sesame.library.demo.catalogue_bulk import bulk_barcodes, bulk_catalogue_seed, bulk_records
from sesame.library.models import Copy, CopyStatus, Librarian, Record, Reservation, ReservationState
from tests.library.factories import (
    OTHER_UAI,
    UAI,
    catalogue_dump,
    make_borrower,
    make_library,
    make_loan,
    marc_field,
    marc_file,
    marc_record,
)

PASSWORD = "motdepasse-test"
NEXT_YEAR = timezone.localdate().year + 1
IMPLAUSIBLE_YEAR = f"Année invraisemblable : saisissez une année entre 1450 et {NEXT_YEAR}."
PRINCE_ISBN_TAKEN = ("L'ISBN 9782070612758 est déjà celui de la notice « Le Petit Prince » : ajoutez-y "
                     "plutôt un exemplaire.")
ON_LOAN = ("L'exemplaire 00100005 est prêté : son statut se change dans la gestion du prêt, par son retour "
           "ou en le déclarant perdu (ce qui clôt le prêt).")


@pytest.fixture
def other_library(db):
    return make_library(OTHER_UAI, "Lycée Victor Hugo")


@pytest.fixture
def shelf(library):
    """A few records as a CDI has them, with copies in every status."""
    records = {
        "prince": record_create(library=library, title="Le Petit Prince", authors="Saint-Exupéry, Antoine de",
                                publisher="Gallimard Jeunesse", year=2007, isbn="978-2-07-061275-8",
                                subjects="Amitié ; Voyage", support="Livre", call_number="R SAI"),
        "loup": record_create(library=library, title="L'Œil du loup", authors="Pennac, Daniel",
                              publisher="Nathan", year=2013, subjects="Zoo ; Afrique ; Amitié",
                              call_number="R PEN"),
        "volcans": record_create(library=library, title="Les volcans", authors="Vasseur, Élodie",
                                 publisher="Milan", year=2019, subjects="Volcan ; Séisme",
                                 call_number="551 VAS"),
        "lupin": record_create(library=library, title="Arsène Lupin, gentleman-cambrioleur",
                               authors="Leblanc, Maurice", publisher="Le Livre de poche", year=2005,
                               subjects="Cambrioleur ; Enquête", call_number="R LEB"),
    }
    for barcode, status in (("00100001", "disponible"), ("00100002", "en réparation"),
                            ("00100003", "perdu"), ("00100004", "exclu du prêt")):
        copy_add(library=library, record_id=records["prince"].pk, barcode=barcode, status=status)
    copy_add(library=library, record_id=records["loup"].pk, barcode="00100005")
    return records


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def alert_of(response) -> str:
    """The text of the page's ``role="alert"`` block, spaces collapsed."""
    match = re.search(r'role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "no role=alert on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


# --- Records: services ------------------------------------------------------------------------


def test_record_create_tidies_the_fields_and_stores_an_isbn13(library):
    record = record_create(library=library, title="  Le   Petit Prince ",
                           authors="Saint-Exupéry,  Antoine de", publisher="Gallimard\nJeunesse", year=2007,
                           isbn="2-07-061275-9", subjects="Amitié ; Voyage", support="Livre",
                           call_number=" R  SAI ")

    assert Record.objects.filter(pk=record.pk).values_list(
        "library_id", "title", "authors", "publisher", "year", "isbn", "subjects", "support", "call_number",
    ).get() == (library.pk, "Le Petit Prince", "Saint-Exupéry, Antoine de", "Gallimard Jeunesse", 2007,
                "9782070612758", "Amitié ; Voyage", "Livre", "R SAI")


@pytest.mark.parametrize(("fields", "message", "field"), [
    ({"title": "  "}, "Le titre est obligatoire.", "title"),
    ({"isbn": "978-2-07-061275-7"}, "ISBN invalide : la clé de contrôle devrait être 8.", "isbn"),
    ({"isbn": "2-07-061275-X"}, "ISBN invalide : la clé de contrôle devrait être 9.", "isbn"),
    ({"isbn": "978-2-07-06127"}, "ISBN invalide : un ISBN compte 10 ou 13 chiffres, celui-ci en a 11.",
     "isbn"),
    ({"year": 1200}, IMPLAUSIBLE_YEAR, "year"),
    ({"year": NEXT_YEAR + 1}, IMPLAUSIBLE_YEAR, "year"),
    ({"title": "T" * 501}, "Titre : 500 caractères au plus.", "title"),
    ({"call_number": "R " * 40}, "Cote : 60 caractères au plus.", "call_number"),
    ({"isbn": "9782070612758"}, PRINCE_ISBN_TAKEN, "isbn"),
    ({"isbn": "2070612759"}, PRINCE_ISBN_TAKEN, "isbn"),  # the same book by its ISBN-10
])
def test_record_create_refusals_change_nothing(library, shelf, fields, message, field):
    before = catalogue_dump()
    values = {"title": "Vendredi ou la vie sauvage", **fields}

    with pytest.raises(CatalogueRefused) as refusal:
        record_create(library=library, **values)

    assert (refusal.value.message, refusal.value.field) == (message, field)
    assert catalogue_dump() == before


def test_one_isbn_per_library_not_across_libraries(library, other_library, shelf):
    record = record_create(library=other_library, title="Le Petit Prince", isbn="9782070612758")

    assert record.library == other_library and record.isbn == "9782070612758"


def test_record_update_saves_every_field_and_may_keep_its_own_isbn(library, shelf):
    record = record_update(library=library, record_id=shelf["prince"].pk,
                           title="Le Petit Prince (édition illustrée)", authors="Saint-Exupéry, Antoine de",
                           publisher="Gallimard", year=2021, isbn="978-2-07-061275-8", subjects="",
                           support="Livre", call_number="R SAI")

    saved = Record.objects.filter(pk=record.pk).values_list("title", "publisher", "year", "isbn", "subjects")
    assert saved.get() == ("Le Petit Prince (édition illustrée)", "Gallimard", 2021, "9782070612758", "")


@pytest.mark.parametrize(("who", "fields", "message"), [
    ("loup", {"isbn": "9782070612758"}, PRINCE_ISBN_TAKEN),
    ("loup", {"title": ""}, "Le titre est obligatoire."),
    ("other", {}, "Aucune notice n'a le numéro {pk} dans cette bibliothèque."),
    ("missing", {}, "Aucune notice n'a le numéro 999999 dans cette bibliothèque."),
])
def test_record_update_refusals_change_nothing(library, other_library, shelf, who, fields, message):
    foreign = record_create(library=other_library, title="Notice d'un autre CDI")
    record_id = {"loup": shelf["loup"].pk, "other": foreign.pk, "missing": 999999}[who]
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        record_update(library=library, record_id=record_id, **{"title": "Nouveau titre", **fields})

    assert refusal.value.message == message.format(pk=foreign.pk)
    assert catalogue_dump() == before


# --- Copies: services -------------------------------------------------------------------------


def test_copy_add_gives_the_record_a_copy(library, shelf):
    copy = copy_add(library=library, record_id=shelf["volcans"].pk, barcode=" 12345 ")

    saved = Copy.objects.filter(pk=copy.pk).values_list("library_id", "record_id", "barcode", "status")
    assert saved.get() == (library.pk, shelf["volcans"].pk, "12345", "disponible")


@pytest.mark.parametrize(("barcode", "status", "message"), [
    ("00100001", "disponible", "Le code-barre 00100001 existe déjà."),  # a copy of another record
    ("", "disponible", "Le code-barre est obligatoire."),
    ("123 45", "disponible",
     "Code-barre incorrect : lettres, chiffres et les signes - _ / . seulement, sans espace."),
    ("1" * 41, "disponible", "Un code-barre compte 40 caractères au plus."),
    ("12345", "prêté", "Un exemplaire devient « prêté » par l'enregistrement d'un prêt, pas à la main."),
    ("12345", "volé", "Statut d'exemplaire inconnu."),
])
def test_copy_add_refusals_change_nothing(library, shelf, barcode, status, message):
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_add(library=library, record_id=shelf["volcans"].pk, barcode=barcode, status=status)

    assert refusal.value.message == message
    assert catalogue_dump() == before


def test_the_brief_s_duplicate_barcode_message(library, shelf):
    copy_add(library=library, record_id=shelf["volcans"].pk, barcode="12345")
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_add(library=library, record_id=shelf["lupin"].pk, barcode="12345")

    assert refusal.value.message == "Le code-barre 12345 existe déjà."
    assert catalogue_dump() == before


def test_a_barcode_is_unique_per_library_only(library, other_library, shelf):
    record = record_create(library=other_library, title="Le Petit Prince")

    copy = copy_add(library=other_library, record_id=record.pk, barcode="00100001")

    assert (copy.library, copy.barcode) == (other_library, "00100001")


def test_copy_add_refuses_a_record_of_another_library(library, other_library, shelf):
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_add(library=other_library, record_id=shelf["volcans"].pk, barcode="55555")

    assert refusal.value.message == (
        f"Aucune notice n'a le numéro {shelf['volcans'].pk} dans cette bibliothèque.")
    assert catalogue_dump() == before


@pytest.mark.parametrize(("status", "barcode"), [
    ("en réparation", "00100001"),
    ("perdu", "00100001"),
    ("exclu du prêt", "00100001"),
    ("disponible", "00100099"),
])
def test_copy_update_changes_status_and_barcode(library, shelf, status, barcode):
    copy = Copy.objects.get(barcode="00100001")

    copy_update(library=library, copy_id=copy.pk, barcode=barcode, status=status)

    assert Copy.objects.filter(pk=copy.pk).values_list("barcode", "status").get() == (barcode, status)


def test_a_repaired_copy_comes_back_available(library, shelf):
    copy = Copy.objects.get(barcode="00100002")

    copy_update(library=library, copy_id=copy.pk, barcode="00100002", status="disponible")

    assert Copy.objects.get(pk=copy.pk).status == "disponible"


@pytest.fixture
def loaned_copy(library, shelf):
    borrower = make_borrower(library, "DUPONT Marie", school_class="4eA")
    copy = Copy.objects.get(barcode="00100005")
    make_loan(borrower, copy=copy)
    return Copy.objects.get(pk=copy.pk)


@pytest.mark.parametrize("status", ["disponible", "perdu", "en réparation", "exclu du prêt"])
def test_the_status_of_a_copy_on_loan_belongs_to_the_circulation(library, loaned_copy, status):
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_update(library=library, copy_id=loaned_copy.pk, barcode="00100005", status=status)

    assert refusal.value.message == ON_LOAN
    assert catalogue_dump() == before


def test_the_barcode_of_a_copy_on_loan_can_be_corrected(library, loaned_copy):
    copy_update(library=library, copy_id=loaned_copy.pk, barcode="00100055", status="prêté")

    saved = Copy.objects.filter(pk=loaned_copy.pk).values_list("barcode", "status")
    assert saved.get() == ("00100055", "prêté")


def test_the_status_of_a_copy_set_aside_for_a_reservation_belongs_to_the_circulation(library, shelf):
    borrower = make_borrower(library, "MARTIN Lucas", school_class="5eB")
    copy = Copy.objects.get(barcode="00100001")
    Reservation.objects.create(library=library, record=shelf["prince"], borrower=borrower,
                               state=ReservationState.READY, copy=copy,
                               ready_at=datetime(2025, 9, 1, 10, tzinfo=UTC))
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_update(library=library, copy_id=copy.pk, barcode="00100001", status="exclu du prêt")

    assert refusal.value.message == (
        "L'exemplaire 00100001 est mis de côté pour une réservation : son statut se change dans la gestion "
        "du prêt, une fois la réservation honorée ou annulée.")
    assert catalogue_dump() == before


@pytest.mark.parametrize(("barcode", "status", "message"), [
    ("00100002", "disponible", "Le code-barre 00100002 existe déjà."),
    ("00100001", "prêté", "Un exemplaire devient « prêté » par l'enregistrement d'un prêt, pas à la main."),
    ("", "disponible", "Le code-barre est obligatoire."),
])
def test_copy_update_refusals_change_nothing(library, shelf, barcode, status, message):
    copy = Copy.objects.get(barcode="00100001")
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_update(library=library, copy_id=copy.pk, barcode=barcode, status=status)

    assert refusal.value.message == message
    assert catalogue_dump() == before


def test_copy_update_refuses_a_copy_of_another_library(library, other_library, shelf):
    copy = Copy.objects.get(barcode="00100001")
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_update(library=other_library, copy_id=copy.pk, barcode="00100001", status="perdu")

    assert refusal.value.message == "Cet exemplaire n'existe pas dans cette bibliothèque."
    assert catalogue_dump() == before


def test_next_barcode_follows_the_highest_numeric_one(library, shelf):
    copy_add(library=library, record_id=shelf["volcans"].pk, barcode="CDI-A12")

    assert next_barcode(library) == "00100006"


def test_next_barcode_of_an_empty_catalogue_is_left_to_the_librarian(library):
    assert next_barcode(library) == ""


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "field", "titles"), [
    ("oeil loup", "all", ["L'Œil du loup"]),
    ("L'ŒIL", "title", ["L'Œil du loup"]),
    ("pennac", "authors", ["L'Œil du loup"]),
    ("saint exupery", "authors", ["Le Petit Prince"]),
    ("saint-exupéry", "title", []),
    ("amitie", "subjects", ["L'Œil du loup", "Le Petit Prince"]),
    ("amitié voyage", "all", ["Le Petit Prince"]),
    ("seisme", "all", ["Les volcans"]),
    ("551", "all", ["Les volcans"]),  # the call number
    ("nathan", "all", ["L'Œil du loup"]),  # the publisher
    ("978-2-07-061275-8", "isbn", ["Le Petit Prince"]),
    ("2-07-061275-9", "isbn", ["Le Petit Prince"]),  # its ISBN-10
    ("2070612759", "all", ["Le Petit Prince"]),
    ("978207", "isbn", ["Le Petit Prince"]),  # the start of an ISBN
    ("lupin gentleman", "all", ["Arsène Lupin, gentleman-cambrioleur"]),
    ("arsene", "all", ["Arsène Lupin, gentleman-cambrioleur"]),
    ("dragon", "all", []),
])
def test_search_ignores_case_accents_ligatures_and_punctuation(library, shelf, text, field, titles):
    ids = record_search(library=library, text=text, field=field)

    assert [Record.objects.get(pk=pk).title for pk in ids] == titles


def test_search_stays_in_its_library(library, other_library, shelf):
    record_create(library=other_library, title="Le Petit Prince")

    ids = record_search(library=library, text="petit prince")

    assert ids == [shelf["prince"].pk]


# --- Pages --------------------------------------------------------------------------------------


def test_the_menu_has_the_catalogue(signed_in, library):
    response = signed_in.get(reverse("library:dashboard", args=[UAI]))

    page = text_of(response)
    assert '<span>Catalogue</span>' in page
    for name, label in (("record_search", "Consulter le catalogue"), ("record_create", "Créer une notice"),
                        ("marc_import", "Importer des notices")):
        assert f'<a href="{reverse(f"library:{name}", args=[UAI])}">{label}</a>' in page


def test_search_page_lists_the_matches(signed_in, shelf):
    response = signed_in.get(reverse("library:record_search", args=[UAI]),
                             {"q": "amitie", "field": "subjects"})

    assert response.status_code == 200
    page = text_of(response)
    assert '<p role="status" data-testid="result-count">2 notices trouvées.</p>' in page
    rows = re.findall(r"<tr>\s*<td><a href=\"[^\"]+\">([^<]+)</a></td>.*?<td>([^<]*)</td>\s*</tr>",
                      page, re.S)
    assert rows == [("L'Œil du loup", "1 / 1"), ("Le Petit Prince", "1 / 4")]


def test_search_page_without_words_lists_the_whole_catalogue_by_title(signed_in, shelf):
    response = signed_in.get(reverse("library:record_search", args=[UAI]))

    titles = re.findall(r"<td><a href=\"/bibliotheque/[^\"]+\">([^<]+)</a></td>", text_of(response))
    assert titles == ["Arsène Lupin, gentleman-cambrioleur", "L'Œil du loup", "Le Petit Prince",
                      "Les volcans"]


def test_search_page_says_when_nothing_matches(signed_in, shelf):
    response = signed_in.get(reverse("library:record_search", args=[UAI]), {"q": "dragon"})

    assert '<p role="status" data-testid="result-count">Aucune notice trouvée.</p>' in text_of(response)


def test_search_page_is_paginated_and_keeps_the_query(signed_in, library):
    Record.objects.bulk_create([Record(library=library, title=f"Contes du monde {n:03d}")
                                for n in range(1, 121)])
    url = reverse("library:record_search", args=[UAI])

    first = text_of(signed_in.get(url, {"q": "contes"}))
    third = text_of(signed_in.get(url, {"q": "contes", "page": 3}))

    assert "120 notices trouvées." in first
    assert "Page 1 sur 3" in first and 'href="?q=contes&field=all&page=2" rel="next"' in first
    assert re.findall(r">(Contes du monde \d+)<", third) == [
        f"Contes du monde {n:03d}" for n in range(101, 121)]


def test_catalogue_pages_of_another_library_are_refused(client, other_library, library, shelf):
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other_library, user=user)
    client.force_login(user)

    for url in (reverse("library:record_search", args=[UAI]),
                reverse("library:record_detail", args=[UAI, shelf["prince"].pk]),
                reverse("library:marc_import", args=[UAI])):
        response = client.get(url)
        assert response.status_code == 403
        assert "Cette bibliothèque n'existe pas ou vous n'en êtes pas gestionnaire." in text_of(response)


def test_a_record_of_another_library_is_not_found(client, other_library, library, shelf):
    user = get_user_model().objects.create_user("autre", password=PASSWORD)
    Librarian.objects.create(library=other_library, user=user)
    client.force_login(user)

    response = client.get(reverse("library:record_detail", args=[OTHER_UAI, shelf["prince"].pk]))

    assert response.status_code == 404
    assert (f'<p role="alert">Aucune notice n\'a le numéro {shelf["prince"].pk} dans cette bibliothèque.</p>'
            in text_of(response))


def test_the_record_page_shows_its_copies_and_their_status(signed_in, library, shelf, loaned_copy):
    copy_add(library=library, record_id=shelf["loup"].pk, barcode="00100006", status="en réparation")

    response = signed_in.get(reverse("library:record_detail", args=[UAI, shelf["loup"].pk]))

    page = text_of(response)
    assert "<h1>L'Œil du loup</h1>" in page
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]*)</td>", page)
    due = loaned_copy.loans.get().due_on.strftime("%d/%m/%Y")
    assert rows == [("00100005", "prêté", f"à DUPONT Marie, retour prévu le {due}"),
                    ("00100006", "en réparation", "")]


def test_every_status_reads_in_french_on_the_record_page(signed_in, shelf):
    response = signed_in.get(reverse("library:record_detail", args=[UAI, shelf["prince"].pk]))

    statuses = re.findall(r"<tr>\s*<td>\d+</td>\s*<td>([^<]+)</td>", text_of(response))
    assert statuses == ["disponible", "en réparation", "perdu", "exclu du prêt"]


def test_create_page_has_labelled_fields(signed_in, library):
    response = signed_in.get(reverse("library:record_create", args=[UAI]))

    page = text_of(response)
    assert response.status_code == 200
    labels = (("title", "Titre"), ("authors", "Auteurs"), ("publisher", "Éditeur"), ("year", "Année"),
              ("isbn", "ISBN"), ("subjects", "Sujets"), ("support", "Support"), ("call_number", "Cote"))
    for name, label in labels:
        required = ' <span aria-hidden="true">*</span>' if name == "title" else ""
        assert f'<label for="id_{name}">{label}{required}</label>' in page
    assert 'aria-describedby="id_isbn_helptext"' in page


def test_create_page_refuses_an_isbn_with_a_wrong_key_and_keeps_what_was_typed(signed_in, library, shelf):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_create", args=[UAI]), {
        "title": "Vendredi ou la vie sauvage", "authors": "Tournier, Michel", "isbn": "978-2-07-051369-5",
        "year": "1977"})

    assert response.status_code == 400
    assert alert_of(response) == ("La notice n'a pas été enregistrée : "
                                  "ISBN invalide : la clé de contrôle devrait être 7.")
    page = text_of(response)
    assert ('<ul class="errorlist" id="id_isbn_error"><li>ISBN invalide : la clé de contrôle devrait être 7.'
            '</li></ul>') in page
    assert 'aria-invalid="true"' in page and 'value="Vendredi ou la vie sauvage"' in page
    assert catalogue_dump() == before


@pytest.mark.parametrize(("data", "message"), [
    ({"title": ""}, "Le titre est obligatoire."),
    ({"year": "97"}, IMPLAUSIBLE_YEAR),
    ({"year": "deux mille"}, "Saisissez l'année en chiffres, par exemple 2019."),
    ({"isbn": "9782070612758"}, PRINCE_ISBN_TAKEN),
])
def test_create_page_refusals_change_nothing(signed_in, shelf, data, message):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_create", args=[UAI]), {"title": "Vendredi", **data})

    assert response.status_code == 400
    assert alert_of(response) == f"La notice n'a pas été enregistrée : {message}"
    assert catalogue_dump() == before


def test_create_page_saves_the_record_and_shows_it(signed_in, library):
    response = signed_in.post(reverse("library:record_create", args=[UAI]), {
        "title": "Vendredi ou la vie sauvage", "authors": "Tournier, Michel", "publisher": "Gallimard",
        "year": "1977", "isbn": "2-07-051369-6", "subjects": "Robinson ; Île", "support": "Livre",
        "call_number": "R TOU"}, follow=True)

    record = Record.objects.get(title="Vendredi ou la vie sauvage")
    assert response.redirect_chain == [(reverse("library:record_detail", args=[UAI, record.pk]), 303)]
    assert (record.isbn, record.year, record.call_number) == ("9782070513697", 1977, "R TOU")
    page = text_of(response)
    assert '<li class="success" role="status">Notice « Vendredi ou la vie sauvage » créée.</li>' in page
    assert ('<li class="info" role="status">ISBN à 10 chiffres enregistré sur 13 chiffres : 9782070513697.'
            '</li>') in page
    assert '<p data-testid="no-copies">Aucun exemplaire : ajoutez-en un avec son code-barre.</p>' in page


def test_edit_page_shows_the_record_and_saves_it(signed_in, shelf):
    url = reverse("library:record_edit", args=[UAI, shelf["loup"].pk])
    assert 'value="L&#x27;Œil du loup"' in signed_in.get(url).content.decode()

    response = signed_in.post(url, {"title": "L'Œil du loup", "authors": "Pennac, Daniel",
                                    "publisher": "Nathan", "year": "2013", "isbn": "978-2-09-255227-8",
                                    "subjects": "Zoo", "call_number": "R PEN"})

    assert response.status_code == 303
    assert Record.objects.filter(pk=shelf["loup"].pk).values_list("isbn", "subjects").get() == (
        "9782092552278", "Zoo")


def test_edit_page_refusal_changes_nothing(signed_in, shelf):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_edit", args=[UAI, shelf["loup"].pk]),
                              {"title": "L'Œil du loup", "isbn": "978-2-09-255227-0"})

    assert response.status_code == 400
    assert alert_of(response) == ("La notice n'a pas été enregistrée : "
                                  "ISBN invalide : la clé de contrôle devrait être 8.")
    assert catalogue_dump() == before


def test_add_copy_page_suggests_the_next_barcode_and_adds_the_copy(signed_in, library, shelf):
    url = reverse("library:record_detail", args=[UAI, shelf["volcans"].pk])
    assert 'name="copy-barcode" value="00100006"' in signed_in.get(url).content.decode()

    response = signed_in.post(url, {"copy-barcode": "00100006", "copy-status": "disponible"}, follow=True)

    assert response.redirect_chain == [(url, 303)]
    assert ('<li class="success" role="status">Exemplaire 00100006 ajouté (disponible).</li>'
            in text_of(response))
    assert list(Copy.objects.filter(record=shelf["volcans"]).values_list("barcode", "status")) == [
        ("00100006", "disponible")]


@pytest.mark.parametrize(("data", "message"), [
    ({"copy-barcode": "00100001", "copy-status": "disponible"}, "Le code-barre 00100001 existe déjà."),
    ({"copy-barcode": "", "copy-status": "disponible"}, "Le code-barre est obligatoire."),
    ({"copy-barcode": "12345", "copy-status": "prêté"}, "Statut d'exemplaire inconnu."),
])
def test_add_copy_page_refusals_change_nothing(signed_in, shelf, data, message):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:record_detail", args=[UAI, shelf["volcans"].pk]), data)

    assert response.status_code == 400
    assert alert_of(response) == f"L'exemplaire n'a pas été ajouté : {message}"
    assert catalogue_dump() == before


def test_copy_page_of_a_copy_on_loan_points_to_the_circulation_and_refuses_a_status(signed_in, loaned_copy):
    url = reverse("library:copy_edit", args=[UAI, loaned_copy.pk])
    page = text_of(signed_in.get(url))
    assert "Prêté à DUPONT Marie" in page
    assert f'<a href="{reverse("library:circulation_desk", args=[UAI])}">Prêt / retour</a>' in page
    before = catalogue_dump()

    response = signed_in.post(url, {"barcode": "00100005", "status": "perdu"})

    assert response.status_code == 400
    assert alert_of(response) == f"L'exemplaire n'a pas été enregistré : {ON_LOAN}"
    assert catalogue_dump() == before


def test_copy_page_changes_the_status_of_a_copy_on_the_shelf(signed_in, shelf):
    copy = Copy.objects.get(barcode="00100002")

    response = signed_in.post(reverse("library:copy_edit", args=[UAI, copy.pk]),
                              {"barcode": "00100002", "status": "disponible"}, follow=True)

    record_url = reverse("library:record_detail", args=[UAI, shelf["prince"].pk])
    assert response.redirect_chain == [(record_url, 303)]
    assert ('<li class="success" role="status">Exemplaire 00100002 enregistré (disponible).</li>'
            in text_of(response))
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.AVAILABLE


# --- The import page (the import itself: test_marc_import.py) ----------------------------------


def _unimarc_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    records = [
        marc_record(marc_field("010", "a", "978-2-07-051369-5"),
                    marc_field("200", "a", "Vendredi ou la vie sauvage", indicators="1 "),
                    marc_field("700", "a", "Tournier", "b", "Michel"),
                    marc_field("995", "f", "00200001", "k", "R TOU")),
        marc_record(marc_field("200", "e", "sans titre propre", indicators="1 ")),
    ]
    return SimpleUploadedFile("export-bcdi.iso", marc_file(records, encoding="latin-1"))


def test_import_page_imports_and_reports(signed_in, library):
    response = signed_in.post(reverse("library:marc_import", args=[UAI]),
                              {"file": _unimarc_upload(), "format": ""})

    assert response.status_code == 200
    page = text_of(response)
    assert '<p data-testid="report-format">Format reconnu : UNIMARC (titres en zone 200).</p>' in page
    assert ('<p role="status" data-testid="report-summary">Notices lues : 2 — importées : 1 — déjà au '
            'catalogue : 0 — ignorées : 1 — exemplaires ajoutés : 1.</p>') in page
    assert re.findall(r'<li class="report-\w+">([^<]+)</li>', page) == [
        "Notice 1 : ISBN « 978-2-07-051369-5 » non repris — ISBN invalide : la clé de contrôle devrait être "
        "7. La notice est importée sans ISBN.",
        "Notice 2 : pas de titre (200$a) — ignorée.",
    ]
    assert list(Record.objects.values_list("title", "authors", "isbn", "call_number")) == [
        ("Vendredi ou la vie sauvage", "Tournier, Michel", "", "R TOU")]

    download = signed_in.get(reverse("library:marc_import_report", args=[UAI]))
    assert download["Content-Disposition"] == 'attachment; filename="rapport-import-export-bcdi.txt"'
    assert download.content.decode().splitlines() == [
        "Import de notices — export-bcdi.iso",
        "Format reconnu : UNIMARC (titres en zone 200).",
        "Encodage des caractères : ASCII.",
        "Notices lues : 2 — importées : 1 — déjà au catalogue : 0 — ignorées : 1 — exemplaires ajoutés : 1.",
        "",
        "Notice 1 : ISBN « 978-2-07-051369-5 » non repris — ISBN invalide : la clé de contrôle devrait être "
        "7. La notice est importée sans ISBN.",
        "Notice 2 : pas de titre (200$a) — ignorée.",
    ]


def test_import_page_simulation_writes_nothing(signed_in, library):
    before = catalogue_dump()

    response = signed_in.post(reverse("library:marc_import", args=[UAI]),
                              {"file": _unimarc_upload(), "format": "unimarc", "dry_run": "on"})

    page = text_of(response)
    assert "<strong>Simulation : rien n'a été enregistré.</strong>" in page
    assert '<p data-testid="report-format">Format indiqué : UNIMARC.</p>' in page
    assert "importées : 1" in page
    assert catalogue_dump() == before


@pytest.mark.parametrize(("content", "message"), [
    (b"Titre;Auteur\nLe Petit Prince;Saint-Exupery\n",
     "Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : aucune notice importée."),
    (b'<?xml version="1.0"?><collection/>',
     "Ce fichier est du XML (MARCXML ?), pas un fichier ISO 2709 : exportez les notices au format UNIMARC ou "
     "MARC21 « ISO 2709 ». Aucune notice importée."),
    (b"   \n", "Le fichier est vide : aucune notice importée."),
])
def test_import_page_refuses_a_file_that_is_not_marc(signed_in, shelf, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = catalogue_dump()

    response = signed_in.post(reverse("library:marc_import", args=[UAI]),
                              {"file": SimpleUploadedFile("notices.csv", content)})

    assert response.status_code == 400
    assert alert_of(response) == f"Aucune notice n'a été importée : {message}"
    assert 'data-testid="import-report"' not in response.content.decode()
    assert catalogue_dump() == before


def test_import_page_without_a_file(signed_in, library):
    response = signed_in.post(reverse("library:marc_import", args=[UAI]), {"format": ""})

    assert response.status_code == 400
    assert alert_of(response) == ("Aucune notice n'a été importée : "
                                  "Choisissez le fichier de notices à importer.")


def test_report_download_without_an_import(signed_in, library):
    response = signed_in.get(reverse("library:marc_import_report", args=[UAI]))

    assert response.status_code == 404
    assert ("Aucun rapport d'import à télécharger : importez d'abord un fichier de notices."
            in text_of(response))


# --- The demo catalogue at a real size ----------------------------------------------------------


def test_bulk_records_are_plausible_and_the_same_on_every_run():
    records = bulk_records(400)

    assert records == bulk_records(400)
    assert records[:150] == bulk_records(150)  # a longer run starts with a shorter one
    assert len({r.isbn for r in records}) == 400 and all(isbn_rules.is_valid(r.isbn) for r in records)
    assert all(r.isbn.startswith("97910") for r in records)
    assert len({r.title for r in records}) == 400
    assert all(1995 <= r.year <= 2025 and 1 <= r.copies <= 3 for r in records)
    assert all(re.fullmatch(r"(R|RP|T|P|C|BD|\d{3}(\.\d+)?) [A-Z]{3}", r.call_number) for r in records)
    shelves = {r.call_number.split()[0] for r in records}
    fiction = {"R", "RP", "T", "P", "C", "BD"}
    assert fiction <= shelves and len(shelves - fiction) > 20  # and Dewey classes


def test_seed_demo_catalogue_adds_up_to_the_target_and_is_idempotent(library, shelf):
    out = []

    call_command("seed_demo_catalogue", "--uai", UAI, "--records", "60", stdout=_Lines(out))
    first = catalogue_dump()
    call_command("seed_demo_catalogue", "--uai", UAI, "--records", "60", stdout=_Lines(out))

    expected = bulk_records(56)
    copies = sum(r.copies for r in expected)
    assert out == [
        f"Collège Jean Moulin ({UAI}) : 56 notices et {copies} exemplaires ajoutés ; le catalogue compte "
        "60 notices.",
        f"Collège Jean Moulin ({UAI}) : le catalogue compte déjà 60 notices (objectif 60) ; rien n'a été "
        "ajouté.",
    ]
    assert catalogue_dump() == first
    added = Record.objects.filter(library=library, isbn__startswith="97910").order_by("pk")
    assert [(r.title, r.authors, r.year, r.isbn, r.call_number) for r in added] == [
        (r.title, r.authors, r.year, r.isbn, r.call_number) for r in expected]
    first_copies = Copy.objects.filter(record=added[0]).order_by("barcode").values_list("barcode", "status")
    assert list(first_copies) == [(barcode, "disponible") for barcode in bulk_barcodes(0, expected[0].copies)]


def test_a_larger_target_adds_the_next_records_only(library):
    bulk_catalogue_seed(library=library, target=30)

    result = bulk_catalogue_seed(library=library, target=45)

    assert (result.added_records, result.total_records) == (15, 45)
    assert list(Record.objects.filter(library=library).order_by("pk").values_list("isbn", flat=True)) == [
        r.isbn for r in bulk_records(45)]


def test_seed_demo_catalogue_needs_the_library(db):
    with pytest.raises(CommandError) as error:
        call_command("seed_demo_catalogue", "--uai", UAI)

    assert str(error.value) == (f"Aucune bibliothèque n'a l'UAI {UAI} : lancez d'abord « python manage.py "
                                f"seed_demo_library --uai {UAI} FICHIER.xml ».")
    assert catalogue_dump() == {"records": [], "copies": []}


class _Lines:
    """A command's stdout collected line by line."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def write(self, text: str) -> None:
        self.lines.extend(line for line in text.splitlines() if line)

    def flush(self) -> None:
        pass
