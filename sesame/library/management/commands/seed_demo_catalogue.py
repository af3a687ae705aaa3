"""``seed_demo_catalogue --uai UAI [--records 3000]``: grow the demo CDI's catalogue to a real size.

Adds generated records and their copies (``sesame.library.demo.catalogue_bulk``) until the library
holds ``--records`` records; running it again adds nothing, and a larger number adds the next
ones. Run after ``seed_demo_library``, which creates the library and its 300 or so real titles.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sesame.interop.uai import normalize_uai
from sesame.library.demo.catalogue_bulk import MAX_RECORDS, bulk_catalogue_seed
from sesame.library.management.commands._common import library_for_command


class Command(BaseCommand):
    help = ("Complète le catalogue de démonstration du CDI jusqu'à un nombre de notices (notices "
            "inventées mais plausibles, avec leurs exemplaires).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--uai", required=True, help="UAI de l'établissement, par exemple 9990001X.")
        parser.add_argument("--records", type=int, default=3000,
                            help=f"nombre de notices visé (3000 par défaut, {MAX_RECORDS} au plus)")

    def handle(self, *args, uai: str, records: int, **options) -> None:
        hint = f"lancez d'abord « python manage.py seed_demo_library --uai {normalize_uai(uai)} FICHIER.xml »"
        library = library_for_command(uai, nothing_done="", hint=hint)
        if not 1 <= records <= MAX_RECORDS:
            raise CommandError(f"--records : un nombre de notices entre 1 et {MAX_RECORDS}.")
        result = bulk_catalogue_seed(library=library, target=records)
        if not result.added_records:
            self.stdout.write(f"{library.name} ({library.uai}) : le catalogue compte déjà "
                              f"{result.total_records} notices (objectif {records}) ; rien n'a été ajouté.")
            return
        self.stdout.write(f"{library.name} ({library.uai}) : {result.added_records} notices et "
                          f"{result.added_copies} exemplaires ajoutés ; le catalogue compte "
                          f"{result.total_records} notices.")
