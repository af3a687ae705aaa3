"""Benchmark of the borrower update on the database: analysis, *Importation* and undo.

    .venv/bin/python benchmarks/bench_update_apply.py [--size 3000] [--large 30000] [--repeat 3]
                                                      [--postgres]

Sets Django up itself on a throwaway database: a SQLite file in a temporary directory, or with
``--postgres`` a temporary database created on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/test``) and dropped at the end. The school is the one of
``bench_sync_plan.py`` (last year's base typed over the years, this year's file: the 3e left, a
new year of 6e arrived, staff came and went), stored as rows: borrowers, a catalogue, a few
hundred open loans and a history of returned ones; the file goes through the real writer and
reader, as an upload would.

Times, best of N:

- the analysis alone (``plan_for``: read the file, load the snapshot, plan; nothing written);
- the analysis that records a run (``update_analyse``) and the import (``update_apply``), with
  the number of SQL statements of the import; each round is undone (``update_undo``, timed too)
  so that the next one starts from the same base;
- the analysis alone at ``--large`` (ten schools' worth in one library), to show how it grows.

Goal (performance anchors §1.3, item 2): analysis well under a second for one school, and the
import in one transaction, within 2 s on SQLite.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from bench_sync_plan import make_school  # noqa: E402  (beside this file, run as a script)
from throwaway_django import throwaway_database  # noqa: E402  (beside this file, run as a script)

LOT = "Statut=Elève"
OPEN_LOANS = 300
RETURNED_LOANS = 2000










def build(uai: str, size: int, *, seed: int = 2026):
    """A library with last year's base and its loans; returns (library, users file bytes)."""
    from sesame.interop.fiches_xml import UserRecord, write_fiches
    from sesame.library.models import Borrower, Copy, Library, Loan, Record

    people, base = make_school(size, first_update=False, seed=seed)
    library = Library.objects.create(uai=uai, name=f"Collège {uai}")
    Borrower.objects.bulk_create(
        (Borrower(library=library, number=row.number, name=row.name, status=row.status,
                  school_class=row.school_class, birth_date=row.birth_date, email=row.email,
                  ent_identity=row.ent_identity) for row in base),
        batch_size=2000,
    )
    borrowers = list(Borrower.objects.filter(library=library).order_by("number"))
    rng = random.Random(seed)
    records = Record.objects.bulk_create(Record(library=library, title=f"Notice {i}") for i in range(200))
    loans = OPEN_LOANS * size // 3000, RETURNED_LOANS * size // 3000
    copies = Copy.objects.bulk_create(
        (Copy(library=library, record=records[i % len(records)], barcode=f"{uai}-{i:07d}")
         for i in range(sum(loans))), batch_size=2000,
    )
    today = date(2025, 9, 2)
    rows = []
    for index, copy in enumerate(copies):
        borrower = rng.choice(borrowers)
        is_open = index < loans[0]
        loaned = today - timedelta(days=rng.randrange(10 if is_open else 300, 400))
        returned = None if is_open else loaned + timedelta(days=rng.randrange(1, 30))
        rows.append(Loan(library=library, copy=copy, borrower=borrower, borrower_status=borrower.status,
                         borrower_class=borrower.school_class, loaned_on=loaned,
                         due_on=loaned + timedelta(days=21), returned_on=returned))
    Loan.objects.bulk_create(rows, batch_size=2000)
    content = write_fiches(
        UserRecord(name=p.name, ent_identity=p.ent_identity, status=p.status, birth_date=p.birth_date,
                   school_class=p.school_class, email=p.email)
        for p in people
    )
    return library, content, len(people)


def _best(values: list[float]) -> float:
    return min(values)


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}".replace(",", "\u202f")


def measure(size: int, large: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sesame.library.update.selectors import plan_for
    from sesame.library.update.services import update_analyse, update_apply, update_decide, update_undo
    from sesame.sync import UpdateOptions

    started = time.perf_counter()
    library, content, people = build("0693456G", size)
    print(f"École : {people} personnes dans le fichier ({len(content) / 1024:.0f} Kio), "
          f"{size} emprunteurs environ ; préparée en {time.perf_counter() - started:.1f} s")

    analysis_times = []
    for _ in range(repeat):
        started = time.perf_counter()
        preview = plan_for(library=library, content=content, lot_expression=LOT,
                           options=UpdateOptions(final=True))
        analysis_times.append(time.perf_counter() - started)
    best = _best(analysis_times)
    print(f"  analyse seule (plan_for)           : {best:.3f} s, {_rate(people, best)} personnes/s")
    counts = preview.plan.counts
    print(f"    plan : {counts['new']} nouveaux, {counts['updated']} mis à jour (dont {counts['ambiguous']} "
          f"ambigus), {counts['deleted']} supprimés, {counts['set_aside']} mis à l'écart, "
          f"{counts['conflicts']} homonymies, {counts['suggestions']} suggestions")

    analyse_times, apply_times, undo_times, statements = [], [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        analysis = update_analyse(library=library, file_name="export.xml", content=content,
                                  lot_expression=LOT, acting_user=None)
        analyse_times.append(time.perf_counter() - started)
        update_decide(run=analysis.run, confirmed_guards=[guard.code for guard in analysis.plan.guards],
                      acting_user=None)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            update_apply(run=analysis.run, acting_user=None)
            apply_times.append(time.perf_counter() - started)
        statements = len(queries)
        started = time.perf_counter()
        update_undo(library=library, acting_user=None)
        undo_times.append(time.perf_counter() - started)
    total = _best([a + b for a, b in zip(analyse_times, apply_times, strict=True)])
    print(f"  analyse enregistrée (update_analyse): {_best(analyse_times):.3f} s")
    print(f"  importation (update_apply)          : {_best(apply_times):.3f} s, {statements} requêtes SQL "
          "dans une seule transaction")
    print(f"  analyse + importation               : {total:.3f} s, {_rate(people, total)} personnes/s")
    print(f"  annulation (update_undo)            : {_best(undo_times):.3f} s")

    if large:
        started = time.perf_counter()
        big, big_content, big_people = build("0750001B", large, seed=2027)
        print(f"Dix écoles dans une bibliothèque : {big_people} personnes, {large} emprunteurs environ ; "
              f"préparée en {time.perf_counter() - started:.1f} s")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            plan_for(library=big, content=big_content, lot_expression=LOT, options=UpdateOptions(final=True))
            times.append(time.perf_counter() - started)
        best = _best(times)
        print(f"  analyse seule (plan_for)           : {best:.3f} s, {_rate(big_people, best)} personnes/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--large", type=int, default=30000, help="0 to skip")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="on the server of DATABASE_URL")
    args = parser.parse_args()
    with throwaway_database(prefix="bench-update", postgres=args.postgres) as database:
        print(f"Base : {database}")
        measure(args.size, args.large, args.repeat)

if __name__ == "__main__":
    main()
