"""The users file for the library and its portal ("Obtenir le fichier d'export utilisateur pour E-SIDOC").

The ENT side of the first seam: directory people become ``UserRecord`` values and
``sesame.interop.fiches_xml`` writes them. The portal password (``MOT_DE_PASSE_M``) is drawn at
random for each export and never stored: once single sign-on is on it means nothing (seed D).
"""

import secrets
import string
from collections.abc import Iterable

from django.db import transaction

from sesame.interop.fiches_xml import Status, UserRecord, write_fiches

from .models import EsidocExport, Establishment, Person, Profile
from .selectors import people_for_export

_STATUS_BY_PROFILE = {
    Profile.PUPIL: Status.PUPIL,
    Profile.TEACHER: Status.TEACHER,
    Profile.STAFF: Status.STAFF,
}
_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def _portal_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))


def person_to_record(person: Person) -> UserRecord:
    """One directory person as the users file describes a borrower."""
    return UserRecord(
        name=person.display_name,
        ent_identity=person.ent_identity,
        status=_STATUS_BY_PROFILE[person.profile].value,
        birth_date=person.birth_date,
        school_class=person.school_class.name if person.school_class_id else "",
        address=person.address,
        postal_code=person.postal_code,
        city=person.city,
        phone=person.phone,
        email=person.email,
        has_account=True,
        password=_portal_password(),
        borrower_type="Usager",
    )


def esidoc_export_build(people: Iterable[Person]) -> tuple[bytes, int]:
    """The file's bytes and how many people it holds. Parents are refused here as a last guard."""
    records = [person_to_record(p) for p in people if p.profile != Profile.PARENT]
    return write_fiches(records), len(records)


@transaction.atomic
def esidoc_export_create(
    *,
    establishment: Establishment,
    class_ids: list[int],
    include_teachers: bool,
    include_staff: bool,
    acting_user=None,
) -> EsidocExport:
    """Build the export for a selection and keep it, so it can be downloaded and audited."""
    people = people_for_export(
        establishment=establishment,
        class_ids=class_ids,
        include_teachers=include_teachers,
        include_staff=include_staff,
    )
    content, count = esidoc_export_build(people)
    return EsidocExport.objects.create(
        establishment=establishment,
        created_by=acting_user,
        selection={"class_ids": sorted(class_ids), "teachers": include_teachers, "staff": include_staff},
        person_count=count,
        content=content,
    )
