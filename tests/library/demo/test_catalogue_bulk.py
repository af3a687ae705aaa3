"""The demo catalogue at a real size (``seed_demo_catalogue``): plausible, reproducible, idempotent."""

import re

import pytest
from django.core.management import CommandError, call_command

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.demo.catalogue_bulk import bulk_barcodes, bulk_catalogue_seed, bulk_records
from sesame.library.models import Copy, Record
from tests.library.catalogue.shelf import make_shelf
from tests.library.factories import UAI, catalogue_dump


@pytest.fixture
def shelf(library):
    """The catalogue tests' four records, already in the library before the demo's are added."""
    return make_shelf(library)


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
