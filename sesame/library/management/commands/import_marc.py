"""``manage.py import_marc --uai UAI FILE [--format unimarc|marc21]``: import a UNIMARC or MARC21 file.

The same import as the page "Importer des notices (UNIMARC / MARC21)"
(``sesame.library.catalogue.marc.importer``), for a whole catalogue brought from another system
at the start: the report says which format was used (detected from the fields when ``--format``
is absent) and lists every record skipped, merged or imported with a remark.
A file that is not MARC is refused and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.interop.uai import is_valid_uai, normalize_uai
from sesame.library.catalogue.marc.importer import marc_import
from sesame.library.catalogue.marc.read import MARC21, MAX_FILE_SIZE, UNIMARC, MarcFileError
from sesame.library.models import Library

NOTHING_DONE = "Aucune notice importée."


def _library(uai: str) -> Library:
    uai = normalize_uai(uai)
    if not is_valid_uai(uai):
        raise CommandError(f"« {uai} » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle). "
                           f"{NOTHING_DONE}")
    library = Library.objects.filter(uai=uai).first()
    if library is None:
        raise CommandError(f"Aucune bibliothèque n'a l'UAI {uai} : créez-la d'abord avec « python manage.py "
                           f"add_establishment {uai} --name \"Nom de l'établissement\" ». {NOTHING_DONE}")
    return library


def _content(path: str) -> bytes:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_SIZE:
            limit = MAX_FILE_SIZE // 1_048_576
            raise CommandError(
                f"Le fichier « {path} » est trop volumineux ({limit} Mo au plus). {NOTHING_DONE}"
            )
        return file.read_bytes()
    except FileNotFoundError as error:
        raise CommandError(f"Fichier introuvable : « {path} ». {NOTHING_DONE}") from error
    except IsADirectoryError as error:
        raise CommandError(f"« {path} » est un dossier, pas un fichier. {NOTHING_DONE}") from error
    except OSError as error:
        raise CommandError(
            f"Impossible de lire le fichier « {path} » ({error.strerror}). {NOTHING_DONE}"
        ) from error


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
        library = _library(uai)
        content = _content(file)
        try:
            report = marc_import(library=library, content=content, fmt=format, file_name=Path(file).name,
                                 dry_run=dry_run)
        except MarcFileError as error:
            raise CommandError(f"{file} : {error.message}") from error
        self.stdout.write(report.as_text().rstrip("\n"))
