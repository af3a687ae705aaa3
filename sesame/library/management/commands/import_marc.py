"""``manage.py import_marc --uai UAI FILE [--format unimarc|marc21]``: import a UNIMARC or MARC21 file.

The same import as the page "Importer des notices (UNIMARC / MARC21)"
(``sesame.library.catalogue.marc.importer``), for a whole catalogue brought from another system
at the start: the report says which format was used (detected from the fields when ``--format``
is absent) and lists every record skipped, merged or imported with a remark.
A file that is not MARC is refused and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.library.catalogue.errors import MarcFileError
from sesame.library.catalogue.marc.importer import marc_import
from sesame.library.catalogue.marc.read import MARC21, MAX_FILE_SIZE, UNIMARC
from sesame.library.management.commands._common import library_for_command, read_input

NOTHING_DONE = "Aucune notice importée."


class Command(BaseCommand):
    help = "Importe des notices et leurs exemplaires depuis un fichier UNIMARC ou MARC21 (ISO 2709)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier ISO 2709 (.iso, .mrc, .dat…)")
        parser.add_argument("--uai", required=True,
                            help="UAI de l'établissement (sa bibliothèque doit exister)")
        parser.add_argument("--format", choices=[UNIMARC, MARC21], default=None,
                            help="format des notices ; reconnu d'après les zones s'il n'est pas indiqué")
        parser.add_argument("--dry-run", action="store_true",
                            help="simulation : lit et vérifie tout, affiche le rapport, n'enregistre rien")

    def handle(self, *args, file: str, uai: str, format: str | None, dry_run: bool, **options) -> None:
        library = library_for_command(uai, nothing_done=NOTHING_DONE)
        content = read_input(file, limit=MAX_FILE_SIZE, nothing_done=NOTHING_DONE)
        try:
            report = marc_import(library=library, content=content, fmt=format, file_name=Path(file).name,
                                 dry_run=dry_run, acting_user=None)
        except MarcFileError as error:
            raise CommandError(f"{file} : {error.message}") from error
        self.stdout.write(report.as_text().rstrip("\n"))
