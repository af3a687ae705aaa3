"""``manage.py add_establishment UAI --name NAME``: open the library base of an establishment.

The first step of a migration (and of any scripted installation): the borrower and loan imports,
the update from the ENT file and the portal all find their library by UAI. Running it again
with another name renames the library, so the command can be replayed safely.
"""

import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.interop.uai import is_valid_uai, normalize_uai, uai_check_letter
from sesame.library.models import Library

NAME_MAX = Library._meta.get_field("name").max_length
NOTHING_DONE = "Rien n'a été modifié."


class Command(BaseCommand):
    help = "Crée la bibliothèque (base des emprunteurs et du catalogue) d'un établissement, ou la renomme."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("uai", help="code UAI (ex-RNE) de l'établissement, par exemple 0752345S")
        parser.add_argument(
            "--name", required=True, help="nom de l'établissement, par exemple « Collège Jean Moulin »"
        )

    def handle(self, *args, uai: str, name: str, **options) -> None:
        uai = normalize_uai(uai)
        if not is_valid_uai(uai):
            raise CommandError(f"{_uai_problem(uai)} {NOTHING_DONE}")
        name = " ".join(name.split())
        if not name:
            raise CommandError(f"Le nom de l'établissement est vide. {NOTHING_DONE}")
        if len(name) > NAME_MAX:
            raise CommandError(
                f"Le nom de l'établissement est trop long ({len(name)} caractères, {NAME_MAX} au plus). "
                f"{NOTHING_DONE}"
            )
        library, created = Library.objects.get_or_create(uai=uai, defaults={"name": name})
        if created:
            self.stdout.write(f"Bibliothèque {uai} créée : « {name} ».")
        elif library.name == name:
            self.stdout.write(f"La bibliothèque {uai} existe déjà sous le nom « {name} » : rien à changer.")
        else:
            previous = library.name
            library.name = name
            library.save(update_fields=["name"])
            self.stdout.write(
                f"La bibliothèque {uai} existait déjà : son nom passe de « {previous} » à « {name} »."
            )


def _uai_problem(uai: str) -> str:
    """Why a code is not a UAI, precise enough to spot a typing slip in the check letter."""
    if re.fullmatch(r"\d{7}[A-Z]", uai):
        return (
            f"« {uai} » n'est pas un code UAI valide : avec les chiffres {uai[:7]}, la lettre de contrôle "
            f"est {uai_check_letter(uai[:7])}, pas {uai[7]}."
        )
    return (
        f"« {uai} » n'est pas un code UAI valide : il faut 7 chiffres suivis de la lettre de contrôle "
        "(par exemple 0752345S)."
    )
