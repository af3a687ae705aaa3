"""Steps the directory import commands share: read the chosen file, check the school, find it.

The commands stay thin (ARCHITECTURE, house style 2 and 6): the formats are read by pure readers,
people are written by ``people_import``; this module only holds the few checks every command makes
before anything is written, each ending in a French ``CommandError``.
"""

from pathlib import Path

from django.core.management.base import CommandError

from sesame.interop.uai import normalize_uai

from ...models import Establishment

# The readers refuse bigger files too; checking the size first avoids loading a huge file at all.
MAX_FILE_BYTES = 64 * 1024 * 1024

NOTHING_IMPORTED = "rien n'a été importé."


def read_input_file(path: str) -> bytes:
    """The file's bytes, or a French ``CommandError`` saying why it cannot be read."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CommandError(
                f"Le fichier « {path} » est trop volumineux ({size / 1_048_576:.0f} Mo) : "
                f"la limite est de {MAX_FILE_BYTES // 1_048_576} Mo."
            )
        return file.read_bytes()
    except FileNotFoundError as exc:
        raise CommandError(f"Fichier introuvable : « {path} ».") from exc
    except IsADirectoryError as exc:
        raise CommandError(f"« {path} » est un dossier, pas un fichier.") from exc
    except OSError as exc:
        raise CommandError(f"Impossible de lire le fichier « {path} » ({exc.strerror}).") from exc


def check_same_uai(*, asked: str | None, in_file: str, source: str) -> None:
    """Refuse a file that describes another school than the one the administrator named.

    Loading the pupils of the wrong collège is the mistake this import must never make quietly.
    """
    if asked and in_file and normalize_uai(asked) != in_file:
        raise CommandError(
            f"Le fichier {source} concerne l'établissement {in_file}, pas {normalize_uai(asked)} : "
            f"{NOTHING_IMPORTED}"
        )


def existing_establishment(uai: str) -> Establishment:
    establishment = Establishment.objects.filter(uai=normalize_uai(uai)).first()
    if establishment is None:
        raise CommandError(
            f"L'établissement {normalize_uai(uai)} n'existe pas dans l'annuaire : {NOTHING_IMPORTED}"
        )
    return establishment
