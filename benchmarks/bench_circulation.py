"""Benchmark of the desk: checkout and return round trips through the circulation services.

    .venv/bin/python benchmarks/bench_circulation.py [--borrowers 3000] [--copies 5000] [--trips 2000]
                                                     [--repeat 3] [--postgres]

Sets Django up itself on a throwaway database, as ``bench_update_apply.py`` does: a SQLite file
in a temporary directory, or with ``--postgres`` a temporary database created on the server of
``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``) and dropped at the end.

The library is one school's: ``--borrowers`` borrowers (pupils and teachers, a default rule and
a teachers' rule), ``--copies`` copies of a thousand records, a few hundred loans already out.
Each round trip is ``loan_checkout`` of a random copy on the shelf to a random borrower under
their limit, then ``loan_return`` of that barcode: two transactions, with the locks, the rule
lookup, the reservation checks and the journal line, exactly as at the desk. Printed: round
trips per second (best of ``--repeat``), the SQL statements of one checkout and of one return,
and the time of the overdue selector over the whole library.

Goal: a desk scans a barcode every few seconds; the services should answer in a few
milliseconds, so that even a whole class returning books at once never waits on the server.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from throwaway_django import throwaway_database  # noqa: E402  (beside this file, run as a script)

OPEN_LOANS = 400
TODAY = date(2025, 11, 17)


def build(borrowers: int, copies: int, *, seed: int = 2026):
    """The library, its borrowers and copies, and some loans out (some of them late)."""
    from sesame.library.models import Borrower, Copy, CopyStatus, Library, Loan, LoanRule, Record

    rng = random.Random(seed)
    library = Library.objects.create(uai="0693456G", name="Collège Jean Moulin")
    LoanRule.objects.create(library=library, status="", loan_days=21, max_loans=5)
    LoanRule.objects.create(library=library, status="Enseignant", loan_days=42, max_loans=20)
    classes = [f"{level}e{letter}" for level in (6, 5, 4, 3) for letter in "ABCDEF"]
    Borrower.objects.bulk_create(
        (Borrower(library=library, number=i + 1, name=f"NOM{i:05d} Prénom",
                  status="Enseignant" if i % 15 == 0 else "Elève",
                  school_class="" if i % 15 == 0 else rng.choice(classes)) for i in range(borrowers)),
        batch_size=2000,
    )
    records = Record.objects.bulk_create(
        (Record(library=library, title=f"Notice {i}") for i in range(1000)), batch_size=2000)
    Copy.objects.bulk_create(
        (Copy(library=library, record=records[i % len(records)], barcode=f"E{i:07d}") for i in range(copies)),
        batch_size=2000,
    )
    people = list(Borrower.objects.filter(library=library).order_by("pk"))
    out = list(Copy.objects.filter(library=library).order_by("?")[:OPEN_LOANS])
    loans = []
    for copy in out:
        borrower = rng.choice(people)
        loaned = TODAY - timedelta(days=rng.randrange(1, 60))
        loans.append(Loan(library=library, copy=copy, borrower=borrower, borrower_status=borrower.status,
                          borrower_class=borrower.school_class, loaned_on=loaned,
                          due_on=loaned + timedelta(days=21)))
    Loan.objects.bulk_create(loans, batch_size=2000)
    Copy.objects.filter(pk__in=[copy.pk for copy in out]).update(status=CopyStatus.ON_LOAN)
    return library


def measure(borrowers: int, copies: int, trips: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sesame.library.circulation.selectors import overdue_loans
    from sesame.library.circulation.services import CirculationRefused, loan_checkout, loan_return
    from sesame.library.models import Borrower, Copy, CopyStatus

    started = time.perf_counter()
    library = build(borrowers, copies)
    print(f"Bibliothèque : {borrowers} emprunteurs, {copies} exemplaires, {OPEN_LOANS} prêts en cours ; "
          f"préparée en {time.perf_counter() - started:.1f} s")
    rng = random.Random(7)
    people = list(Borrower.objects.filter(library=library))
    shelf = list(Copy.objects.filter(library=library, status=CopyStatus.AVAILABLE)
                 .values_list("barcode", flat=True))

    # Statement counts of one checkout and one return, on a copy and a borrower known to be free.
    barcode, person = shelf[0], people[1]
    with CaptureQueriesContext(connection) as checkout_queries:
        loan_checkout(library=library, borrower=person, barcode=barcode, today=TODAY, acting_user=None)
    with CaptureQueriesContext(connection) as return_queries:
        loan_return(library=library, barcode=barcode, today=TODAY, acting_user=None)
    print(f"  requêtes SQL : prêt {len(checkout_queries)}, retour {len(return_queries)} "
          "(transaction et verrous compris)")

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(trips):
            while True:
                borrower, code = rng.choice(people), rng.choice(shelf)
                try:
                    loan_checkout(library=library, borrower=borrower, barcode=code, today=TODAY,
                                  acting_user=None)
                    break
                except CirculationRefused as error:  # at their limit: the desk serves the next one
                    if error.code != "max_loans":
                        raise
            loan_return(library=library, barcode=code, today=TODAY, acting_user=None)
        times.append(time.perf_counter() - started)
    best = min(times)
    rate = f"{trips / best:,.0f}".replace(",", "\u202f")
    print(f"  prêt + retour : {trips} allers-retours en {best:.2f} s, {rate} allers-retours/s "
          f"({best / trips * 1000:.2f} ms chacun)")

    started = time.perf_counter()
    late = len(overdue_loans(library=library, today=TODAY))
    print(f"  retards (overdue_loans) : {late} prêts en {time.perf_counter() - started:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrowers", type=int, default=3000)
    parser.add_argument("--copies", type=int, default=5000)
    parser.add_argument("--trips", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="on the server of DATABASE_URL")
    args = parser.parse_args()
    with throwaway_database(prefix="bench-circulation", postgres=args.postgres) as database:
        print(f"Base : {database}")
        measure(args.borrowers, args.copies, args.trips, args.repeat)

if __name__ == "__main__":
    main()
