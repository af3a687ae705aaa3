"""``seed_demo_library``: the demo CDI's borrower base as it was last year, from this year's users file.

Run by ``make demo`` after the ENT's export: ``seed_demo_library --uai 9990001X FILE.xml``. A
library that already has borrowers is left alone (``--reset`` rebuilds it), so running it on
every ``make demo`` keeps what a librarian did in the demo.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from sesame.core import clock
from sesame.interop.fiches_xml import FichesXmlError, Status, read_fiches
from sesame.interop.uai import is_valid_uai, normalize_uai
from sesame.library.demo.base import LIBRARIAN_LOGIN, demo_library_seed


class Command(BaseCommand):
    help = ("Crée la base de démonstration du CDI (emprunteurs de l'an dernier, catalogue, prêts) à partir "
            "du fichier des utilisateurs exporté par l'ENT.")

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement, par exemple 9990001X.")
        parser.add_argument("file", help="Fichier XML des utilisateurs exporté par l'ENT (format BCDI).")
        parser.add_argument("--reset", action="store_true",
                            help="Efface les emprunteurs, le catalogue et les prêts de cette bibliothèque, "
                                 "puis reconstruit la base de démonstration.")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="Date du jour (AAAA-MM-JJ) pour les dates de prêt ; aujourd'hui par défaut.")

    def handle(self, *args, uai, file, reset, today, **options):
        uai = normalize_uai(uai)
        if not is_valid_uai(uai):
            raise CommandError(
                f"« {uai} » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle)."
            )
        try:
            with open(file, "rb") as stream:
                result = read_fiches(stream)
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {file}") from error
        except FichesXmlError as error:
            raise CommandError(f"{file} : {error.message}") from error
        statuses = {record.canonical_status for record in result.records}
        if not statuses - {None, Status.PARENT}:
            raise CommandError(f"{file} ne contient aucun élève ni aucun personnel : ce n'est pas l'export "
                               "des utilisateurs d'un établissement.")
        try:
            seeded = demo_library_seed(uai=uai, people=result.records, today=today or clock.today(),
                                       reset=reset)
        except ProtectedError as error:
            raise CommandError(
                "La base ne peut pas être effacée : d'autres données y font référence."
            ) from error
        library = seeded.library
        if not seeded.librarian:
            self.stderr.write(f"Attention : le compte « {LIBRARIAN_LOGIN} » n'existe pas (lancez d'abord "
                              "seed_demo) ; personne ne gère cette bibliothèque.")
        if not seeded.created:
            self.stdout.write(
                f"{library.name} ({library.uai}) a déjà {seeded.existing_borrowers} emprunteur(s) ou un "
                "catalogue : rien n'a été modifié (--reset pour reconstruire la base de démonstration)."
            )
            return
        base = seeded.base
        open_loans = sum(1 for loan in base.loans if loan.returned_on is None)
        self.stdout.write(
            f"{library.name} ({library.uai}) : {len(base.borrowers)} emprunteurs, "
            f"{len(base.records)} notices, {len(base.copies)} exemplaires, {open_loans} prêts en cours, "
            f"{len(base.loans) - open_loans} prêts rendus."
        )
        self.stdout.write(
            "Première mise à jour : Gestion des emprunteurs › Mettre à jour, lot « Statut=Elève »."
        )
