"""A larger demo catalogue: a few thousand plausible records on top of the demo CDI's 300 or so.

``demo_catalogue`` holds real titles, enough to show a record or a loan; a real CDI holds a few
thousand to twenty thousand records, and search, pagination and imports are only judged at that
size. The records here are made up from word lists by genre and Dewey class, with authors drawn
from the demo's names, French publishers, years, valid ISBN-13s and call numbers as CDIs shelve
them, and one to three copies each.

Everything comes from one seeded ``random.Random`` consumed in order, so record *n* is always the
same and the first *n* records of a longer run are those of a shorter one: adding up to a target
is idempotent (``bulk_catalogue_seed`` skips the records already there, by ISBN). The ISBNs use
the 979-10 prefix, which the hand-written demo records (978-2) never do, and the barcodes start at
02000000, far above the demo's, so the two never collide.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.demo.catalogue import (
    ADULT_FIRST_NAMES,
    BOYS,
    GIRLS,
    LAST_NAMES,
    CatalogueRecord,
    strip_accents,
)
from sesame.library.demo.catalogue_words import (
    COMIC_HEROES,
    COMIC_NAMES,
    COMIC_PUBLISHERS,
    COMIC_VOLUMES,
    COMPANIONS,
    CRIME_PLACES,
    CRIME_TITLES,
    DEWEY_CLASSES,
    DOC_PATTERNS,
    DOC_PUBLISHERS,
    FANTASY_SERIES,
    FANTASY_VOLUMES,
    FANTASY_WORLDS,
    FICTION_HEADS,
    FICTION_PLACES,
    FICTION_PUBLISHERS,
    FICTION_SUBJECTS,
    GENRES,
    MANGA_PUBLISHERS,
    MANGA_TITLES,
    PLAY_ENDS,
    PLAY_TITLES,
    POETRY_ENDS,
    POETRY_TITLES,
    SEASONS,
    TALE_ENDS,
    TALE_TITLES,
    WHERE,
)
from sesame.library.models import Copy, CopyStatus, Library, Record

SEED = 20_260_301
MAX_RECORDS = 50_000
FIRST_BARCODE = 2_000_000
COPIES_PER_RECORD = 3  # barcodes are reserved three by three: record n owns 02000000 + 3n … + 2

# --- Generation -----------------------------------------------------------------------------------


def bulk_isbn(index: int) -> str:
    """The ISBN-13 of generated record ``index``: 979-10, seven digits that never repeat, the key.

    ``index * 7919 mod 10**7`` is a permutation (7919 is prime to 10), so the numbers look scattered
    as real ones are, and two records never share one.
    """
    body = f"97910{(index * 7919 + 1_234_567) % 10_000_000:07d}"
    return body + isbn_rules.check_digit_13(body)


def bulk_barcodes(index: int, copies: int) -> list[str]:
    return [f"{FIRST_BARCODE + index * COPIES_PER_RECORD + n:08d}" for n in range(copies)]


def _shelf_code(text: str) -> str:
    """Three capital letters, as on a CDI's spine labels: PEN for "Pennac, Daniel"."""
    letters = [c for c in strip_accents(text).upper() if c.isalpha()]
    return "".join(letters[:3])


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class _Series:
    """A series keeps its authors and publisher; each new record is its next volume."""

    name: str
    authors: str
    publisher: str
    first_year: int
    volumes: int = 0


class _Generator:
    RETRIES = 12  # draws of a title before numbering it as another volume or edition

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.titles: set[str] = set()
        self.series: dict[str, _Series] = {}
        self.first_names = ADULT_FIRST_NAMES + GIRLS + BOYS

    def author(self) -> str:
        return f"{self.rng.choice(LAST_NAMES).title()}, {self.rng.choice(self.first_names)}"

    def unique(self, draw) -> str:
        """A title not used yet: drawn again a few times, then numbered ("… 2") past saturation."""
        for _ in range(self.RETRIES):
            title = draw()
            if title not in self.titles:
                break
        candidate, number = title, 1
        while candidate in self.titles:
            number += 1
            candidate = f"{title}. {number}"
        self.titles.add(candidate)
        return candidate

    def next_volume(self, name: str, authors, publishers: tuple[str, ...]) -> tuple[_Series, int]:
        series = self.series.get(name)
        if series is None:
            series = _Series(name, authors(), self.rng.choice(publishers), self.rng.randint(1995, 2022))
            self.series[name] = series
        series.volumes += 1
        return series, series.volumes

    def record(self, index: int) -> CatalogueRecord:
        rng = self.rng
        genres, weights = zip(*GENRES, strict=True)
        genre = rng.choices(genres, weights=weights)[0]
        copies = rng.choice((1, 1, 1, 2, 2, 3))
        year = rng.randint(1995, 2025)
        author = self.author()
        publisher = rng.choice(FICTION_PUBLISHERS)
        if genre in ("fantasy", "comic", "manga"):
            return self.series_record(index, genre, copies)
        if genre == "novel":
            def draw():
                pattern = rng.randrange(3)
                if pattern == 0:
                    return f"{rng.choice(FICTION_HEADS)} {rng.choice(FICTION_PLACES)}"
                if pattern == 1:
                    return f"{rng.choice(GIRLS + BOYS)} et {rng.choice(COMPANIONS)}"
                return f"{rng.choice(SEASONS)} {rng.choice(WHERE)}"
            subjects, code = " ; ".join(rng.sample(FICTION_SUBJECTS["novel"], 2)), "R"
        elif genre == "crime":
            def draw():
                return f"{rng.choice(CRIME_TITLES)} {rng.choice(CRIME_PLACES)}"
            subjects, code = " ; ".join(rng.sample(FICTION_SUBJECTS["crime"], 2)), "RP"
        elif genre == "play":
            def draw():
                return f"{rng.choice(PLAY_TITLES)} {rng.choice(PLAY_ENDS)}"
            subjects, code = "Théâtre ; Comédie", "T"
        elif genre == "poetry":
            def draw():
                return f"{rng.choice(POETRY_TITLES)} {rng.choice(POETRY_ENDS)}"
            subjects, code = "Poésie", "P"
        elif genre == "tale":
            def draw():
                return f"{rng.choice(TALE_TITLES)} {rng.choice(TALE_ENDS)}"
            subjects, code, author = "Contes ; Légendes", "C", "Collectif"
        else:
            dewey, subject, topics = rng.choice(DEWEY_CLASSES)

            def draw():
                topic, pattern = rng.choice(topics), rng.choice(DOC_PATTERNS)
                if "{Topic}" in pattern:
                    return pattern.replace("{Topic}", _capitalised(topic))
                return pattern.replace("{topic}", topic).replace("de le ", "du ").replace("de les ", "des ")
            publisher, subjects, code = rng.choice(DOC_PUBLISHERS), subject, dewey
            year = rng.randint(2005, 2025)
        title = self.unique(draw)
        shelved_by = title if author == "Collectif" else author
        return CatalogueRecord(
            title=title, authors=author, publisher=publisher, year=year, isbn=bulk_isbn(index),
            subjects=subjects, call_number=f"{code} {_shelf_code(shelved_by)}", copies=copies,
        )

    def series_record(self, index: int, genre: str, copies: int) -> CatalogueRecord:
        rng = self.rng
        if genre == "fantasy":
            world = rng.choice(FANTASY_WORLDS)
            of = "d'" if strip_accents(world[0]) in "AEIOUY" else "de "
            name = f"{rng.choice(FANTASY_SERIES)} {of}{world}"
            series, volume = self.next_volume(name, self.author, FICTION_PUBLISHERS)
            subjects, code = " ; ".join(rng.sample(FICTION_SUBJECTS["fantasy"], 2)), "R"
            volumes = FANTASY_VOLUMES
        elif genre == "comic":
            name = f"{rng.choice(COMIC_NAMES)} {rng.choice(COMIC_HEROES)}"
            series, volume = self.next_volume(name, self.comic_authors, COMIC_PUBLISHERS)
            subjects, code, volumes = "Bande dessinée ; Humour", "BD", COMIC_VOLUMES
        else:
            name = rng.choice(MANGA_TITLES)
            series, volume = self.next_volume(name, self.manga_author, MANGA_PUBLISHERS)
            subjects, code, volumes = "Bande dessinée ; Manga", "BD", COMIC_VOLUMES
        title = self.unique(lambda: f"{series.name}. {volume}, {rng.choice(volumes)}")
        year = min(series.first_year + (volume - 1) // 2, 2025)  # about two volumes a year
        return CatalogueRecord(
            title=title, authors=series.authors, publisher=series.publisher, year=year, isbn=bulk_isbn(index),
            subjects=subjects, call_number=f"{code} {_shelf_code(series.authors)}", copies=copies,
        )

    def comic_authors(self) -> str:
        """A scriptwriter and an artist."""
        return f"{self.author()} ; {self.author()}"

    def manga_author(self) -> str:
        family = self.rng.choice(("Tanaka", "Sato", "Suzuki", "Ito", "Mori", "Okada", "Kobayashi", "Yamada"))
        return f"{family}, {self.rng.choice(('Hiro', 'Yuki', 'Aiko', 'Ken', 'Mei', 'Sora', 'Rin', 'Daichi'))}"


def bulk_records(count: int) -> list[CatalogueRecord]:
    """The first ``count`` generated records; the same list, in the same order, on every run."""
    generator = _Generator()
    return [generator.record(index) for index in range(min(count, MAX_RECORDS))]


# --- Loading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkSeedResult:
    added_records: int
    added_copies: int
    total_records: int


@transaction.atomic
def bulk_catalogue_seed(*, library: Library, target: int) -> BulkSeedResult:
    """Add generated records (and their copies) until the library holds ``target`` records.

    Records already there (same ISBN) are skipped, so running it again adds nothing, and a larger
    target adds only the next records. A barcode someone else took is left out rather than fail.
    """
    target = min(target, MAX_RECORDS)
    Library.objects.select_for_update().filter(pk=library.pk).first()
    existing = Record.objects.filter(library=library).count()
    if existing >= target:
        return BulkSeedResult(0, 0, existing)
    isbns = set(Record.objects.filter(library=library).values_list("isbn", flat=True))
    barcodes = set(Copy.objects.filter(library=library).values_list("barcode", flat=True))
    wanted = target - existing
    chosen: list[tuple[int, CatalogueRecord]] = []
    # Only records already present are skipped, and there are at most ``existing`` of them, so the
    # first ``target`` generated records always suffice.
    for index, item in enumerate(bulk_records(target)):
        if item.isbn not in isbns:
            chosen.append((index, item))
            if len(chosen) == wanted:
                break
    records = Record.objects.bulk_create(
        [Record(library=library, title=item.title, authors=item.authors, publisher=item.publisher,
                year=item.year, isbn=item.isbn, subjects=item.subjects, support=item.support,
                call_number=item.call_number) for _, item in chosen],
        batch_size=500,
    )
    copies = [
        Copy(library=library, record=record, barcode=barcode, status=CopyStatus.AVAILABLE)
        for record, (index, item) in zip(records, chosen, strict=True)
        for barcode in bulk_barcodes(index, item.copies) if barcode not in barcodes
    ]
    Copy.objects.bulk_create(copies, batch_size=1000)
    return BulkSeedResult(len(records), len(copies), existing + len(records))
