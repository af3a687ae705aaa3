"""``manage.py import_loans --uai UAI prets.csv``: bring the loans still open in the old system.

Run after ``import_borrowers``. The file is read and checked by
``sesame.library.migration.files``, imported (or refused as a whole, every problem listed with its
line number) by ``sesame.library.migration.services.loans_import``, which says which copies and
records it had to create; this command prints it.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.library.management.commands._common import library_for_command, read_input
from sesame.library.migration.files import LOAN_COLUMNS, MAX_FILE_BYTES, read_loans_csv
from sesame.library.migration.services import LoansImported, MigrationRefused, loans_import
from sesame.library.models import Library

NOTHING_DONE = "Rien n'a été importé."


class Command(BaseCommand):
    help = "Importe les prêts en cours d'une ancienne base depuis un fichier CSV (UTF-8, séparateur « ; »)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"fichier CSV : {';'.join(LOAN_COLUMNS)}")
        parser.add_argument(
            "--uai", required=True, help="UAI de l'établissement (ses emprunteurs doivent déjà être importés)"
        )

    def handle(self, *args, file: str, uai: str, **options) -> None:
        library = library_for_command(uai, nothing_done=NOTHING_DONE)
        parsed = read_loans_csv(read_input(file, limit=MAX_FILE_BYTES, nothing_done=NOTHING_DONE))
        try:
            imported = loans_import(library=library, rows=parsed.rows, problems=parsed.problems,
                                    acting_user=None)
        except MigrationRefused as refusal:
            raise CommandError("\n".join([refusal.message, *refusal.data.get("problems", [])])) from refusal
        for line in _summary(library, imported):
            self.stdout.write(line)


def _summary(library: Library, imported: LoansImported) -> list[str]:
    lines = [
        f"Bibliothèque {library.uai} ({library.name}) : {imported.loans} prêt(s) en cours importé(s) pour "
        f"{imported.borrowers} emprunteur(s).",
        f"{imported.copies_created} exemplaire(s) et {imported.records_created} notice(s) créé(s) ; "
        f"{imported.copies_known} exemplaire(s) déjà au catalogue.",
    ]
    if imported.late:
        lines.append(f"{imported.late} prêt(s) déjà en retard au {imported.today:%d/%m/%Y}.")
    return lines
