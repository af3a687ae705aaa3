"""``manage.py import_loans --uai UAI prets.csv``: bring the loans still open in the old system.

Run after ``import_borrowers``: each loan names its borrower by number, and a number unknown to
the base refuses the file rather than losing a book. The copy is found by barcode; an unknown
barcode creates its copy, and a catalogue record from the title (the full catalogue usually
arrives later, from a UNIMARC export). Copies of the same new title in the file share one record:
a title is not an identifier, but two copies of "Le Petit Prince" out at the same time are far
more likely than two different books with the very same title. A copy that is already out in the
base is refused: a copy has one open loan at most.

Each loan keeps the borrower's status and class of the day, as every loan does, so that the
statistics stay right once the loan is made anonymous. A temporary borrower's loans are imported
like the others: they are precisely the loans that made the borrower temporary.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.utils import timezone

from sesame.library.management.commands.import_borrowers import (
    BATCH_SIZE,
    NOTHING_IMPORTED,
    library_for_import,
    read_input,
    refuse_if_any,
)
from sesame.library.migration.files import LOAN_COLUMNS, LoanRow, RowProblem, problem, read_loans_csv
from sesame.library.models import Borrower, Copy, CopyStatus, Library, Loan, Record


class Command(BaseCommand):
    help = "Importe les prêts en cours d'une ancienne base depuis un fichier CSV (UTF-8, séparateur « ; »)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"fichier CSV : {';'.join(LOAN_COLUMNS)}")
        parser.add_argument(
            "--uai", required=True, help="UAI de l'établissement (ses emprunteurs doivent déjà être importés)"
        )

    def handle(self, *args, file: str, uai: str, **options) -> None:
        library = library_for_import(uai)
        parsed = read_loans_csv(read_input(file))
        try:
            with transaction.atomic():
                Library.objects.select_for_update().filter(pk=library.pk).first()
                borrowers = _borrowers(library, parsed.rows)
                copies = _copies(library, parsed.rows)
                refuse_if_any([*parsed.problems, *_base_problems(library, parsed.rows, borrowers, copies)])
                created = _write(library, parsed.rows, borrowers, copies)
        except IntegrityError as exc:
            raise CommandError(
                "Le catalogue ou les prêts ont été modifiés pendant l'import (un exemplaire prêté ou créé "
                f"entre-temps) : {NOTHING_IMPORTED} Relancez la commande."
            ) from exc
        for line in _summary(library, parsed.rows, created):
            self.stdout.write(line)


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


def _base_problems(
    library: Library, rows: tuple[LoanRow, ...], borrowers: dict[int, Borrower], copies: dict[str, Copy]
) -> list[RowProblem]:
    problems: list[RowProblem] = []
    open_loans = {
        loan.copy_id: loan
        for loan in Loan.objects.filter(library=library, returned_on__isnull=True)
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


def _write(
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
    copies.update({copy.barcode: copy for copy in new_copies})
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


def _summary(library: Library, rows: tuple[LoanRow, ...], created: tuple[int, int]) -> list[str]:
    records, new_copies = created
    people = len({row.borrower_number for row in rows})
    lines = [
        f"Bibliothèque {library.uai} ({library.name}) : {len(rows)} prêt(s) en cours importé(s) pour "
        f"{people} emprunteur(s).",
        f"{new_copies} exemplaire(s) et {records} notice(s) créé(s) ; "
        f"{len(rows) - new_copies} exemplaire(s) déjà au catalogue.",
    ]
    today = timezone.localdate()
    late = [row for row in rows if row.due_on < today]
    if late:
        lines.append(f"{len(late)} prêt(s) déjà en retard au {today:%d/%m/%Y}.")
    return lines
