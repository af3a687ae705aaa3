"""Read the CSV files that move an existing library to Sésame: borrowers and open loans (SPEC §2).

A school arrives with years of borrowers typed by hand in another system, and with books still
out. Both files are UTF-8 (a spreadsheet's byte-order mark is fine), ``;``-separated, with these
columns (a contract: other tools write these files)::

    numero;emprunteur;statut;classe;date_naissance;identite_ent;type_emprunteur;mel
    numero_emprunteur;code_barre;titre;date_pret;date_retour_prevue

Values are kept as they were typed (``DUPONT, Marie``, ``Mme MARTIN``, an empty status): the
migration moves the base, it does not correct it; the first update from the ENT file is where
names are compared and statuses checked. What cannot be stored faithfully (an impossible date,
a number given twice) is refused.

This module only reads and checks: no database. Every problem is reported with its line number so
the librarian can fix the whole file at once; the import commands refuse a file with any problem,
because a half-migrated base is worse than none. Checks that need the base (numbers already
used, unknown borrowers) are made by the commands, with the same line numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

BORROWER_COLUMNS = (
    "numero", "emprunteur", "statut", "classe", "date_naissance", "identite_ent", "type_emprunteur", "mel",
)
LOAN_COLUMNS = ("numero_emprunteur", "code_barre", "titre", "date_pret", "date_retour_prevue")

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
# Files bigger than this are not a school library: refuse before reading them.
MAX_FILE_BYTES = 32 * 1024 * 1024

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


class MigrationFileError(Exception):
    """The file cannot be read at all; ``str()`` is the French reason."""


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


@dataclass(frozen=True)
class BorrowersCsv:
    rows: tuple[BorrowerRow, ...]
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True)
class LoansCsv:
    rows: tuple[LoanRow, ...]
    problems: tuple[RowProblem, ...]


def read_file(path: str | Path) -> bytes:
    """The file's bytes, or ``MigrationFileError`` saying in French why it cannot be read."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise MigrationFileError(
                f"Le fichier « {path} » est trop volumineux ({size / 1_048_576:.0f} Mo) : "
                f"la limite est de {MAX_FILE_BYTES // 1_048_576} Mo."
            )
        return file.read_bytes()
    except FileNotFoundError as exc:
        raise MigrationFileError(f"Fichier introuvable : « {path} ».") from exc
    except IsADirectoryError as exc:
        raise MigrationFileError(f"« {path} » est un dossier, pas un fichier.") from exc
    except OSError as exc:
        raise MigrationFileError(f"Impossible de lire le fichier « {path} » ({exc.strerror}).") from exc


def read_borrowers_csv(data: bytes) -> BorrowersCsv:
    """Every borrower line checked; the file is usable only if ``problems`` is empty."""
    rows: list[BorrowerRow] = []
    problems: list[RowProblem] = []
    line_of_number: dict[int, int] = {}
    line_of_identity: dict[str, int] = {}
    for line, values in _records(data, BORROWER_COLUMNS, problems):
        row = _borrower_row(line, values, problems)
        if row is None:
            continue
        if row.number is not None:
            earlier = line_of_number.setdefault(row.number, line)
            if earlier != line:
                problems.append(problem(
                    line, f"numéro d'emprunteur {row.number} déjà donné à la ligne {earlier}."
                ))
                continue
        if row.ent_identity:
            earlier = line_of_identity.setdefault(row.ent_identity, line)
            if earlier != line:
                problems.append(problem(
                    line, f"identité ENT « {row.ent_identity} » déjà donnée à la ligne {earlier}."
                ))
                continue
        rows.append(row)
    if not rows and not problems:
        problems.append(problem(1, "le fichier ne contient aucun emprunteur (seulement l'en-tête)."))
    return BorrowersCsv(tuple(rows), tuple(problems))


def read_loans_csv(data: bytes) -> LoansCsv:
    """Every loan line checked; the file is usable only if ``problems`` is empty."""
    rows: list[LoanRow] = []
    problems: list[RowProblem] = []
    line_of_barcode: dict[str, int] = {}
    for line, values in _records(data, LOAN_COLUMNS, problems):
        row = _loan_row(line, values, problems)
        if row is None:
            continue
        earlier = line_of_barcode.setdefault(row.barcode, line)
        if earlier != line:
            problems.append(problem(
                line, f"l'exemplaire « {row.barcode} » est déjà prêté à la ligne {earlier} "
                      "(un exemplaire n'a qu'un prêt en cours)."
            ))
            continue
        rows.append(row)
    if not rows and not problems:
        problems.append(problem(1, "le fichier ne contient aucun prêt (seulement l'en-tête)."))
    return LoansCsv(tuple(rows), tuple(problems))


# --- Lines --------------------------------------------------------------------------------------


def _records(data: bytes, columns: tuple[str, ...], problems: list[RowProblem]):
    """``(line number, {column: stripped value})`` for each non-blank line; file-level problems
    (encoding, header, broken quoting) go to ``problems``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(problem(
            line, "le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis le tableur)."
        ))
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(problem(1, "le fichier est vide, la ligne d'en-tête manque."))
        return
    except csv.Error as exc:
        problems.append(problem(1, f"ligne d'en-tête illisible ({exc})."))
        return
    while header and not header[-1].strip():
        header.pop()
    positions = _header(header, columns, problems)
    if positions is None:
        return
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader goes on at the next line: every broken line is listed, not just the first.
            problems.append(problem(reader.line_num, f"ligne illisible ({_csv_reason(exc)})."))
            continue
        line = reader.line_num
        if not any(value.strip() for value in fields):
            continue
        if len(fields) < len(header) or any(value.strip() for value in fields[len(header):]):
            problems.append(problem(
                line, f"{len(fields)} champ(s) au lieu de {len(header)} (vérifiez les « ; » de la ligne)."
            ))
            continue
        yield line, {name: fields[index].strip() for name, index in positions.items()}


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's English reason, in words a librarian can act on."""
    reason = str(exc)
    if "expected after" in reason:
        return "guillemet mal placé : un texte entre guillemets doit être suivi de « ; »"
    if "unexpected end of data" in reason:
        return "guillemet ouvert jamais fermé"
    return reason


def _header(header: list[str], columns: tuple[str, ...], problems: list[RowProblem]) -> dict[str, int] | None:
    """Column positions by name, tolerant of case, accents and spaces; every mismatch reported.

    An empty trailing column name (a spreadsheet's last ``;``) is ignored.
    """
    names = [_column_name(name) for name in header]
    before = len(problems)
    missing = [name for name in columns if name not in names]
    unknown = [raw.strip() for raw, name in zip(header, names, strict=True) if name and name not in columns]
    doubled = sorted({name for name in names if name in columns and names.count(name) > 1})
    if missing:
        hint = " (le séparateur doit être « ; »)" if len(header) == 1 and "," in header[0] else ""
        problems.append(problem(1, f"colonne(s) manquante(s) : {', '.join(missing)}{hint}."))
    if unknown:
        problems.append(problem(1, f"colonne(s) inconnue(s) : {', '.join(unknown)}."))
    if doubled:
        problems.append(problem(1, f"colonne(s) en double : {', '.join(doubled)}."))
    if len(problems) > before:
        problems.append(problem(1, f"en-tête attendu : {';'.join(columns)}."))
        return None
    return {name: names.index(name) for name in columns}


def _borrower_row(line: int, values: dict[str, str], problems: list[RowProblem]) -> BorrowerRow | None:
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
        _fold(values["type_emprunteur"])
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


def _loan_row(line: int, values: dict[str, str], problems: list[RowProblem]) -> LoanRow | None:
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


def _fold(text: str) -> str:
    """Lower case without accents and with single spaces: ``Usager  Temporaire`` → ``usager temporaire``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(decomposed.encode("ascii", "ignore").decode("ascii").lower().split())


def _column_name(raw: str) -> str:
    """``Numéro``, `` date naissance`` and ``Date-Naissance`` all name their column."""
    return re.sub(r"[\s-]+", "_", _fold(raw))
