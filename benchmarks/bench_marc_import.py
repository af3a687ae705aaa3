"""Benchmark of the MARC import: a whole CDI catalogue in UNIMARC, then in MARC21, into an empty base.

    .venv/bin/python benchmarks/bench_marc_import.py [--records 5000] [--repeat 3] [--postgres]

Sets Django up itself on a throwaway database: a SQLite file in a temporary directory, or with
``--postgres`` a temporary database created on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/test``) and dropped at the end.

The file is written with pymarc as an export would be: N records (title, authors, publisher,
year, ISBN, subjects, call number) with one to three copies each in the holdings field (UNIMARC
995, in ISO-8859-1 as BCDI writes it; MARC21 952, in UTF-8), about one record in twenty with
an ISBN whose key is wrong and one in fifty without a title, so the report has work to do.

Times, best of ``--repeat`` (the base is emptied between rounds):

- reading and checking the file alone (``parse_file``: no database);
- the import (``marc_import``: one transaction), with the number of SQL statements;
- importing the same file again (every record recognised, nothing written);
- one catalogue search over the imported records (``record_search``), as the search page runs it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from throwaway_django import throwaway_database  # noqa: E402  (beside this file, run as a script)

WORDS = ("secret", "forêt", "loup", "étoiles", "voyage", "île", "dragon", "mer", "hiver", "château",
         "enquête", "volcans", "cœur", "nuit", "jardin", "ombre", "lumière", "trésor", "frontière", "légende")
NAMES = ("Pennac", "Murail", "Fombelle", "Bottero", "Dabos", "Mourlevat", "Hassan", "Morpurgo",
         "Brisou-Pellen", "Gudule", "Verne", "Hugo", "Zola", "Maupassant", "Pagnol")
FIRST_NAMES = ("Daniel", "Marie-Aude", "Timothée", "Pierre", "Christelle", "Jean-Claude", "Yaël", "Michael",
               "Évelyne", "Jules", "Victor", "Émile", "Guy", "Marcel")
PUBLISHERS = ("Gallimard Jeunesse", "Nathan", "Rageot", "L'École des loisirs", "Milan", "Casterman", "Syros")










def _isbn13(rng: random.Random) -> str:
    from sesame.library.catalogue.isbn import check_digit_13

    body = "9782" + "".join(str(rng.randrange(10)) for _ in range(8))
    return body + check_digit_13(body)


def make_file(count: int, marc_format: str, *, seed: int = 2026) -> bytes:
    """``count`` records as one ISO 2709 file, the way the old system would export them."""
    import pymarc

    def field(tag: str, *pairs: str, indicators: str = "  ") -> pymarc.Field:
        """In UNIMARC, each character as the one byte Windows-1252 gives it (pymarc then writes it as is)."""
        if marc_format == "unimarc":
            pairs = tuple(value.encode("cp1252").decode("latin-1") for value in pairs)
        codes, values = pairs[::2], pairs[1::2]
        subfields = [pymarc.Subfield(code, value) for code, value in zip(codes, values, strict=True)]
        return pymarc.Field(tag=tag, indicators=pymarc.Indicators(*indicators), subfields=subfields)

    rng = random.Random(seed)
    chunks = []
    barcode = 100_000
    for index in range(count):
        link = rng.choice(("de la", "du", "des"))
        title = f"{rng.choice(WORDS).capitalize()} {link} {rng.choice(WORDS)} {index}"
        family, first = rng.choice(NAMES), rng.choice(FIRST_NAMES)
        isbn = _isbn13(rng)
        if index % 20 == 7:
            isbn = isbn[:-1] + str((int(isbn[-1]) + 1) % 10)  # a wrong key, reported and dropped
        year = str(rng.randint(1980, 2024))
        publisher = rng.choice(PUBLISHERS)
        subjects = rng.sample(WORDS, 2)
        call_number = f"R {family[:3].upper()}"
        copies = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            barcode += 1
            copies.append(f"{barcode:08d}")
        record = pymarc.Record()
        if marc_format == "unimarc":
            record.leader = pymarc.Leader("00000nam  2200000   450 ")
            record.add_field(
                pymarc.Field(tag="001", data=f"BCDI{index:06d}"),
                field("010", "a", isbn),
                field("200", "a" if index % 50 != 3 else "e", title, "f", f"{first} {family}",
                      indicators="1 "),
                field("210", "a", "Paris", "c", publisher, "d", year),
                *(field("606", "a", subject) for subject in subjects),
                field("700", "a", family, "b", first, indicators=" 1"),
                *(field("995", "f", code, "k", call_number) for code in copies),
            )
            record.to_unicode = False  # one byte a character: ISO-8859-1, as BCDI writes it
            chunks.append(record.as_marc())
        else:
            record.leader = pymarc.Leader("00000nam a2200000 i 4500")
            record.add_field(
                field("020", "a", isbn),
                field("100", "a", f"{family}, {first},", indicators="1 "),
                field("245", "a" if index % 50 != 3 else "b", f"{title} /", "c", f"{first} {family}.",
                      indicators="10"),
                field("264", "a", "Paris :", "b", f"{publisher},", "c", f"{year}.", indicators=" 1"),
                *(field("650", "a", f"{subject}.", indicators=" 0") for subject in subjects),
                *(field("952", "p", code, "o", call_number) for code in copies),
            )
            chunks.append(record.as_marc())
    return b"".join(chunks)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}".replace(",", "\u202f")


def measure(count: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sesame.library.catalogue.marc.importer import marc_import, parse_file
    from sesame.library.catalogue.selectors import record_search
    from sesame.library.models import Copy, Library, Record

    library = Library.objects.create(uai="0693456G", name="Collège Jean Moulin")
    for marc_format in ("unimarc", "marc21"):
        started = time.perf_counter()
        content = make_file(count, marc_format)
        print(f"{marc_format.upper()} : {count} notices, {len(content) / 1024:.0f} Kio, fichier écrit en "
              f"{time.perf_counter() - started:.1f} s")
        parse_times, import_times, again_times, statements, report, again = [], [], [], 0, None, None
        for _ in range(repeat):
            Copy.objects.filter(library=library).delete()
            Record.objects.filter(library=library).delete()
            started = time.perf_counter()
            parse_file(content)
            parse_times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                report = marc_import(library=library, content=content, file_name=f"bench.{marc_format}",
                                     acting_user=None)
                import_times.append(time.perf_counter() - started)
            statements = len(queries)
            started = time.perf_counter()
            again = marc_import(library=library, content=content, acting_user=None)
            again_times.append(time.perf_counter() - started)
        print(f"  {report.format_note} {report.encoding_note()}")
        print(f"  {report.summary()} Remarques : {len(report.lines)}.")
        best = min(parse_times)
        print(f"  lecture et contrôles seuls (parse_file) : {best:.3f} s, {_rate(count, best)} notices/s")
        best = min(import_times)
        print(f"  import (marc_import)                     : {best:.3f} s, {_rate(count, best)} notices/s, "
              f"{statements} requêtes SQL dans une seule transaction")
        best = min(again_times)
        print(f"  même fichier une seconde fois            : {best:.3f} s, {_rate(count, best)} notices/s "
              f"({again.imported} notice et {again.copies} exemplaire ajoutés)")
    search_times = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = record_search(library=library, text="coeur foret")
        search_times.append(time.perf_counter() - started)
    total = Record.objects.filter(library=library).count()
    print(f"Recherche « coeur foret » dans {total} notices : {min(search_times) * 1000:.0f} ms "
          f"({len(found)} trouvées)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="on the server of DATABASE_URL")
    args = parser.parse_args()
    with throwaway_database(prefix="bench-marc", postgres=args.postgres) as database:
        print(f"Base : {database}")
        measure(args.records, args.repeat)

if __name__ == "__main__":
    main()
