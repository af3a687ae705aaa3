"""The demo CDI: last year's borrower base of the demo collège, as years of hand typing left it.

``make demo`` builds the ENT's collège, exports its users file, then runs ``seed_demo_library`` on
that file. The base is derived from this year's people so that the demo's first update (seed C)
has everything real to do, and nothing else:

- pupils came from SIECLE, one class lower than this year (this year's 4eA was in 5eA) with
  statuses spelt ``Elève``, ``Eleve``, ``élève``, ``Élève`` or left empty; this year's 6e and a
  few pupils who moved in are absent (*nouveaux*); last year's 3e have left, most without a loan
  (*supprimés*), some with books still out (*mis à l'écart*);
- teachers and staff were typed by hand: "NOM, Prénom" with a comma, missing accents, a typing
  slip, first and last names swapped (*suggestions*), a teacher typed twice and two pupils with
  the same name and no birth date (*homonymes* the update cannot pair alone), a teacher who left;
- nobody carries an ENT identity yet, so every match is by name (many *ambigus*).

Everything comes from one seeded ``random.Random`` and the file, so the same file and the same
day give the same base. The ENT is never imported: the pupil of the ENT demo's ``eleve`` account
is known here only by the name the users file gives her.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from sesame.interop.fiches_xml import Status, UserRecord
from sesame.library.demo.catalogue import (
    ADULT_FIRST_NAMES,
    BOYS,
    GIRLS,
    LAST_NAMES,
    CatalogueRecord,
    catalogue,
    strip_accents,
)
from sesame.library.models import Borrower, Copy, CopyStatus, Librarian, Library, Loan, Record, UpdateRun
from sesame.sync.normalize import name_key

SEED = 20252026
LIBRARY_NAME = "CDI du Collège Jean Moulin (démo)"
LIBRARIAN_LOGIN = "documentaliste"
# The pupil behind the ENT demo's ``eleve`` account (this year in 4eA): a name in the file, nothing more.
EVERYDAY_PUPIL = "MARCHAND Lucie"
LOAN_DAYS = 21
OPEN_LOANS = 120
RETURNED_LOANS = 800
LEFT_PER_CLASS = 25  # last year's 3eA–3eF, all gone to the lycée
LEFT_WITH_LOANS = 14
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


@dataclass(frozen=True)
class DemoLoan:
    borrower: int  # index in ``DemoBase.borrowers``
    copy: int  # index in ``DemoBase.copies``
    loaned_on: date
    due_on: date
    returned_on: date | None


@dataclass
class DemoBase:
    borrowers: list[DemoBorrower]
    records: list[CatalogueRecord]
    copies: list[tuple[int, str, str]]  # (record index, barcode, status)
    loans: list[DemoLoan]
    cases: dict[str, list[str]] = field(default_factory=dict)  # the hard cases, by name, for the summary


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


class _Builder:
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
        comma = _take(order, 4 if teacher else 1)
        no_accents = _take(order, 3 if teacher else 1,
                           lambda i: strip_accents(people[i].name) != people[i].name)
        slip = _take(order, 1 if teacher else 0, lambda i: len(split_name(people[i].name)[0]) >= 6)
        swapped = _take(order, 1 if teacher else 0)
        twice = _take(order, 1 if teacher else 0)
        empty = _take(order, 1)
        result = []
        for index, person in enumerate(people):
            if index in arrived:
                self.note("arrived_adults", person.name)
                continue
            name = person.name
            last, first = split_name(name)
            if index in comma:
                name = f"{last}, {first}"
                self.note("comma", name)
            elif index in no_accents:
                name = strip_accents(name)
                self.note("no_accents", name)
            elif index in slip:
                name = _with_slip(name, rng)
                self.note("slip", name)
            elif index in swapped:
                name = f"{first} {last}"
                self.note("swapped", name)
            spelling = status
            if index in empty:
                spelling = ""
            elif kind == "teacher" and rng.random() < 0.12:
                spelling = rng.choice(("enseignant", "ENSEIGNANT", "Professeur"))
            elif kind == "staff" and rng.random() < 0.2:
                spelling = "personnel"
            borrower = DemoBorrower(
                name=name, status=spelling, kind=kind,
                birth_date=person.birth_date if rng.random() < 0.2 else None,
                email=person.email if rng.random() < 0.5 else "",
            )
            result.append(borrower)
            if index in twice:  # typed again years later, without the hyphen or in capitals
                again = name.replace("-", " ") if "-" in name else strip_accents(name).upper()
                if name_key(again) != name_key(name):
                    again = name
                result.append(DemoBorrower(name=again, status=status, kind=kind))
                self.note("typed_twice", again)
        if kind == "teacher":
            gone = self._made_up_name(rng.choice(("F", "M")), adult=True)
            result.append(DemoBorrower(name=gone, status="Enseignant", kind="gone"))
            self.note("gone", gone)
        return result

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

    # Catalogue and loans ---------------------------------------------------------------------

    def build_base(self) -> DemoBase:
        self.build_borrowers()
        records = catalogue(self.rng)
        copies = []
        barcode = 100_000
        for index, record in enumerate(records):
            for _ in range(record.copies):
                barcode += 1
                status = CopyStatus.EXCLUDED if record.reference else CopyStatus.AVAILABLE
                copies.append([index, f"{barcode:08d}", status])
        loanable = [i for i, copy in enumerate(copies) if copy[2] == CopyStatus.AVAILABLE]
        self.rng.shuffle(loanable)
        for i in loanable[:3]:
            copies[i][2] = CopyStatus.LOST
        for i in loanable[3:5]:
            copies[i][2] = CopyStatus.IN_REPAIR
        loanable = loanable[5:]
        loans = self._open_loans(loanable[:OPEN_LOANS])
        for loan in loans:
            copies[loan.copy][2] = CopyStatus.ON_LOAN
        loans += self._returned_loans(loanable, {loan.copy: loan.loaned_on for loan in loans})
        return DemoBase(self.borrowers, records, [tuple(copy) for copy in copies], loans, self.cases)

    def _open_loans(self, copies: list[int]) -> list[DemoLoan]:
        rng, today = self.rng, self.today
        june = date(today.year if today.month >= 7 else today.year - 1, 6, 2)
        by_kind: dict[str, list[int]] = {}
        for index, borrower in enumerate(self.borrowers):
            by_kind.setdefault(borrower.kind, []).append(index)
        everyday = next(i for i, b in enumerate(self.borrowers) if b.name == EVERYDAY_PUPIL)
        left = rng.sample(by_kind["left"], LEFT_WITH_LOANS)
        holders = [everyday, *left, *left[:2], rng.choice(by_kind["moved"])]
        present = by_kind["pupil"] + by_kind["teacher"] + by_kind["staff"] + by_kind["homonym"]
        holders += rng.choices(present, k=len(copies) - len(holders))
        loans = []
        for borrower, copy in zip(holders, copies, strict=True):
            kind = self.borrowers[borrower].kind
            if kind in ("left", "moved"):  # borrowed before the summer, never brought back
                loaned_on = min(june + timedelta(days=rng.randrange(20)), today - timedelta(days=1))
            else:
                loaned_on = today - timedelta(days=rng.randint(1, 35))
            loans.append(DemoLoan(borrower, copy, loaned_on, loaned_on + timedelta(days=LOAN_DAYS), None))
        return loans

    def _returned_loans(self, copies: list[int], open_since: dict[int, date]) -> list[DemoLoan]:
        """Loans over the last school year, never two at once on one copy, all before an open one."""
        rng, today = self.rng, self.today
        weights = [{"teacher": 0.6, "staff": 0.3, "gone": 0.6}.get(b.kind, 1.0) for b in self.borrowers]
        busy: dict[int, list[tuple[date, date]]] = {}
        loans: list[DemoLoan] = []
        while len(loans) < RETURNED_LOANS:
            copy = rng.choice(copies)
            loaned_on = today - timedelta(days=rng.randint(50, 330))
            returned_on = loaned_on + timedelta(days=rng.randint(4, 35))
            limit = open_since.get(copy, today)
            if returned_on >= limit or any(start <= returned_on and loaned_on <= end
                                           for start, end in busy.get(copy, ())):
                continue
            busy.setdefault(copy, []).append((loaned_on, returned_on))
            borrower = rng.choices(range(len(self.borrowers)), weights=weights)[0]
            due_on = loaned_on + timedelta(days=LOAN_DAYS)
            loans.append(DemoLoan(borrower, copy, loaned_on, due_on, returned_on))
        return loans


def _take(order: list[int], count: int, condition=None) -> set[int]:
    """The first ``count`` indexes of ``order`` meeting ``condition``, removed from it."""
    chosen = [i for i in order if condition is None or condition(i)][:count]
    for index in chosen:
        order.remove(index)
    return set(chosen)


def demo_base(people: Sequence[UserRecord], *, today: date, seed: int = SEED) -> DemoBase:
    """The demo base for this year's users file (parents ignored); the same for the same input."""
    return _Builder([p for p in people if p.canonical_status != Status.PARENT], today, seed).build_base()


# --- Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    library: Library
    created: bool  # False: the library already had borrowers or a catalogue, nothing was done
    librarian: bool  # whether the ``documentaliste`` account manages it
    base: DemoBase | None = None
    existing_borrowers: int = 0


def _library_reset(library: Library) -> None:
    Loan.objects.filter(library=library).delete()
    Copy.objects.filter(library=library).delete()
    Record.objects.filter(library=library).delete()
    UpdateRun.objects.filter(library=library).delete()
    Borrower.objects.filter(library=library).delete()


@transaction.atomic
def demo_library_seed(
    *, uai: str, people: Sequence[UserRecord], today: date, reset: bool = False,
) -> SeedResult:
    """Create the demo library and its base in one transaction, unless it already has one.

    Running it again changes nothing (``reset`` rebuilds the base from scratch): a librarian who
    tried the update on the demo keeps what the update did.
    """
    library, _ = Library.objects.get_or_create(uai=uai, defaults={"name": LIBRARY_NAME})
    user = get_user_model().objects.filter(username=LIBRARIAN_LOGIN).first()
    if user is not None:
        Librarian.objects.get_or_create(library=library, user=user)
    existing = Borrower.objects.filter(library=library).count()
    if not reset and (existing or Copy.objects.filter(library=library).exists()):
        return SeedResult(library, created=False, librarian=user is not None, existing_borrowers=existing)
    if reset:
        _library_reset(library)
    base = demo_base(people, today=today)
    borrowers = Borrower.objects.bulk_create([
        Borrower(library=library, number=b.number, name=b.name, status=b.status, school_class=b.school_class,
                 birth_date=b.birth_date, email=b.email)
        for b in base.borrowers
    ])
    records = Record.objects.bulk_create([
        Record(library=library, title=r.title, authors=r.authors, publisher=r.publisher, year=r.year,
               isbn=r.isbn, subjects=r.subjects, support=r.support, call_number=r.call_number)
        for r in base.records
    ])
    copies = Copy.objects.bulk_create([
        Copy(library=library, record=records[record], barcode=barcode, status=status)
        for record, barcode, status in base.copies
    ])
    Loan.objects.bulk_create([
        Loan(library=library, copy=copies[loan.copy], borrower=borrowers[loan.borrower],
             borrower_status=base.borrowers[loan.borrower].status,
             borrower_class=base.borrowers[loan.borrower].school_class,
             loaned_on=loan.loaned_on, due_on=loan.due_on, returned_on=loan.returned_on)
        for loan in base.loans
    ], batch_size=500)
    return SeedResult(library, created=True, librarian=user is not None, base=base)
