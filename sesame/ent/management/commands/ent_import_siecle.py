"""``manage.py ent_import_siecle ElevesSansAdresses.xml``: load a school's pupils from SIECLE.

Pupils are keyed ``SIECLE:<ELEVE_ID>`` so that each new export (schools re-import through the
year) updates the same people and never changes an ENT identity. Pupils whose ``DATE_SORTIE`` is
past have left the school and are not imported. The school comes from the file's ``UAJ``; it must
already be in the directory unless ``--name`` is given to create it.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from sesame.interop.siecle import SiecleError, SieclePupil, read_siecle_pupils
from sesame.interop.uai import is_valid_uai

from ...models import Establishment, Profile
from ...services import PersonEntry, establishment_ensure, people_import
from ._directory_import import NOTHING_IMPORTED, check_same_uai, existing_establishment, read_input_file


def pupil_entry(pupil: SieclePupil) -> PersonEntry:
    return PersonEntry(
        source_key=f"SIECLE:{pupil.eleve_id}",
        profile=Profile.PUPIL,
        last_name=pupil.last_name,
        first_name=pupil.first_name,
        birth_date=pupil.birth_date,
        class_name=pupil.class_name,
    )


class Command(BaseCommand):
    help = "Importe les élèves d'un export SIECLE (BEE_ELEVES) dans l'annuaire de l'ENT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="export SIECLE des élèves (ElevesSansAdresses.xml)")
        parser.add_argument(
            "--uai", help="UAI attendu : le fichier est refusé s'il concerne un autre établissement"
        )
        parser.add_argument("--name", help="nom de l'établissement, pour le créer s'il n'existe pas encore")

    def handle(self, *args, file: str, uai: str | None = None, name: str | None = None, **options) -> None:
        try:
            siecle = read_siecle_pupils(read_input_file(file))
        except SiecleError as exc:
            raise CommandError(exc.message) from exc
        check_same_uai(asked=uai, in_file=siecle.uai, source="SIECLE")

        today = timezone.localdate()
        present = [pupil for pupil in siecle.pupils if pupil.left_on is None or pupil.left_on >= today]
        with transaction.atomic():
            establishment = self._establishment(siecle.uai, name)
            summary = people_import(establishment=establishment, entries=[pupil_entry(p) for p in present])

        self.stdout.write(
            f"SIECLE {establishment.uai} ({establishment.name}), année {siecle.school_year or '?'} : "
            f"{len(siecle.pupils)} élève(s) lu(s), {summary.created} créé(s), {summary.updated} mis à jour, "
            f"{summary.unchanged} inchangé(s), {len(siecle.pupils) - len(present)} parti(s) non importé(s), "
            f"{summary.classes_created} classe(s) créée(s)."
        )
        if siecle.problems:
            self.stderr.write(f"{len(siecle.problems)} élève(s) illisible(s), non importé(s) :")
            for problem in siecle.problems:
                self.stderr.write(f"  - {problem.message}")

    def _establishment(self, uai: str, name: str | None) -> Establishment:
        if not name:
            return existing_establishment(uai)
        if not is_valid_uai(uai):
            raise CommandError(
                f"Le code UAI « {uai} » du fichier n'est pas valide : établissement non créé, "
                f"{NOTHING_IMPORTED}"
            )
        return establishment_ensure(uai=uai, name=name)
