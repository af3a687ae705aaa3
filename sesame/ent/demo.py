"""The demo collège: about 1,500 people of one realistic French collège, the same on every run.

``seed_demo`` loads it and the tests count on it, so it must not move between runs: every draw
comes from one seeded ``random.Random`` (never from the iteration order of a set, which changes
with the hash seed), and source keys (``DEMO:eleve:12``) and ENT identities (``DEM0123456``) are
derived from the generation itself, so that seeding twice updates the same people instead of
adding new ones. Nothing here touches the database: it returns ``PersonEntry`` values and
``people_import`` does the rest, exactly as for a SIECLE or STS import.

The people are ordinary on purpose, with the quirks a real school file has: family names with
spaces and apostrophes, hyphenated and accented first names, twins, homonyms in different
classes, a pupil whose usage name is not his parents', a few pupils a year ahead or behind.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .demo_names import POOLS, STREETS, TOWNS
from .models import Profile, StaffFunction
from .services import PersonEntry, login_base

DEMO_UAI = "9990001X"
DEMO_NAME = "Collège Jean Moulin (démo)"
DEMO_PASSWORD = "demo"  # noqa: S105 - published on purpose: the demo accounts only
SEED = 20262027
# Class prefix and the birth year of a pupil on time, for the school year 2026-2027.
LEVELS = (("6e", 2015), ("5e", 2014), ("4e", 2013), ("3e", 2012))
SECTIONS = "ABCDEF"
CLASS_SIZE_RANGE = (23, 28)
TEACHER_COUNT = 45
# Reserved domains (RFC 2606): the demo must never mail anyone for real.
STAFF_EMAIL_DOMAIN = "ac-demo.example"
FAMILY_EMAIL_DOMAIN = "courriel.example"
# Functions of the generated staff; the fixed ``directeur`` and ``documentaliste`` come on top
# (the generated DIRECTEUR is the deputy head, the fixed one the head).
STAFF_FUNCTIONS = (
    StaffFunction.DIRECTOR, StaffFunction.CPE, StaffFunction.CPE, StaffFunction.SECRETARY,
    StaffFunction.SECRETARY, StaffFunction.ADMIN, StaffFunction.LIBRARIAN, "", "", "", "", "",
)


@dataclass(frozen=True)
class DemoAccount:
    """An account of the demo that people sign in with, using ``DEMO_PASSWORD``."""

    entry: PersonEntry
    role: str  # French: shown in the accounts table of ``demo_urls``

    @property
    def login(self) -> str:
        return self.entry.login


@dataclass(frozen=True)
class DemoSchool:
    uai: str
    name: str
    entries: list[PersonEntry]  # generated people, pupils before their parents
    fixed_accounts: tuple[DemoAccount, ...]  # imported separately, with the known password


@dataclass(frozen=True)
class _Notable:
    """A family that must exist whatever the draw, so the demo always shows the hard cases."""

    last_name: str
    pool: str
    children: tuple[tuple[str, str], ...]  # (first name, class)
    twins: bool = False
    usage_name: str = ""  # the children's usage name, when it is not the family name
    other_parent: str = ""  # the second parent's own family name


NOTABLE_FAMILIES = (
    _Notable("N'DIAYE", "afrique", (("Awa", "6eB"), ("Moussa", "6eB")), twins=True),
    _Notable("LE GALL", "france", (("Maël", "4eC"), ("Loïs", "4eE")), twins=True),
    _Notable("DA SILVA", "lusophone", (("Inès", "3eA"), ("Tiago", "3eD")), twins=True),
    _Notable("DE LA FONTAINE", "france", (("Jean-Baptiste", "5eA"), ("Marie-Ève", "3eB"))),
    _Notable("O'BRIEN", "europe", (("Kévin", "4eA"),)),
    _Notable("D'ALMEIDA", "lusophone", (("Zoé", "6eD"),)),
    _Notable("MÜLLER", "europe", (("Zoé", "5eC"),)),
    _Notable("LEFÈVRE", "france", (("Chloé", "6eA"),)),
    # Homonyms: same name, different families, different classes.
    _Notable("MARTIN", "france", (("Léa", "5eB"),)),
    _Notable("MARTIN", "france", (("Léa", "3eC"),)),
    _Notable("NGUYEN", "asie", (("Thomas", "6eE"),)),
    _Notable("NGUYEN", "asie", (("Thomas", "4eF"),)),
    _Notable("DUPONT", "france", (("Hugo", "5eD"),), usage_name="DUPONT-LEROY", other_parent="LEROY"),
)

# The fixed accounts: (login, profile, function, last name, first name, birth date, class, role).
FIXED_ACCOUNTS = (
    ("directeur", Profile.STAFF, StaffFunction.DIRECTOR, "ROCHEFORT", "Hélène", date(1970, 4, 12), "",
     "Principale (DIRECTEUR) : Administration › Paramètres, export E-SIDOC"),
    ("documentaliste", Profile.STAFF, StaffFunction.LIBRARIAN, "BOUVIER", "Anne-Laure", date(1979, 9, 3),
     "", "Professeure documentaliste (CDI)"),
    ("enseignant", Profile.TEACHER, "", "LEBRETON", "Yannick", date(1984, 1, 27), "", "Enseignant"),
    ("eleve", Profile.PUPIL, "", "MARCHAND", "Lucie", date(2013, 3, 14), "4eA", "Élève de 4eA"),
    ("parent", Profile.PARENT, "", "MARCHAND", "Sophie", None, "", "Parent de l'élève « eleve »"),
)


@dataclass(eq=False)
class _Family:
    pool: str
    last_name: str
    address: str
    postal_code: str
    city: str
    other_parent: str = ""  # set for a notable family whose second parent has their own name
    children: list[_Pupil] = field(default_factory=list)


@dataclass(eq=False)
class _Pupil:
    family: _Family
    last_name: str
    first_name: str
    level: int
    birth_date: date
    class_name: str = ""
    key: str = ""


def _fixed_accounts() -> tuple[DemoAccount, ...]:
    """The accounts of ``FIXED_ACCOUNTS`` as entries, without ENT identities yet."""
    accounts = []
    for login, profile, function, last_name, first_name, birth_date, class_name, role in FIXED_ACCOUNTS:
        domain = FAMILY_EMAIL_DOMAIN if profile == Profile.PARENT else STAFF_EMAIL_DOMAIN
        email = "" if profile == Profile.PUPIL else f"{login_base(first_name, last_name)}@{domain}"
        children = ("DEMO:fixed:eleve",) if profile == Profile.PARENT else ()
        entry = PersonEntry(
            source_key=f"DEMO:fixed:{login}", profile=profile, function=function,
            last_name=last_name, first_name=first_name, birth_date=birth_date, email=email,
            class_name=class_name, login=login, children_keys=children,
        )
        accounts.append(DemoAccount(entry=entry, role=role))
    return tuple(accounts)


def demo_college(seed: int = SEED) -> DemoSchool:
    """The demo collège; the same value for the same seed, in any process."""
    return _Generator(seed).build()


def ent_identities(entries: list[PersonEntry]) -> list[PersonEntry]:
    """Give each entry an opaque ``DEM`` + 7 digits identity taken from its source key.

    Hashing the key (rather than counting) keeps a person's identity when people are added
    elsewhere in the list; a collision moves to the next free number, in list order.
    """
    taken: set[int] = set()
    result = []
    for entry in entries:
        digest = hashlib.blake2b(entry.source_key.encode(), digest_size=8).digest()
        number = int.from_bytes(digest, "big") % 10**7
        while number in taken:
            number = (number + 1) % 10**7
        taken.add(number)
        result.append(replace(entry, ent_identity=f"DEM{number:07d}"))
    return result


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.emails: set[str] = set()  # membership only: never iterated
        self.families: list[_Family] = []
        self.pupils: list[_Pupil] = []
        self.room = {
            f"{prefix}{section}": self.rng.randint(*CLASS_SIZE_RANGE)
            for prefix, _ in LEVELS for section in SECTIONS
        }
        self.level_room = [
            sum(seats for name, seats in self.room.items() if name.startswith(prefix))
            for prefix, _ in LEVELS
        ]

    def build(self) -> DemoSchool:
        for notable in NOTABLE_FAMILIES:
            self._notable_family(notable)
        self._ordinary_families()
        self._seat_pupils()
        pupils = self._pupil_entries()
        adults = self._school_adults()
        parents = self._parent_entries()
        fixed = _fixed_accounts()
        everyone = ent_identities([*pupils, *adults, *parents, *(account.entry for account in fixed)])
        generated, identified = everyone[: -len(fixed)], everyone[-len(fixed):]
        accounts = tuple(replace(account, entry=e) for account, e in zip(fixed, identified, strict=True))
        return DemoSchool(uai=DEMO_UAI, name=DEMO_NAME, entries=generated, fixed_accounts=accounts)

    # Families and pupils -----------------------------------------------------------------

    def _new_family(self, pool: str, last_name: str = "") -> _Family:
        postal_code, city = self.rng.choice(TOWNS)
        family = _Family(
            pool=pool,
            last_name=last_name or self.rng.choice(POOLS[pool].last_names),
            address=f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}",
            postal_code=postal_code,
            city=city,
        )
        self.families.append(family)
        return family

    def _birth_date(self, level: int, on_time: bool = True) -> date:
        year = LEVELS[level][1]
        if not on_time:
            draw = self.rng.random()
            year += -1 if draw < 0.04 else 1 if draw < 0.06 else 0  # behind, ahead
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def _add_pupil(self, family: _Family, first_name: str, level: int, birth_date: date,
                   class_name: str = "", last_name: str = "") -> None:
        pupil = _Pupil(family, last_name or family.last_name, first_name, level, birth_date, class_name)
        family.children.append(pupil)
        self.pupils.append(pupil)
        self.level_room[level] -= 1
        if class_name:
            self.room[class_name] -= 1

    def _notable_family(self, notable: _Notable) -> None:
        family = self._new_family(notable.pool, notable.last_name)
        family.other_parent = notable.other_parent
        shared_birth_date = None
        for first_name, class_name in notable.children:
            level = next(i for i, (prefix, _) in enumerate(LEVELS) if class_name.startswith(prefix))
            birth_date = self._birth_date(level)
            if notable.twins:
                shared_birth_date = shared_birth_date or birth_date
                birth_date = shared_birth_date
            self._add_pupil(family, first_name, level, birth_date, class_name, notable.usage_name)

    def _ordinary_families(self) -> None:
        pools = list(POOLS)
        weights = [POOLS[name].weight for name in pools]
        while free := [level for level, seats in enumerate(self.level_room) if seats > 0]:
            wanted = self.rng.choices((1, 2, 3), weights=(78, 18, 4))[0]
            levels = sorted(self.rng.sample(free, min(wanted, len(free))))
            family = self._new_family(self.rng.choices(pools, weights=weights)[0])
            for level in levels:
                first_name = self._child_first_name(family)
                self._add_pupil(family, first_name, level, self._birth_date(level, on_time=len(levels) > 1))

    def _child_first_name(self, family: _Family) -> str:
        """A first name from the family's background, often a French one; never a sibling's."""
        pool = family.pool if self.rng.random() < 0.65 else "france"
        names = POOLS[pool].boys if self.rng.random() < 0.5 else POOLS[pool].girls
        taken = [child.first_name for child in family.children]
        return self.rng.choice([name for name in names if name not in taken])

    def _seat_pupils(self) -> None:
        """Spread the pupils of each level over its classes, keeping the notable ones in place."""
        for level, (prefix, _) in enumerate(LEVELS):
            unseated = [pupil for pupil in self.pupils if pupil.level == level and not pupil.class_name]
            self.rng.shuffle(unseated)
            seats = [name for name, count in self.room.items() if name.startswith(prefix)
                     for _ in range(count)]
            for pupil, class_name in zip(unseated, seats, strict=True):
                pupil.class_name = class_name

    def _pupil_entries(self) -> list[PersonEntry]:
        order = {name: index for index, name in enumerate(self.room)}
        self.pupils.sort(key=lambda p: (order[p.class_name], p.last_name, p.first_name, p.birth_date))
        entries = []
        for number, pupil in enumerate(self.pupils, start=1):
            pupil.key = f"DEMO:eleve:{number}"
            family = pupil.family
            entries.append(PersonEntry(
                source_key=pupil.key, profile=Profile.PUPIL, last_name=pupil.last_name,
                first_name=pupil.first_name, birth_date=pupil.birth_date, class_name=pupil.class_name,
                address=family.address, postal_code=family.postal_code, city=family.city,
            ))
        return entries

    # Adults ------------------------------------------------------------------------------

    def _adult_name(self, pool: str, sex: str) -> str:
        names = POOLS[pool].women if sex == "F" else POOLS[pool].men
        return self.rng.choice(names)

    def _email(self, first_name: str, last_name: str, domain: str, numbered: bool = False) -> str:
        """``prenom.nom@domain``, made unique with a number as mail systems do."""
        base = login_base(first_name, last_name)
        if numbered:
            base = f"{base}{self.rng.randint(1, 99)}"
        candidate, number = base, 1
        while f"{candidate}@{domain}" in self.emails:
            number += 1
            candidate = f"{base}{number}"
        self.emails.add(f"{candidate}@{domain}")
        return f"{candidate}@{domain}"

    def _school_adults(self) -> list[PersonEntry]:
        """Teachers then staff, as STS lists them: with birth dates and academic e-mails."""
        pools = list(POOLS)
        weights = [POOLS[name].weight * (3 if name == "france" else 1) for name in pools]
        entries = []
        roles = [(Profile.TEACHER, "")] * TEACHER_COUNT + [(Profile.STAFF, f) for f in STAFF_FUNCTIONS]
        counters = {Profile.TEACHER: 0, Profile.STAFF: 0}
        for profile, function in roles:
            counters[profile] += 1
            kind = "enseignant" if profile == Profile.TEACHER else "personnel"
            pool = self.rng.choices(pools, weights=weights)[0]
            sex = "F" if self.rng.random() < 0.62 else "M"
            first_name = self._adult_name(pool, sex)
            last_name = self.rng.choice(POOLS[pool].last_names)
            birth_date = date(self.rng.randint(1963, 1998), 1, 1) + timedelta(days=self.rng.randrange(365))
            entries.append(PersonEntry(
                source_key=f"DEMO:{kind}:{counters[profile]}", profile=profile, function=function,
                last_name=last_name, first_name=first_name, birth_date=birth_date,
                email=self._email(first_name, last_name, STAFF_EMAIL_DOMAIN),
            ))
        return entries

    def _parent_entries(self) -> list[PersonEntry]:
        """One or two parents a family, linked to all its children; after the pupils, on purpose."""
        entries: list[PersonEntry] = []
        for family in self.families:
            two_parents = bool(family.other_parent) or self.rng.random() < 0.85
            first_sex = "M" if self.rng.random() < 0.55 else "F"
            sexes = [first_sex]
            if two_parents:
                same_sex = self.rng.random() < 0.02
                sexes.append(first_sex if same_sex else ("F" if first_sex == "M" else "M"))
            separated = two_parents and self.rng.random() < 0.2
            children = tuple(child.key for child in family.children)
            for index, sex in enumerate(sexes):
                last_name = family.last_name
                if index == 1 and family.other_parent:
                    last_name = family.other_parent
                elif self.rng.random() < (0.4 if index == 1 else 0.1):
                    last_name = self.rng.choice(POOLS[family.pool].last_names)  # kept their own name
                first_name = self._adult_name(family.pool, sex)
                address = (family.address, family.postal_code, family.city)
                if separated and index == 1:
                    postal_code, city = self.rng.choice(TOWNS)
                    address = (f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}", postal_code, city)
                email = ""
                if self.rng.random() < 0.85:
                    email = self._email(first_name, last_name, FAMILY_EMAIL_DOMAIN, numbered=True)
                phone = ""
                if self.rng.random() < 0.9:  # ARCEP range reserved for fiction
                    phone = f"06 39 98 {self.rng.randrange(100):02d} {self.rng.randrange(100):02d}"
                entries.append(PersonEntry(
                    source_key=f"DEMO:parent:{len(entries) + 1}", profile=Profile.PARENT,
                    last_name=last_name, first_name=first_name, email=email, phone=phone,
                    address=address[0], postal_code=address[1], city=address[2],
                    children_keys=children,
                ))
        return entries
