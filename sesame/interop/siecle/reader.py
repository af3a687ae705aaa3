"""Read a SIECLE pupils export (``ElevesSansAdresses.xml``, root ``BEE_ELEVES``).

Facts from the field (domain facts §5): ``PARAMETRES/UAJ`` names the school; pupils are
``DONNEES/ELEVES/ELEVE[@ELEVE_ID]``; their classes are listed apart, in
``DONNEES/STRUCTURES/STRUCTURES_ELEVE[@ELEVE_ID]/STRUCTURE`` where ``TYPE_STRUCTURE`` ``D`` is the
division and ``G`` a group. Dates are ``dd/mm/yyyy``. The file is declared ISO-8859-15 (sometimes
ISO-8859-1 or UTF-8); lxml decodes whatever the declaration says.

A pupil that cannot be used (no ELEVE_ID, no name, an impossible date, two divisions) is left out
and reported with their position, so one bad entry never blocks a whole school's import.
"""

import re
from collections.abc import Iterable
from datetime import date

from lxml import etree

from .errors import SiecleFormatError
from .records import SiecleProblem, SieclePupil, SieclePupilsFile
from .safe_xml import parse_safely

ROOT_TAG = "BEE_ELEVES"
DIVISION = "D"
GROUP = "G"

_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def read_siecle_pupils(data: bytes) -> SieclePupilsFile:
    """Every usable pupil of a SIECLE export, or a ``SiecleError`` if the file is not one."""
    root = parse_safely(data)
    if root.tag != ROOT_TAG:
        raise SiecleFormatError(
            f"Ce fichier n'est pas un export SIECLE des élèves : l'élément racine est "
            f"« {root.tag} », « {ROOT_TAG} » attendu.",
            code="wrong_root",
            data={"root": root.tag},
        )
    uai = _uai(root)
    if not uai:
        raise SiecleFormatError(
            "Le fichier SIECLE n'indique pas l'établissement (PARAMETRES/UAJ absent ou vide).",
            code="missing_uai",
        )
    structures = _structures(root)
    pupils: list[SieclePupil] = []
    problems: list[SiecleProblem] = []
    seen: dict[str, int] = {}
    for position, element in enumerate(root.iterfind("DONNEES/ELEVES/ELEVE"), start=1):
        pupil, problem = _pupil(element, position, structures, seen)
        if problem is not None:
            problems.append(problem)
        if pupil is not None:
            seen[pupil.eleve_id] = position
            pupils.append(pupil)
    return SieclePupilsFile(
        uai=uai,
        school_year=_clean(root.findtext("PARAMETRES/ANNEE_SCOLAIRE")),
        pupils=tuple(pupils),
        problems=tuple(problems),
    )


def _pupil(
    element: etree._Element,
    position: int,
    structures: dict[str, list[tuple[str, str]]],
    seen: dict[str, int],
) -> tuple[SieclePupil | None, SiecleProblem | None]:
    eleve_id = _clean(element.get("ELEVE_ID"))

    def problem(code: str, detail: str) -> tuple[None, SiecleProblem]:
        who = f"Élève n° {position}" + (f" (ELEVE_ID {eleve_id})" if eleve_id else "")
        return None, SiecleProblem(position, eleve_id, code, f"{who} : {detail}")

    if not eleve_id:
        return problem("missing_id", "attribut ELEVE_ID manquant, élève ignoré.")
    if eleve_id in seen:
        return problem("duplicate_id", f"ELEVE_ID déjà vu pour l'élève n° {seen[eleve_id]}, élève ignoré.")
    last_name = _clean(element.findtext("NOM_USAGE")) or _clean(element.findtext("NOM_DE_FAMILLE"))
    first_name = _clean(element.findtext("PRENOM"))
    if not last_name:
        return problem("missing_name", "nom (NOM_USAGE ou NOM_DE_FAMILLE) manquant, élève ignoré.")
    if not first_name:
        return problem("missing_first_name", "prénom (PRENOM) manquant, élève ignoré.")
    dates: dict[str, date | None] = {}
    for tag, label in (("DATE_NAISS", "date de naissance"), ("DATE_SORTIE", "date de sortie")):
        raw = _clean(element.findtext(tag))
        try:
            dates[tag] = _parse_dmy(raw)
        except ValueError:
            return problem("bad_date", f"{label} « {raw} » invalide (attendu jj/mm/aaaa), élève ignoré.")
    memberships = structures.get(eleve_id, [])
    divisions = _unique(code for code, kind in memberships if kind == DIVISION)
    if len(divisions) > 1:
        return problem(
            "several_divisions",
            f"plusieurs divisions ({', '.join(divisions)}) au lieu d'une, élève ignoré.",
        )
    pupil = SieclePupil(
        eleve_id=eleve_id,
        last_name=last_name,
        first_name=first_name,
        birth_date=dates["DATE_NAISS"],
        class_name=divisions[0] if divisions else "",
        left_on=dates["DATE_SORTIE"],
        groups=tuple(_unique(code for code, kind in memberships if kind == GROUP)),
    )
    return pupil, None


def _structures(root: etree._Element) -> dict[str, list[tuple[str, str]]]:
    """``ELEVE_ID`` → ``[(CODE_STRUCTURE, TYPE_STRUCTURE), …]``, in file order."""
    memberships: dict[str, list[tuple[str, str]]] = {}
    for block in root.iterfind("DONNEES/STRUCTURES/STRUCTURES_ELEVE"):
        eleve_id = _clean(block.get("ELEVE_ID"))
        for structure in block.iterfind("STRUCTURE"):
            code = _clean(structure.findtext("CODE_STRUCTURE"))
            kind = _clean(structure.findtext("TYPE_STRUCTURE")).upper()
            if eleve_id and code:
                memberships.setdefault(eleve_id, []).append((code, kind))
    return memberships


def _uai(root: etree._Element) -> str:
    """``<UAJ>0750001A</UAJ>`` as SIECLE writes it; ``<UAJ CODE="…"/>`` (the STS habit) too."""
    element = root.find("PARAMETRES/UAJ")
    if element is None:
        return ""
    return (_clean(element.text) or _clean(element.get("CODE"))).upper()


def _parse_dmy(raw: str) -> date | None:
    if not raw:
        return None
    match = _DMY.match(raw)
    if not match:
        raise ValueError(raw)
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def _clean(text: str | None) -> str:
    """Collapse the spaces and line breaks that exports leave around and inside values."""
    return " ".join((text or "").split())


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
