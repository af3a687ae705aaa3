"""The catalogue's services: records and copies, each change journalled with who made it.

Every refusal is checked twice: the message the librarian reads, and the catalogue (every column of
every record and copy) exactly as it was.
"""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from sesame.library.catalogue.errors import CatalogueRefused
from sesame.library.catalogue.services import copy_add, copy_update, record_create, record_update
from sesame.library.models import Copy, LibraryEvent, Record, Reservation, ReservationState
from tests.library.factories import catalogue_dump, make_borrower

NEXT_YEAR = timezone.localdate().year + 1
IMPLAUSIBLE_YEAR = f"Année invraisemblable : saisissez une année entre 1450 et {NEXT_YEAR}."
PRINCE_ISBN_TAKEN = ("L'ISBN 9782070612758 est déjà celui de la notice « Le Petit Prince » : ajoutez-y "
                     "plutôt un exemplaire.")
ON_LOAN = ("L'exemplaire 00100005 est prêté : son statut se change dans la gestion du prêt, par son retour "
           "ou en le déclarant perdu (ce qui clôt le prêt).")


# --- Records: services ------------------------------------------------------------------------


def test_record_create_tidies_the_fields_and_stores_an_isbn13(library):
    record = record_create(acting_user=None, library=library, title="  Le   Petit Prince ",
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
        record_create(acting_user=None, library=library, **values)

    assert (refusal.value.message, refusal.value.field) == (message, field)
    assert catalogue_dump() == before


def test_one_isbn_per_library_not_across_libraries(library, other_library, shelf):
    record = record_create(acting_user=None, library=other_library, title="Le Petit Prince",
                           isbn="9782070612758")

    assert record.library == other_library and record.isbn == "9782070612758"


def test_record_update_saves_every_field_and_may_keep_its_own_isbn(library, shelf):
    record = record_update(acting_user=None, library=library, record_id=shelf["prince"].pk,
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
    foreign = record_create(acting_user=None, library=other_library, title="Notice d'un autre CDI")
    record_id = {"loup": shelf["loup"].pk, "other": foreign.pk, "missing": 999999}[who]
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        record_update(acting_user=None, library=library, record_id=record_id,
                      **{"title": "Nouveau titre", **fields})

    assert refusal.value.message == message.format(pk=foreign.pk)
    assert catalogue_dump() == before


# --- Copies: services -------------------------------------------------------------------------


def test_copy_add_gives_the_record_a_copy(library, shelf):
    copy = copy_add(acting_user=None, library=library, record_id=shelf["volcans"].pk, barcode=" 12345 ")

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
        copy_add(acting_user=None, library=library, record_id=shelf["volcans"].pk, barcode=barcode,
                 status=status)

    assert refusal.value.message == message
    assert catalogue_dump() == before


def test_the_brief_s_duplicate_barcode_message(library, shelf):
    copy_add(acting_user=None, library=library, record_id=shelf["volcans"].pk, barcode="12345")
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_add(acting_user=None, library=library, record_id=shelf["lupin"].pk, barcode="12345")

    assert refusal.value.message == "Le code-barre 12345 existe déjà."
    assert catalogue_dump() == before


def test_a_barcode_is_unique_per_library_only(library, other_library, shelf):
    record = record_create(acting_user=None, library=other_library, title="Le Petit Prince")

    copy = copy_add(acting_user=None, library=other_library, record_id=record.pk, barcode="00100001")

    assert (copy.library, copy.barcode) == (other_library, "00100001")


def test_copy_add_refuses_a_record_of_another_library(library, other_library, shelf):
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_add(acting_user=None, library=other_library, record_id=shelf["volcans"].pk, barcode="55555")

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

    copy_update(acting_user=None, library=library, copy_id=copy.pk, barcode=barcode, status=status)

    assert Copy.objects.filter(pk=copy.pk).values_list("barcode", "status").get() == (barcode, status)


def test_a_repaired_copy_comes_back_available(library, shelf):
    copy = Copy.objects.get(barcode="00100002")

    copy_update(acting_user=None, library=library, copy_id=copy.pk, barcode="00100002", status="disponible")

    assert Copy.objects.get(pk=copy.pk).status == "disponible"


@pytest.mark.parametrize("status", ["disponible", "perdu", "en réparation", "exclu du prêt"])
def test_the_status_of_a_copy_on_loan_belongs_to_the_circulation(library, loaned_copy, status):
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_update(acting_user=None, library=library, copy_id=loaned_copy.pk, barcode="00100005",
                    status=status)

    assert refusal.value.message == ON_LOAN
    assert catalogue_dump() == before


def test_the_barcode_of_a_copy_on_loan_can_be_corrected(library, loaned_copy):
    copy_update(acting_user=None, library=library, copy_id=loaned_copy.pk, barcode="00100055", status="prêté")

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
        copy_update(acting_user=None, library=library, copy_id=copy.pk, barcode="00100001",
                    status="exclu du prêt")

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
        copy_update(acting_user=None, library=library, copy_id=copy.pk, barcode=barcode, status=status)

    assert refusal.value.message == message
    assert catalogue_dump() == before


def test_copy_update_refuses_a_copy_of_another_library(library, other_library, shelf):
    copy = Copy.objects.get(barcode="00100001")
    before = catalogue_dump()

    with pytest.raises(CatalogueRefused) as refusal:
        copy_update(acting_user=None, library=other_library, copy_id=copy.pk, barcode="00100001",
                    status="perdu")

    assert refusal.value.message == "Cet exemplaire n'existe pas dans cette bibliothèque."
    assert catalogue_dump() == before


# --- The journal: who changed the catalogue ---------------------------------------------------

NOW = datetime(2025, 9, 2, 8, 30, tzinfo=UTC)


def journal(library) -> list[tuple]:
    return list(LibraryEvent.objects.filter(library=library).order_by("pk").values_list(
        "action", "actor_id", "copy_id", "borrower_id", "detail", "data", "at"))


def test_each_change_of_the_catalogue_is_journalled_with_who_made_it(library, librarian, clock):
    clock.set(NOW)

    record = record_create(library=library, acting_user=librarian, title="Vendredi ou la vie sauvage",
                           isbn="2-07-051369-6")
    record_update(library=library, record_id=record.pk, acting_user=librarian,
                  title="Vendredi ou la vie sauvage", authors="Tournier, Michel", isbn="9782070513697",
                  year=1977)
    copy = copy_add(library=library, record_id=record.pk, barcode="00200001", acting_user=librarian)
    copy_update(library=library, copy_id=copy.pk, barcode="00200002", status="en réparation",
                acting_user=librarian)

    title = f"notice n° {record.pk} : Vendredi ou la vie sauvage"
    assert journal(library) == [
        ("record_create", librarian.pk, None, None, title, {"record": record.pk}, NOW),
        ("record_update", librarian.pk, None, None, title,
         {"record": record.pk, "fields": ["authors", "year"]}, NOW),
        ("copy_add", librarian.pk, copy.pk, None, f"00200001 (disponible), notice n° {record.pk}",
         {"record": record.pk, "status": "disponible"}, NOW),
        ("copy_update", librarian.pk, copy.pk, None, "00200001 → 00200002 ; disponible → en réparation",
         {"barcode": ["00200001", "00200002"], "status": ["disponible", "en réparation"]}, NOW),
    ]


def test_a_command_is_journalled_without_an_actor(library):
    record_create(library=library, acting_user=None, title="Le Lion")

    assert [(action, actor) for action, actor, *_ in journal(library)] == [("record_create", None)]


def test_saving_without_a_change_writes_nothing(library, shelf):
    before = (catalogue_dump(), journal(library))
    prince = shelf["prince"]

    record_update(library=library, record_id=prince.pk, acting_user=None, title=prince.title,
                  authors=prince.authors, publisher=prince.publisher, year=prince.year, isbn=prince.isbn,
                  subjects=prince.subjects, support=prince.support, call_number=prince.call_number)
    copy = Copy.objects.get(barcode="00100001")
    copy_update(library=library, copy_id=copy.pk, barcode=" 00100001 ", status="disponible", acting_user=None)

    assert (catalogue_dump(), journal(library)) == before


def test_a_refusal_writes_no_journal_line(library, shelf):
    before = journal(library)

    with pytest.raises(CatalogueRefused):
        copy_add(library=library, record_id=shelf["volcans"].pk, barcode="00100001", acting_user=None)
    with pytest.raises(CatalogueRefused):
        record_create(library=library, title="Doublon", isbn="9782070612758", acting_user=None)

    assert journal(library) == before


def test_the_plausible_year_follows_the_clock(library, clock):
    clock.set_today(date(2030, 6, 1))

    record = record_create(library=library, acting_user=None, title="Annuaire 2031", year=2031)
    with pytest.raises(CatalogueRefused) as refusal:
        record_create(library=library, acting_user=None, title="Annuaire 2032", year=2032)

    assert record.year == 2031
    assert refusal.value.message == "Année invraisemblable : saisissez une année entre 1450 et 2031."

