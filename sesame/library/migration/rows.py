"""One line of the migration files, checked: a borrower or an open loan, or why the line is refused.

Values are kept as they were typed (``DUPONT, Marie``, ``Mme MARTIN``, an empty status): the
migration moves the base, it does not correct it. What cannot be stored faithfully (an impossible
date, a value longer than its column, an unknown borrower type) is a ``RowProblem`` naming the
line, so the librarian can fix the whole file at once. Pure: no Django, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# The values of ``BorrowerType`` (kept literal here: this module does not import Django).
REGULAR = "Usager"
TEMPORARY = "Usager temporaire"

# Field lengths of the library models; a longer value could not be stored as typed.
NAME_MAX = 200
STATUS_MAX = 60
CLASS_MAX = 40
EMAIL_MAX = 254
IDENTITY_MAX = 64
BARCODE_MAX = 40
TITLE_MAX = 500
NUMBER_MAX = 2_147_483_647

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


@dataclass(frozen=True)
class RowProblem:
    """One reason to refuse the file; ``message`` is the French sentence, line number included."""

    line: int
    message: str


def problem(line: int, detail: str) -> RowProblem:
    """``Ligne 4 : <detail>`` — the one shape of every message about these files."""
    return RowProblem(line, f"Ligne {line} : {detail}")


@dataclass(frozen=True)
class BorrowerRow:
    """One valid borrower line. ``number`` is None when the file leaves it to the library."""

    line: int
    number: int | None
    name: str
    status: str
    school_class: str
    birth_date: date | None
    ent_identity: str
    borrower_type: str
    email: str


@dataclass(frozen=True)
class LoanRow:
    """One valid open loan line."""

    line: int
    borrower_number: int
    barcode: str
    title: str
    loaned_on: date
    due_on: date



def borrower_row(line: int, values: dict[str, str], problems: list[RowProblem]) -> BorrowerRow | None:
    before = len(problems)
    number = None
    if values["numero"]:
        number = _positive_integer(values["numero"])
        if number is None:
            problems.append(problem(
                line, f"numéro d'emprunteur « {values['numero']} » invalide (attendu un nombre entier "
                      "positif, ou rien pour prendre le numéro suivant)."
            ))
    name = _text(values["emprunteur"])
    if not name:
        problems.append(problem(line, "nom de l'emprunteur manquant (colonne emprunteur)."))
    _check_length(line, "nom de l'emprunteur", name, NAME_MAX, problems)
    status = _text(values["statut"])
    _check_length(line, "statut", status, STATUS_MAX, problems)
    school_class = _text(values["classe"])
    _check_length(line, "classe", school_class, CLASS_MAX, problems)
    birth_date = None
    if values["date_naissance"]:
        birth_date = _parse_dmy(values["date_naissance"])
        if birth_date is None:
            problems.append(problem(
                line, f"date de naissance « {values['date_naissance']} » invalide (attendu jj/mm/aaaa)."
            ))
    ent_identity = values["identite_ent"]
    if ent_identity and (len(ent_identity) > IDENTITY_MAX or any(c.isspace() for c in ent_identity)):
        problems.append(problem(
            line,
            f"identité ENT « {ent_identity} » invalide (sans espace, {IDENTITY_MAX} caractères au plus).",
        ))
    borrower_type = {"": REGULAR, "usager": REGULAR, "usager temporaire": TEMPORARY}.get(
        fold(values["type_emprunteur"])
    )
    if borrower_type is None:
        problems.append(problem(
            line, f"type d'emprunteur « {values['type_emprunteur']} » inconnu "
                  f"(attendu « {REGULAR} », « {TEMPORARY} » ou rien)."
        ))
    email = values["mel"]
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        problems.append(problem(line, f"adresse électronique « {email} » invalide."))
    if len(problems) > before:
        return None
    return BorrowerRow(
        line=line, number=number, name=name, status=status, school_class=school_class,
        birth_date=birth_date, ent_identity=ent_identity, borrower_type=borrower_type or REGULAR, email=email,
    )


def loan_row(line: int, values: dict[str, str], problems: list[RowProblem]) -> LoanRow | None:
    before = len(problems)
    borrower_number = _positive_integer(values["numero_emprunteur"])
    if not values["numero_emprunteur"]:
        problems.append(problem(line, "numéro d'emprunteur manquant."))
    elif borrower_number is None:
        problems.append(problem(
            line, f"numéro d'emprunteur « {values['numero_emprunteur']} » invalide (attendu un nombre entier "
                  "positif)."
        ))
    barcode = values["code_barre"]
    if not barcode:
        problems.append(problem(line, "code-barre manquant."))
    elif len(barcode) > BARCODE_MAX or any(c.isspace() for c in barcode):
        problems.append(problem(
            line, f"code-barre « {barcode} » invalide (sans espace, {BARCODE_MAX} caractères au plus)."
        ))
    title = _text(values["titre"])
    _check_length(line, "titre", title, TITLE_MAX, problems)
    loaned_on = _parse_iso(values["date_pret"])
    if loaned_on is None:
        problems.append(problem(
            line, f"date de prêt « {values['date_pret']} » invalide (attendu aaaa-mm-jj)."
        ))
    due_on = _parse_iso(values["date_retour_prevue"])
    if due_on is None:
        problems.append(problem(
            line, f"date de retour prévue « {values['date_retour_prevue']} » invalide (attendu aaaa-mm-jj)."
        ))
    if loaned_on and due_on and due_on < loaned_on:
        problems.append(problem(
            line, f"date de retour prévue « {values['date_retour_prevue']} » antérieure à la date de prêt "
                  f"« {values['date_pret']} »."
        ))
    if len(problems) > before or borrower_number is None or loaned_on is None or due_on is None:
        return None
    return LoanRow(line=line, borrower_number=borrower_number, barcode=barcode, title=title,
                   loaned_on=loaned_on, due_on=due_on)



# --- Values -------------------------------------------------------------------------------------


def _positive_integer(raw: str) -> int | None:
    if not raw.isascii() or not raw.isdigit():
        return None
    number = int(raw)
    return number if 0 < number <= NUMBER_MAX else None


def _parse_dmy(raw: str) -> date | None:
    match = _DMY.match(raw)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    return _date(year, month, day)


def _parse_iso(raw: str) -> date | None:
    match = _ISO.match(raw)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return _date(year, month, day)


def _date(year: int, month: int, day: int) -> date | None:
    """A real calendar date from this or the last century (a typo like 0211 is not a year)."""
    if year < 1900:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _text(raw: str) -> str:
    """One space between words: a spreadsheet's doubled or trailing spaces are not information."""
    return " ".join(raw.split())


def _check_length(line: int, label: str, value: str, limit: int, problems: list[RowProblem]) -> None:
    if len(value) > limit:
        problems.append(problem(line, f"{label} trop long ({len(value)} caractères, {limit} au plus)."))


def fold(text: str) -> str:
    """Lower case without accents and with single spaces: ``Usager  Temporaire`` → ``usager temporaire``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(decomposed.encode("ascii", "ignore").decode("ascii").lower().split())

