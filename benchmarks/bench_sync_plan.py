"""Benchmark of the borrower update's analysis (``plan_update``) on a realistic start of year.

    .venv/bin/python benchmarks/bench_sync_plan.py [--sizes 3000 30000] [--repeat 5] [--first-update]

Generates in pure Python (deterministic seed) a collège's base as years of hand typing left it:
about 88 % pupils with last year's class, teachers and staff typed by hand (accents left out,
"Nom, Prénom" with a comma, a few typing slips and swapped orders), half of the base with an ENT
identity stored by an earlier update, or nobody with ``--first-update`` (the "longest and most
delicate" first run of seed C). The file is this year's: the 3e have left, a new year of 6e has
arrived (about a quarter of the pupils), every other pupil moved up a level, a few teachers came
and went, and the file spells every name properly.

Prints, for each size, the first (cold) analysis and the best of N, people per second and the
groups of the plan. The reference budget (performance anchors §1.3, item 4): 3,000 × 3,000 in
at most 0.5 s on a 2-vCPU runner.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import time
import unicodedata

from sesame.sync import ExistingBorrower, IncomingPerson, UpdateOptions, plan_update
from sesame.sync.levels import parse_level
from sesame.sync.normalize import fold

LAST_NAMES = [
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU",
    "SIMON", "LAURENT", "LEFÈVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER",
    "MOREL", "GIRARD", "ANDRÉ", "LEFEBVRE", "MERCIER", "DUPONT", "LAMBERT", "BONNET", "FRANÇOIS", "MARTINEZ",
    "LEGRAND", "GARNIER", "FAURE", "ROUSSEAU", "BLANC", "GUÉRIN", "MULLER", "HENRY", "ROUSSEL", "NICOLAS",
    "PERRIN", "MORIN", "MATHIEU", "CLÉMENT", "GAUTHIER", "DUMONT", "LOPEZ", "FONTAINE", "CHEVALIER", "ROBIN",
    "MASSON", "SANCHEZ", "GÉRARD", "NGUYEN", "BOYER", "DENIS", "LEMAIRE", "DUVAL", "JOLY", "GAUTIER",
    "ROGER", "ROCHE", "ROY", "NOËL", "MEYER", "LUCAS", "MEUNIER", "JEAN", "PÉREZ", "MARCHAND", "DUFOUR",
    "BLANCHARD", "MARIE", "BARBIER", "BRUN", "DUMAS", "BRUNET", "SCHMITT", "LEROUX", "COLIN", "FERNANDEZ",
    "PIERRE", "RENARD", "ARNAUD", "ROLLAND", "CARON", "AUBERT", "GIRAUD", "LECLERC", "VIDAL", "BOURGEOIS",
    "RENAUD", "LEMOINE", "PICARD", "GAILLARD", "PHILIPPE", "LECLERCQ", "LACROIX", "FABRE", "DUPUIS",
    "OLIVIER", "RODRIGUEZ", "DA SILVA", "HUBERT", "LOUIS", "CHARLES", "GUILLOT", "RIVIÈRE", "LE GALL",
    "GUILLAUME", "ADAM", "REY", "MOULIN", "GONZALEZ", "BERGER", "LECOMTE", "MENARD", "FLEURY", "DESCHAMPS",
    "CARPENTIER", "JULIEN", "BENOÎT", "PARIS", "MAILLARD", "MARCHAL", "AUBRY", "VASSEUR", "LE ROUX",
    "RENAULT",
    "N'DIAYE", "DIALLO", "TRAORÉ", "BEN SAÏD", "D'ALMEIDA", "DE LA TOUR", "O'BRIEN", "KOWALSKI", "TRẦN",
    "HÉBERT", "CÔTÉ", "ÉTIENNE", "PRÉVOST", "CHÂTELAIN", "BOUCHÉ", "SAINT-MARTIN", "LE BRIS", "MÜLLER",
]
FIRST_NAMES = [
    "Chloé", "Léa", "Zoé", "Inès", "Anaïs", "Éloïse", "Hélène", "Maëlle", "Noémie", "Agathe", "Jade",
    "Louise", "Emma", "Manon", "Célia", "Lucas", "Hugo", "Noël", "Maël", "Théo", "Jérôme", "François",
    "Jean-Baptiste", "Marie-Noëlle", "Anne-Sophie", "Pierre-Étienne", "Kévin", "Moussa", "Yanis", "Loïc",
    "Gaël", "Raphaël", "Adèle", "Léon", "Éva", "Mathéo", "Ibrahim", "Thi-Loan", "Zoë", "Bérénice",
    "Camille", "Tiffany", "Thomas", "Grégory", "Amandine", "Fanny", "Nathan", "Enzo", "Louis", "Gabriel",
    "Arthur", "Jules", "Adam", "Paul", "Sacha", "Nolan", "Ethan", "Tom", "Timéo", "Mohamed", "Aya", "Lina",
    "Sarah", "Mila", "Rose", "Anna", "Julia", "Lou", "Alice", "Juliette", "Ambre", "Romane", "Lola", "Clara",
    "Margaux", "Océane", "Héloïse", "Capucine", "Sofiane", "Rayan", "Amine", "Yasmine", "Fatoumata",
    "Mamadou",
]
TEACHER_STATUS, STAFF_STATUS = "Enseignant", "Personnel"
LETTERS = "ABCDEFGHJK"


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _slip(rng: random.Random, text: str) -> str:
    """Two neighbouring letters swapped, the commonest typing slip."""
    letters = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not letters:
        return text
    i = rng.choice(letters)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def _name(rng: random.Random) -> tuple[str, str]:
    last = rng.choice(LAST_NAMES)
    if rng.random() < 0.08:
        last = f"{last}-{rng.choice(LAST_NAMES)}"
    return last, rng.choice(FIRST_NAMES)


def _as_typed(rng: random.Random, last: str, first: str, *, by_hand: bool) -> str:
    """How the base holds a name: pupils come from SIECLE, staff were typed at the desk."""
    mishaps = 0.5 if by_hand else 0.08
    name = f"{last} {first}"
    if rng.random() < mishaps:
        name = _strip_accents(name)
    if rng.random() < (0.10 if by_hand else 0.02):
        name = f"{last}, {first}"
    if rng.random() < (0.03 if by_hand else 0.005):
        name = _slip(rng, name)
    if by_hand and rng.random() < 0.02:
        name = f"{first} {last}"
    return name


def make_school(size: int, *, first_update: bool, seed: int = 2026):
    """(people of this year's file, borrowers of last year's base), each about ``size`` long."""
    rng = random.Random(seed)
    staff_count = size * 12 // 100
    per_level = (size - staff_count) // 4
    people: list[IncomingPerson] = []
    base: list[ExistingBorrower] = []
    serial = 0

    def birth(year: int) -> datetime.date:
        return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))

    for level in range(4):  # last year's 6e (level 0) to 3e (level 3)
        classes = max(1, per_level // 28)
        for _ in range(per_level):
            serial += 1
            last, first = _name(rng)
            born = birth(2013 - level)
            letter = LETTERS[rng.randrange(min(classes, len(LETTERS)))]
            identity = f"ENT-{700_000 + serial}"
            stored = "" if first_update or rng.random() < 0.5 else identity
            base.append(ExistingBorrower(
                borrower_id=serial, number=serial, name=_as_typed(rng, last, first, by_hand=False),
                status=rng.choice(["Elève", "Elève", "Eleve"]), school_class=f"{6 - level}e{letter}",
                birth_date=born if rng.random() < 0.7 else None, ent_identity=stored,
                open_loans=rng.choice([0] * 6 + [1, 1, 2, 3]), in_lot=True,
            ))
            if level < 3:  # the 3e leave; the others move up a level
                when = born if rng.random() < 0.995 else born.replace(day=born.day % 28 + 1)
                people.append(IncomingPerson(
                    ent_identity=identity, name=f"{last} {first}", status="Élève",
                    school_class=f"{5 - level}e{letter}", birth_date=when if rng.random() < 0.95 else None,
                    position=len(people) + 1,
                ))
    for _ in range(per_level):  # the new 6e
        serial += 1
        last, first = _name(rng)
        people.append(IncomingPerson(
            ent_identity=f"ENT-{700_000 + serial}", name=f"{last} {first}", status="Élève",
            school_class=f"6e{LETTERS[rng.randrange(min(max(1, per_level // 28), len(LETTERS)))]}",
            birth_date=birth(2014), position=len(people) + 1,
        ))
    for _ in range(staff_count):
        serial += 1
        last, first = _name(rng)
        status = TEACHER_STATUS if rng.random() < 0.75 else STAFF_STATUS
        identity = f"ENT-{700_000 + serial}"
        stays = rng.random() < 0.93
        base.append(ExistingBorrower(
            borrower_id=serial, number=serial, name=_as_typed(rng, last, first, by_hand=True),
            status=rng.choice([status, status, "Professeur" if status == TEACHER_STATUS else "Vie scolaire"]),
            ent_identity="" if first_update or rng.random() < 0.5 else identity,
            email=f"{first.lower()}.{serial}@ac-exemple.fr" if rng.random() < 0.5 else "",
            open_loans=rng.choice([0, 0, 0, 1, 4]),
        ))
        if stays:
            people.append(IncomingPerson(
                ent_identity=identity, name=f"{last} {first}", status=status,
                email=f"{first.lower()}.{serial}@ac-exemple.fr", position=len(people) + 1,
            ))
    for _ in range(staff_count * 7 // 100):  # new teachers
        serial += 1
        last, first = _name(rng)
        people.append(IncomingPerson(ent_identity=f"ENT-{700_000 + serial}", name=f"{last} {first}",
                                     status=TEACHER_STATUS, position=len(people) + 1))
    return people, base


def best_time(people, base, options, repeat: int) -> tuple[float, float, float, object]:
    """(cold wall time, best wall time, best CPU time, plan): CPU time is what a busy machine hides."""
    fold.cache_clear()
    parse_level.cache_clear()
    gc.collect()
    started = time.perf_counter()
    plan = plan_update(people, base, options)
    cold = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        plan = plan_update(people, base, options)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return cold, min(walls), min(cpus), plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--first-update", action="store_true", help="nobody has an ENT identity yet")
    args = parser.parse_args()
    kind = "première mise à jour" if args.first_update else "mise à jour suivante (moitié des identités)"
    print(f"plan_update — {kind}, meilleur de {args.repeat}")
    for size in args.sizes:
        people, base = make_school(size, first_update=args.first_update)
        cold, best, cpu, plan = best_time(people, base, UpdateOptions(), args.repeat)
        rate = f"{len(people) / best:,.0f}".replace(",", " ")
        print(f"  N={size:>6} : {len(people)} personnes × {len(base)} emprunteurs ; "
              f"à froid {cold:.3f} s, meilleur {best:.3f} s (CPU {cpu:.3f} s), {rate} personnes/s")
        counts = plan.counts
        print(f"           {counts['new']} nouveaux, {counts['updated']} mis à jour "
              f"(dont {counts['ambiguous']} ambigus), {len(plan.unchanged)} inchangés, "
              f"{counts['deleted']} supprimés, "
              f"{counts['set_aside']} mis à l'écart, {counts['conflicts']} homonymies, "
              f"{counts['suggestions']} suggestions, {len(plan.held)} en attente")


if __name__ == "__main__":
    main()
