"""What the library's commands share: the library named by ``--uai``, a file read with a limit, "oui/non".

Commands only orchestrate (house style, rule 6): they find the library here, read their input
here, call a service and print its outcome; every refusal is a French ``CommandError`` that ends
with what was (not) done, so a script that runs them can tell.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sesame.core.files import FileTooLarge, read_limited
from sesame.interop.uai import is_valid_uai, normalize_uai
from sesame.library.common.tenancy import library_for_uai
from sesame.library.models import Library

NOTHING_DONE = "Rien n'a été fait."


def library_for_command(uai: str, *, nothing_done: str = NOTHING_DONE, hint: str = "") -> Library:
    """The library named by ``--uai``, or a French ``CommandError`` saying how to create it.

    ``hint`` replaces the usual "créez-la d'abord avec add_establishment" where another command
    is the way (the demo's catalogue needs the demo's library first).
    """
    code = normalize_uai(uai)
    if not is_valid_uai(code):
        raise CommandError(f"« {code} » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle). "
                           f"{nothing_done}".strip())
    library = library_for_uai(code)
    if library is None:
        hint = hint or (f"créez-la d'abord avec « python manage.py add_establishment {code} "
                        f"--name \"Nom de l'établissement\" »")
        raise CommandError(f"Aucune bibliothèque n'a l'UAI {code} : {hint}. {nothing_done}".strip())
    return library


def read_input(path: str, *, limit: int, nothing_done: str = NOTHING_DONE) -> bytes:
    """The bytes of the file a command was given, at most ``limit``; else a French ``CommandError``."""
    try:
        return read_limited(path, limit=limit)
    except FileTooLarge as exc:
        raise CommandError(f"Le fichier « {path} » est trop volumineux ({_size(limit)} au plus). "
                           f"{nothing_done}") from exc
    except FileNotFoundError as exc:
        raise CommandError(f"Fichier introuvable : {path}. {nothing_done}") from exc
    except IsADirectoryError as exc:
        raise CommandError(f"« {path} » est un dossier, pas un fichier. {nothing_done}") from exc
    except OSError as exc:
        raise CommandError(f"Impossible de lire le fichier {path} : {exc.strerror}. {nothing_done}") from exc


def _size(limit: int) -> str:
    return f"{limit // 1_048_576} Mo" if limit >= 1_048_576 else f"{limit} octets"


def confirmed(command: BaseCommand, question: str) -> bool:
    """Ask "oui/non" on the terminal; anything but "oui" (or "o") is a no."""
    command.stdout.write(f"{question} (oui/non) ", ending="")
    command.stdout.flush()
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in {"oui", "o"}
