"""``manage.py backup_library --uai UAI -o FILE``: the library's base to a file, for a script.

A contract for scripts (a nightly backup), so its shape does not change::

    manage.py backup_library --uai UAI -o FILE        (FILE ending in .gz is gzipped)

The file is the one "Télécharger la sauvegarde" gives (``sesame.library.tools.backup``). It is written
beside its final name and then renamed, so a crash or a full disk never leaves a half file
under the name of a good one. The helpers at the end are shared by ``restore_library`` and
``anonymize_loans``.
"""

import gzip
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sesame.interop.uai import normalize_uai
from sesame.library.models import Library
from sesame.library.tools.backup import backup_checksum, backup_render, backup_summary, library_backup_data

NOTHING_DONE = "Rien n'a été modifié."


class Command(BaseCommand):
    help = "Sauvegarde la base de la bibliothèque d'un établissement dans un fichier JSON (ou .json.gz)."

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement.")
        parser.add_argument("-o", "--output", required=True,
                            help="Fichier à écrire, par exemple sauvegarde-0693456G.json (.gz : compressé).")

    def handle(self, *args, uai: str, output: str, **options) -> None:
        library = library_for_command(uai, nothing_done="Aucune sauvegarde écrite.")
        data = library_backup_data(library=library)
        content = backup_render(data)
        path = Path(output)
        if path.suffix == ".gz":
            content = gzip.compress(content, mtime=0)
        write_atomically(path, content)
        summary = backup_summary(data["counts"])
        self.stdout.write(f"Sauvegarde de {library.uai} écrite dans {path} : {summary}.")
        self.stdout.write(f"Empreinte SHA-256 : {backup_checksum(data)}")


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"Dossier introuvable : {folder}. Aucune sauvegarde écrite.")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(
            f"Impossible d'écrire {path} : {error.strerror}. Aucune sauvegarde écrite.") from error


def library_for_command(uai: str, *, nothing_done: str = NOTHING_DONE) -> Library:
    """The library named by ``--uai``, or a French ``CommandError`` saying how to create it."""
    library = Library.objects.filter(uai=normalize_uai(uai)).first()
    if library is None:
        raise CommandError(f"Aucune bibliothèque n'a l'UAI « {uai} » : créez-la avec « python manage.py "
                           f"add_establishment ». {nothing_done}")
    return library


def confirmed(command: BaseCommand, question: str) -> bool:
    """Ask "oui/non" on the terminal; anything but "oui" (or "o") is a no."""
    command.stdout.write(f"{question} (oui/non) ", ending="")
    command.stdout.flush()
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in {"oui", "o"}
