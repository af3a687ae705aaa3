"""Benchmark of the FICHES_XML writer and reader on a realistic school.

    .venv/bin/python benchmarks/bench_fiches_xml.py [--people 3000] [--repeat 5]

Generates a school in pure Python (deterministic seed): pupils in classes 6eA to 3eF, parents,
teachers and staff, with accented and compound French names. Then times `write_fiches` and
`read_fiches` (best of N), and a streaming read through `iter_fiches` that keeps nothing, which is
what must stay flat in memory at any size (try --people 100000). Prints people per second, the
file size, the peak Python heap (tracemalloc) of each step and the process's peak RSS.

The reference budget (performance anchors, test 1): at least 50,000 records/s for the hardened
streaming parse, and a peak RSS under 100 MiB whatever the file size when streaming.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import random
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sesame.interop.fiches_xml import Status, UserRecord, iter_fiches, read_fiches, write_fiches

LAST_NAMES = [
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU",
    "LEFÈVRE", "GARCIA", "MÜLLER", "NGUYEN", "FRANÇOIS", "LE GALL", "N'DIAYE", "DE LA FONTAINE",
    "DE LA TOUR", "O'BRIEN", "BOUCHÉ", "CHÂTELAIN", "PRÉVOST", "GAUTIER", "LAMBERT", "FONTAINE", "ROUSSEAU",
    "VINCENT", "MERCIER", "BOYER", "BLANC", "GUÉRIN", "FAURE", "ANDRÉ", "BENOÎT", "LE BRIS", "D'ALMEIDA",
    "BEN SAÏD", "DA SILVA", "SAINT-MARTIN", "KOWALSKI", "TRẦN", "HÉBERT", "CÔTÉ", "ÉTIENNE",
]
FIRST_NAMES = [
    "Chloé", "Léa", "Zoé", "Inès", "Anaïs", "Éloïse", "Hélène", "Maëlle", "Noémie", "Agathe", "Jade",
    "Louise", "Emma", "Manon", "Célia", "Lucas", "Hugo", "Noël", "Maël", "Théo", "Jérôme", "François",
    "Jean-Baptiste", "Marie-Noëlle", "Anne-Sophie", "Pierre-Étienne", "Kévin", "Moussa", "Yanis", "Loïc",
    "Gaël", "Raphaël", "Adèle", "Léon", "Éva", "Mathéo", "Ibrahim", "Thi-Loan", "Zoë", "Bérénice",
]
STREETS = ["rue de l'Église", "avenue Jean-Jaurès", "place du Général-de-Gaulle", "chemin des Écoliers",
           "rue Émile-Zola", "allée des Tilleuls", "boulevard Saint-Michel", "impasse de la Forêt"]
CITIES = [("45000", "Orléans"), ("37000", "Tours"), ("42000", "Saint-Étienne"), ("29200", "Brest"),
          ("13001", "Marseille"), ("69003", "Lyon"), ("59000", "Lille"), ("97400", "Saint-Denis")]
CLASSES = [f"{level}e{letter}" for level in (6, 5, 4, 3) for letter in "ABCDEF"]
GROUPS = ["", "", "", "Latin", "Allemand LV2", "Espagnol LV2", "Chorale", "Section sportive"]
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def phone(rng: random.Random) -> str:
    return "06 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))


def make_school(people: int, seed: int = 2026) -> list[UserRecord]:
    """About 80 % pupils, 10 % parents, 7 % teachers and 3 % staff, all with distinct ENT identities."""
    rng = random.Random(seed)
    records = []
    for number in range(people):
        share = number / people
        status = (Status.PUPIL if share < 0.80 else Status.PARENT if share < 0.90
                  else Status.TEACHER if share < 0.97 else Status.STAFF)
        last = rng.choice(LAST_NAMES)
        if rng.random() < 0.08:
            last = f"{last}-{rng.choice(LAST_NAMES)}"
        first = rng.choice(FIRST_NAMES)
        pupil = status is Status.PUPIL
        year = rng.randint(2010, 2014) if pupil else rng.randint(1960, 2000)
        birth = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        postal_code, city = rng.choice(CITIES)
        with_address = rng.random() < 0.6
        records.append(UserRecord(
            name=f"{last} {first}",
            ent_identity=f"ABC-{8_000_000 + number}",
            status=rng.choice([status.value, "Elève", "Eleve"]) if pupil else status.value,
            birth_date=birth if rng.random() < 0.95 else None,
            school_class=rng.choice(CLASSES) if pupil else "",
            group=rng.choice(GROUPS) if pupil else "",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}" if with_address else "",
            postal_code=postal_code if with_address else "",
            city=city if with_address else "",
            phone=phone(rng) if not pupil and rng.random() < 0.5 else "",
            email="" if pupil else f"{first.lower()}.{number}@example.org",
            password="".join(rng.choice(ALPHABET) for _ in range(8)),
            borrower_type="Usager",
        ))
    return records


def best_time(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def heap_peak(action: Callable[[], object]) -> int:
    """Peak bytes allocated by Python objects during `action` (allocations by libxml2 are not seen)."""
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _status_kb(key: str) -> int | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


def rss_growth(action: Callable[[], object]) -> float | None:
    """Growth of the peak RSS during `action`, in MiB (Linux only: resets the peak mark first)."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    before = _status_kb("VmRSS")
    action()
    after = _status_kb("VmHWM")
    return None if before is None or after is None else (after - before) / 1024


def max_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3000, help="number of people (default 3000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure, best kept (default 5)")
    args = parser.parse_args(argv)
    people, repeat = args.people, max(1, args.repeat)

    started = time.perf_counter()
    records = make_school(people)
    print(f"fiches_xml benchmark: {people:,} people generated in {time.perf_counter() - started:.2f} s, "
          f"best of {repeat}")

    data = write_fiches(records)
    print(f"file: {len(data) / 1e6:.2f} MB, {len(data) / people:.0f} bytes per person, UTF-8")

    write_s = best_time(lambda: write_fiches(records), repeat)
    write_heap = heap_peak(lambda: write_fiches(records))
    print(f"write_fiches : {write_s:7.3f} s  {people / write_s:>9,.0f} people/s  "
          f"peak heap {write_heap / 2**20:6.1f} MiB (output included)")

    def stream() -> int:
        count = 0
        for item in iter_fiches(io.BytesIO(data)):
            count += isinstance(item, UserRecord)
        return count

    assert stream() == people, "the streaming read must give back every person"
    stream_s = best_time(stream, repeat)
    stream_heap = heap_peak(stream)
    stream_rss = rss_growth(stream)
    rss_text = "n/a" if stream_rss is None else f"{stream_rss:.1f} MiB"
    print(f"iter_fiches  : {stream_s:7.3f} s  {people / stream_s:>9,.0f} people/s  "
          f"peak heap {stream_heap / 2**20:6.1f} MiB, peak RSS growth {rss_text} (streaming, nothing kept)")

    result = read_fiches(data)
    assert len(result.records) == people and not result.problems, "the file must read back cleanly"
    del result
    read_s = best_time(lambda: read_fiches(data), repeat)
    read_heap = heap_peak(lambda: read_fiches(data))
    print(f"read_fiches  : {read_s:7.3f} s  {people / read_s:>9,.0f} people/s  "
          f"peak heap {read_heap / 2**20:6.1f} MiB (all records kept)")

    print(f"process peak RSS (ru_maxrss, whole run incl. generation and the file): {max_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
