"""Read an STS-web staff export (``sts_emp_<UAI>_<year>.xml``, root ``STS_EDT``).

Facts from the field (domain facts §5): people are ``DONNEES/INDIVIDUS/INDIVIDU`` with attributes
``ID`` and ``TYPE`` (``epp``, ``local``) and children ``NOM_USAGE``, ``NOM_PATRONYMIQUE``,
``PRENOM``, ``DATE_NAISSANCE`` (``yyyy-mm-dd``) and ``FONCTION``; the school is
``PARAMETRES/UAJ``, written ``<UAJ CODE="…"/>`` by STS-web (the text form is accepted too).

A person that cannot be used (no ID, no name, an impossible date) is left out and reported with
their position; the rest of the file is still read.
"""

import re
from datetime import date

from lxml import etree

from .errors import StsFormatError
from .records import StsFile, StsPerson, StsProblem
from .safe_xml import parse_safely

ROOT_TAG = "STS_EDT"

_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def read_sts_staff(data: bytes) -> StsFile:
    """Every usable person of an STS-web export, or an ``StsError`` if the file is not one."""
    root = parse_safely(data)
    if root.tag != ROOT_TAG:
        raise StsFormatError(
            f"Ce fichier n'est pas un export STS-web des personnels : l'élément racine est "
            f"« {root.tag} », « {ROOT_TAG} » attendu.",
            code="wrong_root",
            data={"root": root.tag},
        )
    people: list[StsPerson] = []
    problems: list[StsProblem] = []
    seen: dict[str, int] = {}
    for position, element in enumerate(root.iterfind("DONNEES/INDIVIDUS/INDIVIDU"), start=1):
        person, problem = _person(element, position, seen)
        if problem is not None:
            problems.append(problem)
        if person is not None:
            seen[person.sts_id] = position
            people.append(person)
    return StsFile(
        uai=_parameter(root, "UAJ").upper(),
        school_year=_parameter(root, "ANNEE_SCOLAIRE", attribute="ANNEE"),
        people=tuple(people),
        problems=tuple(problems),
    )


def _person(
    element: etree._Element, position: int, seen: dict[str, int]
) -> tuple[StsPerson | None, StsProblem | None]:
    sts_id = _clean(element.get("ID"))

    def problem(code: str, detail: str) -> tuple[None, StsProblem]:
        who = f"Personne n° {position}" + (f" (ID {sts_id})" if sts_id else "")
        return None, StsProblem(position, sts_id, code, f"{who} : {detail}")

    if not sts_id:
        return problem("missing_id", "attribut ID manquant, personne ignorée.")
    if sts_id in seen:
        return problem("duplicate_id", f"ID déjà vu pour la personne n° {seen[sts_id]}, personne ignorée.")
    last_name = _clean(element.findtext("NOM_USAGE")) or _clean(element.findtext("NOM_PATRONYMIQUE"))
    first_name = _clean(element.findtext("PRENOM"))
    if not last_name:
        return problem("missing_name", "nom (NOM_USAGE) manquant, personne ignorée.")
    if not first_name:
        return problem("missing_first_name", "prénom (PRENOM) manquant, personne ignorée.")
    raw_birth = _clean(element.findtext("DATE_NAISSANCE"))
    try:
        birth_date = _parse_ymd(raw_birth)
    except ValueError:
        return problem(
            "bad_date", f"date de naissance « {raw_birth} » invalide (attendu aaaa-mm-jj), personne ignorée."
        )
    person = StsPerson(
        sts_id=sts_id,
        kind=_clean(element.get("TYPE")),
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        function=_clean(element.findtext("FONCTION")).upper(),
    )
    return person, None


def _parameter(root: etree._Element, tag: str, *, attribute: str = "CODE") -> str:
    """``PARAMETRES/<tag>`` given as an attribute (STS-web's habit) or as text."""
    element = root.find(f"PARAMETRES/{tag}")
    if element is None:
        return ""
    return _clean(element.get(attribute)) or _clean(element.text)


def _parse_ymd(raw: str) -> date | None:
    if not raw:
        return None
    match = _YMD.match(raw)
    if not match:
        raise ValueError(raw)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def _clean(text: str | None) -> str:
    """Collapse the spaces and line breaks that exports leave around and inside values."""
    return " ".join((text or "").split())
