"""The catalogue's reads: the search as a reader compares words, the next barcode to label."""

import pytest

from sesame.library.catalogue.selectors import next_barcode, record_search
from sesame.library.catalogue.services import copy_add, record_create
from sesame.library.models import Record


def test_next_barcode_follows_the_highest_numeric_one(library, shelf):
    copy_add(acting_user=None, library=library, record_id=shelf["volcans"].pk, barcode="CDI-A12")

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
    record_create(acting_user=None, library=other_library, title="Le Petit Prince")

    ids = record_search(library=library, text="petit prince")

    assert ids == [shelf["prince"].pk]
