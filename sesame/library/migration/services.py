"""Moving an existing library in (SPEC §2): its borrowers, then the loans still open in the old system.

Each import takes the lines ``files`` read and checked, adds the checks that need the base (a
number or an ENT identity already taken, an unknown borrower, a copy already out), and refuses
the whole file, listing every problem with its line number, if anything is wrong: a
half-migrated base is worse than none. Otherwise everything is written in one transaction, with
``bulk_create`` so that a whole collège (a few thousand lines) takes well under a second, and the
journal records the import with who ran it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.common.audit import event_record
from sesame.library.common.errors import LibraryRefused
from sesame.library.common.locking import one
from sesame.library.migration.rows import NUMBER_MAX, BorrowerRow, LoanRow, RowProblem, problem
from sesame.library.models import Borrower, BorrowerType, Copy, CopyStatus, EventAction, Library, Loan, Record
from sesame.sync.normalize import fold

BATCH_SIZE = 500
BORROWER_TYPES = {BorrowerType.REGULAR.value: BorrowerType.REGULAR,
                  BorrowerType.TEMPORARY.value: BorrowerType.TEMPORARY}


class MigrationRefused(LibraryRefused):
    """A migration file refused as a whole; ``data["problems"]`` lists every line's problem, in
    the order of the file. Nothing was imported."""


def _refuse_if_any(problems: Sequence[RowProblem]) -> None:
    problems = sorted(problems, key=lambda item: item.line)
    if problems:
        message = _("Fichier refusé (%(count)s problème(s)), rien n'a été importé.") % {
            "count": len(problems)}
        raise MigrationRefused(message, "rows", data={"problems": [item.message for item in problems]})


def _lock(library: Library) -> None:
    """One import at a time per library: numbers and barcodes are decided against what is there."""
    one(Library.objects.select_for_update().filter(pk=library.pk))


# --- Borrowers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BorrowersImported:
    rows: tuple[BorrowerRow, ...]
    numbers: tuple[int, ...]  # the number of each row: given by the file, or the next free one
    given: tuple[int, ...]  # the numbers given to the lines without one
    warnings: tuple[str, ...]  # what to fix before the first update from the ENT file

    @property
    def temporary(self) -> int:
        return sum(1 for row in self.rows if row.borrower_type == BorrowerType.TEMPORARY.value)

    @property
    def statuses(self) -> Counter:
        return Counter(row.status for row in self.rows)


def borrowers_import(*, library: Library, rows: Sequence[BorrowerRow], acting_user,
                     problems: Sequence[RowProblem] = (), now: datetime | None = None) -> BorrowersImported:
    """Write every borrower of the file, or refuse the file with every problem (``problems`` are the
    file's own, from ``files.read_borrowers_csv``; the base's are added here).

    A line without a number gets the next free one, after the highest number of the base and of
    the file, in the order of the file, as the old system would have done.
    """
    rows = tuple(rows)
    try:
        with transaction.atomic():
            _lock(library)
            numbers, base_problems = _numbers(library, rows)
            _refuse_if_any([*problems, *base_problems])
            Borrower.objects.bulk_create([_borrower(library, row, number) for row, number in
                                          zip(rows, numbers, strict=True)], batch_size=BATCH_SIZE)
            event_record(library=library, action=EventAction.BORROWERS_IMPORT, acting_user=acting_user,
                         now=now or clock.now(), detail=f"{len(rows)} emprunteur(s) importé(s)",
                         data={"borrowers": len(rows), "numbers": [min(numbers, default=None),
                                                                   max(numbers, default=None)]})
    except IntegrityError as exc:
        raise MigrationRefused(_("La base des emprunteurs a été modifiée pendant l'import (numéro ou "
                                 "identité ENT pris entre-temps) : rien n'a été importé. Relancez la "
                                 "commande."),
                               "concurrent_change") from exc
    given = tuple(number for row, number in zip(rows, numbers, strict=True) if row.number is None)
    return BorrowersImported(rows=rows, numbers=tuple(numbers), given=given, warnings=_warnings(rows))


def _numbers(library: Library, rows: tuple[BorrowerRow, ...]) -> tuple[list[int], list[RowProblem]]:
    """The number of each row (given, or the next free one) and the conflicts with the base."""
    problems: list[RowProblem] = []
    taken = set(Borrower.objects.filter(library=library).values_list("number", flat=True))
    for row in rows:
        if row.number in taken:
            problems.append(problem(row.line, f"numéro d'emprunteur {row.number} déjà présent dans la base."))
    holders = {
        identity: (number, name)
        for identity, number, name in Borrower.objects.filter(library=library).exclude(ent_identity="")
        .values_list("ent_identity", "number", "name")
    }
    for row in rows:
        if row.ent_identity in holders:
            number, name = holders[row.ent_identity]
            problems.append(problem(
                row.line, f"identité ENT « {row.ent_identity} » déjà présente dans la base "
                          f"(emprunteur n° {number}, {name})."
            ))
    next_number = max(taken | {row.number for row in rows if row.number is not None}, default=0) + 1
    numbers: list[int] = []
    for row in rows:
        if row.number is not None:
            numbers.append(row.number)
            continue
        if next_number > NUMBER_MAX:
            problems.append(problem(row.line, "plus aucun numéro d'emprunteur libre après le plus grand."))
        numbers.append(next_number)
        next_number += 1
    return numbers, problems


def _borrower(library: Library, row: BorrowerRow, number: int) -> Borrower:
    return Borrower(
        library=library, number=number, name=row.name, status=row.status, school_class=row.school_class,
        birth_date=row.birth_date, email=row.email, borrower_type=BORROWER_TYPES[row.borrower_type],
        ent_identity=row.ent_identity,
    )


def _warnings(rows: tuple[BorrowerRow, ...]) -> tuple[str, ...]:
    """What the librarian should fix before the first update from the ENT file (seed, part C):
    borrowers without a status, and a status written several ways (case, accents, punctuation)."""
    warnings: list[str] = []
    empty = sum(1 for row in rows if not row.status)
    if empty:
        warnings.append(
            f"Attention : {empty} emprunteur(s) sans statut. Complétez-les avant la première mise à jour "
            "depuis l'ENT (équation de recherche « Statut= »)."
        )
    spellings: dict[str, Counter] = {}
    for row in rows:
        if row.status:
            spellings.setdefault(fold(row.status), Counter())[row.status] += 1
    for variants in spellings.values():
        if len(variants) > 1:
            listed = ", ".join(
                f"« {status} » ({count})" for status, count in sorted(variants.items(), key=by_count)
            )
            warnings.append(
                f"Attention : un même statut est écrit de plusieurs façons : {listed}. Harmonisez-les."
            )
    return tuple(warnings)


def by_count(item: tuple[str, int]) -> tuple[int, str]:
    """The most frequent first, then in alphabetical order: how the summaries list statuses."""
    return -item[1], item[0]


# --- Open loans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoansImported:
    loans: int
    borrowers: int
    records_created: int
    copies_created: int
    late: int  # loans already past their due date on ``today``
    today: date

    @property
    def copies_known(self) -> int:
        return self.loans - self.copies_created


def loans_import(*, library: Library, rows: Sequence[LoanRow], acting_user,
                 problems: Sequence[RowProblem] = (), today: date | None = None,
                 now: datetime | None = None) -> LoansImported:
    """Write the open loans of the file, or refuse the file with every problem.

    Run after the borrowers' import: each loan names its borrower by number, and a number unknown
    to the base refuses the file rather than losing a book. The copy is found by barcode; an
    unknown barcode creates its copy, and a catalogue record from the title (the full catalogue
    usually arrives later, from a UNIMARC export). Copies of the same new title in the file share
    one record: a title is not an identifier, but two copies of "Le Petit Prince" out at the same
    time are far more likely than two different books with the very same title. A copy already
    out in the base is refused: a copy has one open loan at most.

    Each loan keeps the borrower's status and class of the day, as every loan does, so that the
    statistics stay right once the loan is made anonymous. A temporary borrower's loans are
    imported like the others: they are precisely the loans that made the borrower temporary.
    """
    rows, today = tuple(rows), today or clock.today()
    try:
        with transaction.atomic():
            _lock(library)
            borrowers = _borrowers(library, rows)
            copies = _copies(library, rows)
            _refuse_if_any([*problems, *_loan_problems(library, rows, borrowers, copies)])
            records, new_copies = _write_loans(library, rows, borrowers, copies)
            event_record(library=library, action=EventAction.LOANS_IMPORT, acting_user=acting_user,
                         now=now or clock.now(), detail=f"{len(rows)} prêt(s) en cours importé(s)",
                         data={"loans": len(rows), "records": records, "copies": new_copies})
    except IntegrityError as exc:
        raise MigrationRefused(_("Le catalogue ou les prêts ont été modifiés pendant l'import (un exemplaire "
                                 "prêté ou créé entre-temps) : rien n'a été importé. Relancez la commande."),
                               "concurrent_change") from exc
    return LoansImported(loans=len(rows), borrowers=len({row.borrower_number for row in rows}),
                         records_created=records, copies_created=new_copies,
                         late=sum(1 for row in rows if row.due_on < today), today=today)


def _borrowers(library: Library, rows: tuple[LoanRow, ...]) -> dict[int, Borrower]:
    wanted = {row.borrower_number for row in rows}
    return {
        borrower.number: borrower
        for borrower in Borrower.objects.filter(library=library).only(
            "id", "number", "name", "status", "school_class"
        )
        if borrower.number in wanted
    }


def _copies(library: Library, rows: tuple[LoanRow, ...]) -> dict[str, Copy]:
    wanted = {row.barcode for row in rows}
    return {
        copy.barcode: copy
        for copy in Copy.objects.filter(library=library).only("id", "barcode", "status")
        if copy.barcode in wanted
    }


def _loan_problems(
    library: Library, rows: tuple[LoanRow, ...], borrowers: dict[int, Borrower], copies: dict[str, Copy]
) -> list[RowProblem]:
    problems: list[RowProblem] = []
    open_loans = {
        loan.copy_id: loan
        for loan in Loan.objects.open().filter(library=library)
        .select_related("borrower").only("copy_id", "loaned_on", "borrower__number")
    }
    for row in rows:
        if row.borrower_number not in borrowers:
            problems.append(problem(
                row.line, f"emprunteur n° {row.borrower_number} inconnu dans la base (importez d'abord les "
                          "emprunteurs)."
            ))
        copy = copies.get(row.barcode)
        if copy is None:
            if not row.title:
                problems.append(problem(
                    row.line, f"code-barre « {row.barcode} » inconnu et titre vide : indiquez le titre pour "
                              "créer l'exemplaire."
                ))
        elif copy.pk in open_loans:
            loan = open_loans[copy.pk]
            holder = f"emprunteur n° {loan.borrower.number}" if loan.borrower else "emprunteur anonyme"
            problems.append(problem(
                row.line, f"l'exemplaire « {row.barcode} » est déjà en prêt dans la base ({holder}, prêté le "
                          f"{loan.loaned_on:%d/%m/%Y})."
            ))
    return problems


def _write_loans(
    library: Library, rows: tuple[LoanRow, ...], borrowers: dict[int, Borrower], copies: dict[str, Copy]
) -> tuple[int, int]:
    """Write records, copies and loans; how many records and copies were created."""
    known = [copies[row.barcode] for row in rows if row.barcode in copies]
    new_rows = [row for row in rows if row.barcode not in copies]
    records = {
        title: Record(library=library, title=title) for title in dict.fromkeys(row.title for row in new_rows)
    }
    Record.objects.bulk_create(records.values(), batch_size=BATCH_SIZE)
    new_copies = [
        Copy(library=library, record=records[row.title], barcode=row.barcode, status=CopyStatus.ON_LOAN)
        for row in new_rows
    ]
    Copy.objects.bulk_create(new_copies, batch_size=BATCH_SIZE)
    copies = {**copies, **{copy.barcode: copy for copy in new_copies}}
    Copy.objects.filter(pk__in=[copy.pk for copy in known]).exclude(status=CopyStatus.ON_LOAN).update(
        status=CopyStatus.ON_LOAN
    )
    Loan.objects.bulk_create(
        [
            Loan(
                library=library, copy=copies[row.barcode], borrower=borrowers[row.borrower_number],
                borrower_status=borrowers[row.borrower_number].status,
                borrower_class=borrowers[row.borrower_number].school_class,
                loaned_on=row.loaned_on, due_on=row.due_on,
            )
            for row in rows
        ],
        batch_size=BATCH_SIZE,
    )
    return len(records), len(new_copies)
