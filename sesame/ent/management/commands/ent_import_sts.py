"""``manage.py ent_import_sts sts_emp_<UAI>_<année>.xml --uai <UAI>``: load the staff from STS-web.

STS's ``FONCTION`` decides the ENT profile: ``ENS`` is a teacher; ``DIR``, ``EDU``, ``DOC`` and
``ADF`` are staff with the functions the export page filters on (DIRECTEUR, CPE, CDI, SECRETAIRE);
any other code is staff without a function, so nobody gains administration rights by accident.
People are keyed ``STS:<ID>`` so that each new export updates the same people.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sesame.interop.sts import StsError, StsPerson, read_sts_staff

from ...models import Profile, StaffFunction
from ...services import PersonEntry, people_import
from ._directory_import import check_same_uai, existing_establishment, read_input_file

PROFILE_BY_FUNCTION: dict[str, tuple[str, str]] = {
    "ENS": (Profile.TEACHER, ""),
    "DIR": (Profile.STAFF, StaffFunction.DIRECTOR),
    "EDU": (Profile.STAFF, StaffFunction.CPE),
    "DOC": (Profile.STAFF, StaffFunction.LIBRARIAN),
    "ADF": (Profile.STAFF, StaffFunction.SECRETARY),
}


def staff_entry(person: StsPerson) -> PersonEntry:
    profile, function = PROFILE_BY_FUNCTION.get(person.function, (Profile.STAFF, ""))
    return PersonEntry(
        source_key=f"STS:{person.sts_id}",
        profile=profile,
        function=function,
        last_name=person.last_name,
        first_name=person.first_name,
        birth_date=person.birth_date,
    )


class Command(BaseCommand):
    help = "Importe les enseignants et personnels d'un export STS-web (STS_EDT) dans l'annuaire de l'ENT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="export STS-web (sts_emp_<UAI>_<année>.xml)")
        parser.add_argument("--uai", required=True, help="UAI de l'établissement (il doit déjà exister)")

    def handle(self, *args, file: str, uai: str, **options) -> None:
        try:
            sts = read_sts_staff(read_input_file(file))
        except StsError as exc:
            raise CommandError(exc.message) from exc
        check_same_uai(asked=uai, in_file=sts.uai, source="STS")
        entries = [staff_entry(person) for person in sts.people]
        with transaction.atomic():
            establishment = existing_establishment(uai)
            summary = people_import(establishment=establishment, entries=entries)

        teachers = sum(1 for entry in entries if entry.profile == Profile.TEACHER)
        self.stdout.write(
            f"STS {establishment.uai} ({establishment.name}) : {len(entries)} personne(s) lue(s) "
            f"({teachers} enseignant(s), {len(entries) - teachers} personnel(s)), "
            f"{summary.created} créée(s), {summary.updated} mise(s) à jour, {summary.unchanged} inchangée(s)."
        )
        if sts.problems:
            self.stderr.write(f"{len(sts.problems)} personne(s) illisible(s), non importée(s) :")
            for problem in sts.problems:
                self.stderr.write(f"  - {problem.message}")
