"""The demo CDI's borrowers: last year's pupils and staff, typed by hand over the years.

Pupils came from SIECLE, one class lower than this year (this year's 4eA was in 5eA) with
statuses spelt ``Elève``, ``Eleve``, ``élève``, ``Élève`` or left empty; this year's 6e and a few
pupils who moved in are absent (*nouveaux*); last year's 3e have left. Teachers and staff were
typed by hand: "NOM, Prénom" with a comma, missing accents, a typing slip, first and last names
swapped (*suggestions*), a teacher typed twice and two pupils with the same name and no birth
date (*homonymes* the update cannot pair alone), a teacher who left. ``base`` adds the catalogue
and the loans with the same random generator, consumed in the same order.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sesame.interop.fiches_xml import Status, UserRecord
from sesame.library.demo.catalogue import ADULT_FIRST_NAMES, BOYS, GIRLS, LAST_NAMES, strip_accents
from sesame.sync.normalize import name_key

# The pupil behind the ENT demo's ``eleve`` account (this year in 4eA): a name in the file, nothing more.
EVERYDAY_PUPIL = "MARCHAND Lucie"
LEFT_PER_CLASS = 25  # last year's 3eA–3eF, all gone to the lycée
PUPIL_SPELLINGS = (("Elève", 52), ("Eleve", 26), ("élève", 13), ("Élève", 9))


@dataclass
class DemoBorrower:
    name: str
    status: str
    school_class: str = ""
    birth_date: date | None = None
    email: str = ""
    kind: str = ""  # pupil, left, moved, homonym, teacher, staff, gone: what the demo shows with it
    number: int = 0


def split_name(name: str) -> tuple[str, str]:
    """"DE LA FONTAINE Jean-Baptiste" → ("DE LA FONTAINE", "Jean-Baptiste"): capitals make the family name."""
    words = name.split()
    cut = next((i for i, word in enumerate(words) if word != word.upper()), len(words))
    cut = max(cut, 1)
    return " ".join(words[:cut]), " ".join(words[cut:])


def last_year_class(school_class: str) -> str | None:
    """The class a pupil had last year (4eA → 5eA); None for a 6e, who was not in the collège."""
    match = re.fullmatch(r"([345])e(.*)", school_class)
    return f"{int(match[1]) + 1}e{match[2]}" if match else None


def _with_slip(name: str, rng: random.Random) -> str:
    """Two neighbouring letters of the family name swapped, as a hurried typist does (MARTNI)."""
    last, first = split_name(name)
    places = [i for i in range(2, len(last) - 2)
              if last[i].isalpha() and last[i + 1].isalpha() and last[i] != last[i + 1]]
    i = rng.choice(places)
    return f"{last[:i]}{last[i + 1]}{last[i]}{last[i + 2:]} {first}"


def _take(order: list[int], count: int, condition=None) -> set[int]:
    """The first ``count`` indexes of ``order`` meeting ``condition``, removed from it."""
    chosen = [i for i in order if condition is None or condition(i)][:count]
    for index in chosen:
        order.remove(index)
    return set(chosen)


class BorrowerBuilder:
    """Last year's borrowers from this year's people, as years of hand typing left them."""

    def __init__(self, people: Sequence[UserRecord], today: date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.people = sorted(people, key=lambda p: (p.name, p.school_class, p.ent_identity))
        self.file_keys = {name_key(person.name) for person in self.people}
        self.file_last_names = {name_key(split_name(person.name)[0]) for person in self.people}
        self.used_keys = set(self.file_keys)  # made-up names must not meet anyone else's
        self.borrowers: list[DemoBorrower] = []
        self.cases: dict[str, list[str]] = {}

    def note(self, case: str, name: str) -> None:
        self.cases.setdefault(case, []).append(name)

    def pupil_status(self) -> str:
        spellings, weights = zip(*PUPIL_SPELLINGS, strict=True)
        return self.rng.choices(spellings, weights=weights)[0]

    # People ----------------------------------------------------------------------------------

    def build_borrowers(self) -> None:
        pupils = [p for p in self.people if p.canonical_status == Status.PUPIL]
        teachers = [p for p in self.people if p.canonical_status == Status.TEACHER]
        staff = [p for p in self.people if p.canonical_status == Status.STAFF]
        adults = self._adults(teachers, "Enseignant", "teacher") + self._adults(staff, "Personnel", "staff")
        self.rng.shuffle(adults)  # typed over the years, in no order
        self.borrowers.extend(adults)
        self.borrowers.extend(self._left_pupils())
        self.borrowers.extend(self._present_pupils(pupils))
        for number, borrower in enumerate(self.borrowers, start=1):
            borrower.number = number

    def _adults(self, people: list[UserRecord], status: str, kind: str) -> list[DemoBorrower]:
        """Teachers or staff as typed by hand over the years, with the slips seed C warns about."""
        rng = self.rng
        teacher = kind == "teacher"
        order = list(range(len(people)))
        rng.shuffle(order)
        arrived = _take(order, max(2, len(people) // 12))  # new this year: not typed yet
        slips = {
            "comma": _take(order, 4 if teacher else 1),
            "no_accents": _take(order, 3 if teacher else 1,
                                lambda i: strip_accents(people[i].name) != people[i].name),
            "slip": _take(order, 1 if teacher else 0, lambda i: len(split_name(people[i].name)[0]) >= 6),
            "swapped": _take(order, 1 if teacher else 0),
        }
        twice = _take(order, 1 if teacher else 0)
        empty = _take(order, 1)
        result = []
        for index, person in enumerate(people):
            if index in arrived:
                self.note("arrived_adults", person.name)
                continue
            slip = next((case for case, chosen in slips.items() if index in chosen), None)
            name = self._typed(person.name, slip)
            result.append(DemoBorrower(
                name=name, status=self._adult_status(status, kind, empty=index in empty), kind=kind,
                birth_date=person.birth_date if rng.random() < 0.2 else None,
                email=person.email if rng.random() < 0.5 else "",
            ))
            if index in twice:  # typed again years later, without the hyphen or in capitals
                again = name.replace("-", " ") if "-" in name else strip_accents(name).upper()
                if name_key(again) != name_key(name):
                    again = name
                result.append(DemoBorrower(name=again, status=status, kind=kind))
                self.note("typed_twice", again)
        if teacher:
            gone = self._made_up_name(rng.choice(("F", "M")), adult=True)
            result.append(DemoBorrower(name=gone, status="Enseignant", kind="gone"))
            self.note("gone", gone)
        return result

    def _typed(self, name: str, slip: str | None) -> str:
        """The name as it was typed: with a comma, without accents, with a slip, or swapped (noted)."""
        if slip is None:
            return name
        last, first = split_name(name)
        if slip == "comma":
            typed = f"{last}, {first}"
        elif slip == "no_accents":
            typed = strip_accents(name)
        elif slip == "slip":
            typed = _with_slip(name, self.rng)
        else:
            typed = f"{first} {last}"
        self.note(slip, typed)
        return typed

    def _adult_status(self, status: str, kind: str, *, empty: bool) -> str:
        """The status as typed: sometimes empty, sometimes in other words or capitals."""
        if empty:
            return ""
        if kind == "teacher" and self.rng.random() < 0.12:
            return self.rng.choice(("enseignant", "ENSEIGNANT", "Professeur"))
        if kind == "staff" and self.rng.random() < 0.2:
            return "personnel"
        return status

    def _made_up_name(self, sex: str, *, adult: bool = False) -> str:
        """A realistic name whose family name nobody in the file has, so the update pairs it with nobody."""
        firsts = ADULT_FIRST_NAMES if adult else (GIRLS if sex == "F" else BOYS)
        while True:
            last = self.rng.choice(LAST_NAMES)
            name = f"{last} {self.rng.choice(firsts)}"
            key = name_key(name)
            if name_key(last) in self.file_last_names or key in self.used_keys:
                continue
            self.used_keys.add(key)
            return name

    def _left_pupils(self) -> list[DemoBorrower]:
        """Last year's 3e: all gone; plus a few pupils of other levels who moved away."""
        left = []
        for section in "ABCDEF":
            for _ in range(LEFT_PER_CLASS):
                birth = date(2011, 1, 1) + timedelta(days=self.rng.randrange(365))
                left.append(DemoBorrower(
                    name=self._made_up_name(self.rng.choice("FM")), status=self.pupil_status(),
                    school_class=f"3e{section}", birth_date=birth if self.rng.random() < 0.9 else None,
                    kind="left",
                ))
        for school_class, year in (("6eC", 2014), ("5eB", 2013), ("5eF", 2013), ("4eD", 2012), ("4eE", 2012)):
            birth = date(year, 1, 1) + timedelta(days=self.rng.randrange(365))
            left.append(DemoBorrower(
                name=self._made_up_name(self.rng.choice("FM")), status=self.pupil_status(),
                school_class=school_class, birth_date=birth, kind="moved",
            ))
        left.sort(key=lambda b: (b.school_class[0], b.school_class, b.name))
        return left

    def _present_pupils(self, pupils: list[UserRecord]) -> list[DemoBorrower]:
        rng = self.rng
        here = [(p, last_year_class(p.school_class)) for p in pupils]
        here = [(p, c) for p, c in here if c]
        counts: dict[str, int] = {}
        for person, _ in here:
            counts[name_key(person.name)] = counts.get(name_key(person.name), 0) + 1
        special = [i for i, (p, c) in enumerate(here)
                   if p.name != EVERYDAY_PUPIL and counts[name_key(p.name)] == 1]
        rng.shuffle(special)
        homonym = special.pop()
        while not here[homonym][1].startswith("5e"):  # this year's 4e: same level on both sides
            homonym = special.pop()
        slip = next(i for i in special
                    if here[i][1].startswith("4e") and len(split_name(here[i][0].name)[0]) >= 6)
        special.remove(slip)
        empty = set(special[:5])
        arrived = set(special[5:5 + len(here) // 33])
        result = []
        for index, (person, school_class) in enumerate(here):
            if index in arrived:
                self.note("arrived_pupils", person.name)
                continue
            borrower = DemoBorrower(
                name=person.name, status="" if index in empty else self.pupil_status(),
                school_class=school_class, kind="pupil",
                birth_date=person.birth_date if rng.random() < 0.85 else None,
            )
            if person.name == EVERYDAY_PUPIL:
                borrower.birth_date, borrower.status = person.birth_date, "Elève"
            if index == slip:
                borrower.name = _with_slip(person.name, rng)
                self.note("slip", borrower.name)
            if index == homonym:
                borrower.birth_date = None
                sections = [s for s in "ABCDEF" if s != school_class[-1]]
                other = DemoBorrower(name=person.name, status=self.pupil_status(),
                                     school_class=f"5e{rng.choice(sections)}", kind="homonym")
                result.append(other)
                self.note("homonyms", person.name)
            result.append(borrower)
        result.sort(key=lambda b: (b.school_class[0], b.school_class, b.name))
        return result
