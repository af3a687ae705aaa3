"""The demo CDI: last year's borrower base of the demo collège, its catalogue and a year of loans.

``make demo`` builds the ENT's collège, exports its users file, then runs ``seed_demo_library`` on
that file. The base is derived from this year's people so that the demo's first update (seed C)
has everything real to do, and nothing else: the borrowers as years of hand typing left them
(``borrowers``: *nouveaux*, *supprimés*, *mis à l'écart*, *suggestions*, *homonymes*, and, since
nobody carries an ENT identity yet, many *ambigus*), about 300 real titles (``catalogue``), 120
loans still out (some of last year's 3e never brought theirs back) and 800 returned ones.

Everything comes from one seeded ``random.Random`` and the file, so the same file and the same
day give the same base. The ENT is never imported: the pupil of the ENT demo's ``eleve`` account
is known here only by the name the users file gives her.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from sesame.interop.fiches_xml import Status, UserRecord
from sesame.library.demo.borrowers import EVERYDAY_PUPIL, BorrowerBuilder, DemoBorrower
from sesame.library.demo.catalogue import CatalogueRecord, catalogue
from sesame.library.models import Borrower, Copy, CopyStatus, Librarian, Library, Loan, Record, UpdateRun

__all__ = ["EVERYDAY_PUPIL", "LIBRARIAN_LOGIN", "LIBRARY_NAME", "DemoBase", "SeedResult", "demo_base",
           "demo_library_seed"]

SEED = 20252026
LIBRARY_NAME = "CDI du Collège Jean Moulin (démo)"
LIBRARIAN_LOGIN = "documentaliste"
LOAN_DAYS = 21
OPEN_LOANS = 120
RETURNED_LOANS = 800
LEFT_WITH_LOANS = 14


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


class _Builder(BorrowerBuilder):
    """The borrowers, then the catalogue and a school year of loans."""

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
