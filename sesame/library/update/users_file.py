"""The library side of the first seam: the ENT's users file becomes the update's incoming people.

Parents are left out (seed C: the update compares the base "avec la liste des utilisateurs de
l'ENT (sauf les parents)"); they are counted so the librarian sees they were in the file.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sesame.interop.fiches_xml import FichesXmlError, ReadResult, RecordProblem, Status, read_fiches
from sesame.library.update.errors import UpdateRefused
from sesame.sync import IncomingPerson


class UsersFileError(UpdateRefused):
    """The file cannot be used at all; the reader's message (French: it names the XML's own terms)
    or ours, translated."""

    default_code = "invalid_file"


@dataclass(frozen=True)
class UsersFile:
    people: tuple[IncomingPerson, ...]
    problems: tuple[RecordProblem, ...]
    parents_skipped: int
    statuses: dict[str, int]
    classes: dict[str, int]
    encoding: str


def users_file_read(content: bytes) -> UsersFile:
    """Parse the file safely and keep the people the update compares; refuse a file with nobody."""
    try:
        result: ReadResult = read_fiches(content)
    except FichesXmlError as error:
        raise UsersFileError(error.message, error.code) from error
    people = []
    parents = 0
    for record in result.records:
        if record.canonical_status == Status.PARENT:
            parents += 1
            continue
        people.append(
            IncomingPerson(
                ent_identity=record.ent_identity,
                name=record.name,
                status=record.status,
                school_class=record.school_class,
                birth_date=record.birth_date,
                email=record.email,
                position=record.position,
            )
        )
    if not people:
        raise UsersFileError(
            _("Le fichier ne contient aucun élève ni aucun personnel à comparer avec les emprunteurs."),
            "no_people",
        )
    return UsersFile(
        people=tuple(people),
        problems=result.problems,
        parents_skipped=parents,
        statuses=result.statuses,
        classes=result.classes,
        encoding=result.encoding,
    )
