"""``manage.py backup_library --uai UAI -o FILE``: the library's base to a file, for a script.

A contract for scripts (a nightly backup), so its shape does not change::

    manage.py backup_library --uai UAI -o FILE        (FILE ending in .gz is gzipped)

The file is the one "Télécharger la sauvegarde" gives (``sesame.library.tools.backup``). It is written
beside its final name and then renamed, so a crash or a full disk never leaves a half file
under the name of a good one.
"""

import gzip
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sesame.library.management.commands._common import library_for_command
from sesame.library.tools.backup import backup_checksum, backup_render, backup_summary, library_backup_data

NOTHING_DONE = "Aucune sauvegarde écrite."


class Command(BaseCommand):
    help = "Sauvegarde la base de la bibliothèque d'un établissement dans un fichier JSON (ou .json.gz)."

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement.")
        parser.add_argument("-o", "--output", required=True,
                            help="Fichier à écrire, par exemple sauvegarde-0693456G.json (.gz : compressé).")

    def handle(self, *args, uai: str, output: str, **options) -> None:
        library = library_for_command(uai, nothing_done=NOTHING_DONE)
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
        raise CommandError(f"Dossier introuvable : {folder}. {NOTHING_DONE}")
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
            f"Impossible d'écrire {path} : {error.strerror}. {NOTHING_DONE}") from error

