"""What the CAS server says about a person: the attributes of SPEC §1, as real ENTs name them.

CAS 3.0 §2.5.5 lets a server release attributes with a successful validation; which ones each
service receives is registry data (``RegisteredService.released_attributes``), and which one is
the principal (``cas:user``) too. The names are those of the national ENT directory schema
(SDET), which e-sidoc and publishers read: ``ENTPersonJointure`` is the stable ENT identity,
``ENTPersonProfils`` the national profile code, ``ENTPersonStructRattachRNE`` the school's UAI.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..models import Person, Profile, StaffFunction

#: Every attribute the server can release, with the label the registry page shows.
ATTRIBUTE_LABELS: dict[str, object] = {
    "uid": _("uid — identifiant de connexion"),
    "ENTPersonJointure": _("ENTPersonJointure — identité ENT"),
    "ENTPersonProfils": _("ENTPersonProfils — profil national"),
    "ENTPersonStructRattachRNE": _("ENTPersonStructRattachRNE — UAI de l'établissement"),
    "ENTEleveClasses": _("ENTEleveClasses — classe de l'élève"),
    "sn": _("sn — nom"),
    "givenName": _("givenName — prénom"),
    "mail": _("mail — courriel"),
}
ATTRIBUTE_NAMES: tuple[str, ...] = tuple(ATTRIBUTE_LABELS)
DEFAULT_PRINCIPAL_ATTRIBUTE = "ENTPersonJointure"
#: What a new service receives unless told otherwise: what e-sidoc reads (no login, no e-mail).
DEFAULT_RELEASED_ATTRIBUTES: tuple[str, ...] = (
    "ENTPersonJointure", "ENTPersonProfils", "ENTPersonStructRattachRNE", "ENTEleveClasses",
    "sn", "givenName",
)

_STAFF_PROFILES = {
    StaffFunction.LIBRARIAN: "National_DOC",
    StaffFunction.DIRECTOR: "National_DIR",
    StaffFunction.CPE: "National_EVS",
    StaffFunction.ADMIN: "National_ETA",
    StaffFunction.SECRETARY: "National_ETA",
}
_PROFILES = {
    Profile.PUPIL: "National_ELV",
    Profile.TEACHER: "National_ENS",
    Profile.PARENT: "National_TUT",
}


def national_profile(person: Person) -> str:
    """The ``National_*`` code of ``ENTPersonProfils``; staff without a known function are ETA."""
    if person.profile == Profile.STAFF:
        return _STAFF_PROFILES.get(person.function, "National_ETA")
    return _PROFILES[person.profile]


def person_attributes(person: Person, *, username: str) -> dict[str, tuple[str, ...]]:
    """Every attribute of ``person``; an empty value is left out rather than sent empty."""
    values: dict[str, tuple[str, ...]] = {
        "uid": (username,),
        "ENTPersonJointure": (person.ent_identity,),
        "ENTPersonProfils": (national_profile(person),),
        "ENTPersonStructRattachRNE": (person.establishment.uai,),
        "ENTEleveClasses": (person.school_class.name,) if person.school_class_id else (),
        "sn": (person.last_name,),
        "givenName": (person.first_name,),
        "mail": (person.email,),
    }
    return {name: tuple(v for v in items if v) for name, items in values.items() if any(items)}


def released_attributes(attributes: dict, names: list[str] | tuple[str, ...]) -> dict:
    """Only the attributes the service is allowed to receive, in the registry's order."""
    return {name: attributes[name] for name in names if name in attributes}
