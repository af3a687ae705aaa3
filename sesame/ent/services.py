"""State changes of the ENT directory.

Imports (SIECLE, STS, CSV, demo) all end here: ``people_import`` takes plain ``PersonEntry``
values and creates or updates people in one transaction, keyed by ``source_key`` so that running
the same import twice changes nothing. A person's ENT identity is given once, at creation, and
is never changed afterwards: the library and the CAS server rely on it.
"""

import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from sesame.interop.uai import normalize_uai

from .models import Establishment, Level, Person, Profile, SchoolClass

logger = logging.getLogger(__name__)

# Levels as schools name them, in the order they are listed (collège then lycée).
LEVEL_RANKS = {
    "6EME": 1, "5EME": 2, "4EME": 3, "3EME": 4,
    "2NDE": 5, "1ERE": 6, "TERM": 7,
}


@dataclass(frozen=True)
class PersonEntry:
    """One person as an import source describes them, before they reach the directory."""

    source_key: str
    profile: str
    last_name: str
    first_name: str
    birth_date: date | None = None
    email: str = ""
    function: str = ""
    class_name: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    ent_identity: str = ""
    login: str = ""
    children_keys: tuple[str, ...] = field(default=())


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    classes_created: int = 0
    people: dict[str, Person] = field(default_factory=dict)


def level_code_for_class(class_name: str) -> str:
    """The level of a class from its name, as schools write them (``6eA``, ``3 J2``, ``2nde1``, ``TG2``).

    SIECLE gives a class code only; this reading covers the usual collège and lycée names and
    falls back to ``AUTRE`` rather than guessing.
    """
    compact = _ascii(class_name).upper().replace(" ", "")
    if compact[:1] in "6543" and compact[:1].isdigit():
        return f"{compact[0]}EME"
    if compact.startswith("2"):
        return "2NDE"
    if compact.startswith("1"):
        return "1ERE"
    if compact.startswith("T"):
        return "TERM"
    return "AUTRE"


def establishment_ensure(*, uai: str, name: str) -> Establishment:
    establishment, created = Establishment.objects.get_or_create(
        uai=normalize_uai(uai), defaults={"name": name}
    )
    if not created and name and establishment.name != name:
        establishment.name = name
        establishment.save(update_fields=["name"])
    return establishment


def school_class_ensure(*, establishment: Establishment, name: str) -> tuple[SchoolClass, bool]:
    existing = SchoolClass.objects.filter(establishment=establishment, name=name).first()
    if existing:
        return existing, False
    code = level_code_for_class(name)
    level, _ = Level.objects.get_or_create(
        establishment=establishment, code=code, defaults={"rank": LEVEL_RANKS.get(code, 99)}
    )
    return SchoolClass.objects.create(establishment=establishment, level=level, name=name), True


def generate_ent_identity() -> str:
    """A new stable, opaque ENT identity (the shape of an ``ENTPersonJointure``)."""
    return f"SES{secrets.token_hex(6).upper()}"


def login_base(first_name: str, last_name: str) -> str:
    """``prenom.nom`` in lower-case ASCII, the usual ENT login shape."""
    def part(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", _ascii(text).lower())

    return f"{part(first_name)}.{part(last_name)}".strip(".") or "utilisateur"


# Ligatures that NFKD does not split: "CŒUR" must give "coeur", not "cur".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def _ascii(text: str) -> str:
    spelled = text.translate(_LIGATURES)
    return unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")


class _LoginAllocator:
    """Hands out unique logins (``jean.martin``, ``jean.martin2``…) with one query up front."""

    def __init__(self) -> None:
        self.taken = set(get_user_model().objects.values_list("username", flat=True))

    def allocate(self, wanted: str, first_name: str, last_name: str) -> str:
        base = wanted or login_base(first_name, last_name)
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}{number}"
        self.taken.add(candidate)
        return candidate


_UPDATABLE_FIELDS = (
    "profile", "last_name", "first_name", "birth_date", "email", "function",
    "address", "postal_code", "city", "phone",
)


def _entry_values(entry: PersonEntry, school_class: SchoolClass | None, person: Person | None) -> dict:
    """The fields an entry sets. A value the source leaves empty never wipes one already known.

    SIECLE and STS carry no e-mail, address or phone: re-importing them must not erase what was
    typed into the ENT since.
    """
    values = {name: getattr(entry, name) for name in _UPDATABLE_FIELDS}
    if person is not None:
        values = {name: value for name, value in values.items() if value not in ("", None)}
    if entry.profile == Profile.PUPIL:
        if school_class is not None or person is None:
            values["school_class"] = school_class
    else:
        values["school_class"] = None
    return values


@transaction.atomic
def people_import(
    *,
    establishment: Establishment,
    entries: list[PersonEntry],
    password: str | None = None,
) -> ImportSummary:
    """Create or update people from an import, all or nothing.

    ``password`` (demo only) is hashed once and shared; otherwise new accounts get an unusable
    password until the administrator sets one, as an ENT hands out activation codes.
    """
    summary = ImportSummary()
    existing = {
        person.source_key: person
        for person in Person.objects.filter(establishment=establishment)
        .exclude(source_key="")
        .select_related("user", "school_class")
    }
    classes = {c.name: c for c in SchoolClass.objects.filter(establishment=establishment)}
    logins = _LoginAllocator()
    password_hash = ""  # hashed on the first creation only: hashing is slow by design
    user_model = get_user_model()

    for entry in entries:
        school_class = None
        if entry.class_name:
            school_class = classes.get(entry.class_name)
            if school_class is None:
                school_class, _ = school_class_ensure(establishment=establishment, name=entry.class_name)
                classes[entry.class_name] = school_class
                summary.classes_created += 1
        person = existing.get(entry.source_key)
        values = _entry_values(entry, school_class, person)
        if person is None:
            login = logins.allocate(entry.login, entry.first_name, entry.last_name)
            password_hash = password_hash or make_password(password or None)
            user = user_model(username=login, password=password_hash, email=entry.email,
                              first_name=entry.first_name[:150], last_name=entry.last_name[:150])
            user.save()
            person = Person.objects.create(
                establishment=establishment, user=user, source_key=entry.source_key,
                ent_identity=entry.ent_identity or generate_ent_identity(), **values,
            )
            existing[entry.source_key] = person
            summary.created += 1
        elif any(getattr(person, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(person, name, value)
            person.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
        summary.people[entry.source_key] = person

    _link_children(existing, entries)
    return summary


def _link_children(people_by_key: dict[str, Person], entries: list[PersonEntry]) -> None:
    """Add the parent → child links the entries name, in one query for the ones not there yet."""
    wanted = {
        (people_by_key[entry.source_key].pk, people_by_key[key].pk)
        for entry in entries
        for key in entry.children_keys
        if key in people_by_key
    }
    if not wanted:
        return
    links = Person.children.through
    parent_ids = {parent_id for parent_id, _child in wanted}
    present = set(
        links.objects.filter(from_person_id__in=parent_ids).values_list("from_person_id", "to_person_id")
    )
    links.objects.bulk_create(
        [links(from_person_id=parent, to_person_id=child) for parent, child in sorted(wanted - present)]
    )


@transaction.atomic
def esidoc_access_set(
    *, establishment: Establishment, url: str, new_window: bool, acting_user,
) -> Establishment:
    """*Accès E-SIDOC de l'établissement* (seed E.1): the portal address every user's tile opens.

    Saved in one transaction with the establishment row locked, so two directors saving at once
    leave one consistent pair (address, new window); who changed it is logged.
    """
    locked = Establishment.objects.select_for_update().get(pk=establishment.pk)
    locked.esidoc_url = url.strip()
    locked.esidoc_new_window = new_window
    locked.save(update_fields=["esidoc_url", "esidoc_new_window"])
    logger.info("E-SIDOC access of %s set to %r (new window: %s) by %s", locked.uai, locked.esidoc_url,
                new_window, getattr(acting_user, "username", None) or "a command")
    return locked
