"""``manage.py ent_import_people_csv personnes.csv --uai <UAI>``: load parents and local staff.

The file is read and checked by ``sesame.ent.people_csv``; this command adds the checks that need
the directory (the children a parent names must be pupils of the school; an ENT identity given in
the file must not belong to someone else) and refuses the whole file, listing every problem with
its line number, if anything is wrong. Otherwise everything is imported in one transaction.

Parents name their children by ENT identity. ``people_import`` links children by source key, so
identities are translated first; a pupil without a source key (typed in by hand) is linked here,
after the import, inside the same transaction.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ...models import Establishment, Person, Profile
from ...people_csv import CsvPerson, CsvProblem, problem, read_people_csv
from ...services import PersonEntry, people_import
from ._directory_import import NOTHING_IMPORTED, existing_establishment, read_input_file

PROFILE_BY_CSV = {"parent": Profile.PARENT, "personnel": Profile.STAFF, "enseignant": Profile.TEACHER}


class Command(BaseCommand):
    help = "Importe les parents et personnels locaux d'un fichier CSV (UTF-8, séparateur « ; »)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="fichier CSV : profil;nom;prenom;date_naissance;mel;fonction;identifiant_ent;enfants"
        )
        parser.add_argument("--uai", required=True, help="UAI de l'établissement (il doit déjà exister)")

    def handle(self, *args, file: str, uai: str, **options) -> None:
        establishment = existing_establishment(uai)
        parsed = read_people_csv(read_input_file(file))
        with transaction.atomic():
            children = _children_by_identity(establishment, parsed.people)
            problems = [*parsed.problems, *_directory_problems(establishment, parsed.people, children)]
            if problems:
                problems.sort(key=lambda item: item.line)
                lines = "\n".join(item.message for item in problems)
                raise CommandError(f"Fichier refusé, {NOTHING_IMPORTED}\n{lines}")
            links_before = _link_count(establishment)
            summary = people_import(
                establishment=establishment,
                entries=[_entry(person, children) for person in parsed.people],
            )
            for person in parsed.people:
                keyless = [children[identity] for identity in person.children
                           if not children[identity].source_key]
                if keyless:
                    summary.people[person.source_key].children.add(*keyless)
            links_added = _link_count(establishment) - links_before

        self.stdout.write(
            f"CSV {establishment.uai} ({establishment.name}) : {len(parsed.people)} personne(s) lue(s), "
            f"{summary.created} créée(s), {summary.updated} mise(s) à jour, "
            f"{summary.unchanged} inchangée(s), {links_added} lien(s) parent-enfant ajouté(s)."
        )


def _entry(person: CsvPerson, children: dict[str, Person]) -> PersonEntry:
    return PersonEntry(
        source_key=person.source_key,
        profile=PROFILE_BY_CSV[person.profile],
        last_name=person.last_name,
        first_name=person.first_name,
        birth_date=person.birth_date,
        email=person.email,
        function=person.function,
        ent_identity=person.ent_identity,
        children_keys=tuple(
            children[identity].source_key for identity in person.children if children[identity].source_key
        ),
    )


def _children_by_identity(establishment: Establishment, people: tuple[CsvPerson, ...]) -> dict[str, Person]:
    """The pupils of this school the file names as children, by ENT identity."""
    wanted = {identity for person in people for identity in person.children}
    return {
        child.ent_identity: child
        for child in Person.objects.filter(
            establishment=establishment, profile=Profile.PUPIL, ent_identity__in=wanted
        )
    }


def _directory_problems(
    establishment: Establishment, people: tuple[CsvPerson, ...], children: dict[str, Person]
) -> list[CsvProblem]:
    problems = [
        problem(person.line, f"enfant « {identity} » inconnu : aucun élève de l'établissement n'a cet "
                             "identifiant ENT.")
        for person in people
        for identity in person.children
        if identity not in children
    ]
    given = {person.ent_identity: person for person in people if person.ent_identity}
    for holder in Person.objects.filter(ent_identity__in=list(given)):
        person = given[holder.ent_identity]
        if holder.establishment_id != establishment.pk or holder.source_key != person.source_key:
            problems.append(problem(
                person.line,
                f"identifiant ENT « {person.ent_identity} » déjà attribué à {holder.display_name}.",
            ))
    return problems


def _link_count(establishment: Establishment) -> int:
    return Person.children.through.objects.filter(from_person__establishment=establishment).count()
