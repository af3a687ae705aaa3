"""``manage.py import_borrowers --uai UAI emprunteurs.csv``: start from the school's current borrowers.

The file is read and checked by ``sesame.library.migration.files``, imported (or refused as a
whole, every problem listed with its line number) by ``sesame.library.migration.services``; this
command prints what was done and what to fix before the first update from the ENT file.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.library.management.commands._common import library_for_command, read_input
from sesame.library.migration.files import BORROWER_COLUMNS, MAX_FILE_BYTES, read_borrowers_csv
from sesame.library.migration.services import (
    BorrowersImported,
    MigrationRefused,
    borrowers_import,
    by_count,
)
from sesame.library.models import Library

NOTHING_DONE = "Rien n'a été importé."


class Command(BaseCommand):
    help = "Importe les emprunteurs d'une ancienne base depuis un fichier CSV (UTF-8, séparateur « ; »)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"fichier CSV : {';'.join(BORROWER_COLUMNS)}")
        parser.add_argument(
            "--uai", required=True, help="UAI de l'établissement (sa bibliothèque doit déjà exister)"
        )

    def handle(self, *args, file: str, uai: str, **options) -> None:
        library = library_for_command(uai, nothing_done=NOTHING_DONE)
        parsed = read_borrowers_csv(read_input(file, limit=MAX_FILE_BYTES, nothing_done=NOTHING_DONE))
        try:
            imported = borrowers_import(library=library, rows=parsed.rows, problems=parsed.problems,
                                        acting_user=None)
        except MigrationRefused as refusal:
            raise CommandError("\n".join([refusal.message, *refusal.data.get("problems", [])])) from refusal
        for line in _summary(library, imported):
            self.stdout.write(line)
        for line in imported.warnings:
            self.stdout.write(self.style.WARNING(line))


def _summary(library: Library, imported: BorrowersImported) -> list[str]:
    lines = [f"Bibliothèque {library.uai} ({library.name}) : {len(imported.rows)} emprunteur(s) importé(s)."]
    if imported.given:
        lines.append(f"{len(imported.given)} ligne(s) sans numéro : numéros {_number_range(imported.given)} "
                     "attribués.")
    if imported.temporary:
        lines.append(f"{imported.temporary} usager(s) temporaire(s).")
    lines.append("Statuts : " + ", ".join(
        f"{status or '(vide)'} ({count})" for status, count in sorted(imported.statuses.items(), key=by_count)
    ) + ".")
    return lines


def _number_range(numbers: tuple[int, ...]) -> str:
    if len(numbers) == 1:
        return str(numbers[0])
    return f"{numbers[0]} à {numbers[-1]}"
