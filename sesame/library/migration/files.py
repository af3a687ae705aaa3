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

This module reads and checks the files (each line by ``rows``): no database. Every problem is
reported with its line number so the librarian can fix the whole file at once; the imports refuse
a file with any problem, because a half-migrated base is worse than none. Checks that need the
base (numbers already used, unknown borrowers) are made by ``services``, with the same line
numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sesame.library.migration.rows import (
    BorrowerRow,
    LoanRow,
    RowProblem,
    borrower_row,
    fold,
    loan_row,
    problem,
)

BORROWER_COLUMNS = (
    "numero", "emprunteur", "statut", "classe", "date_naissance", "identite_ent", "type_emprunteur", "mel",
)
LOAN_COLUMNS = ("numero_emprunteur", "code_barre", "titre", "date_pret", "date_retour_prevue")
# Files bigger than this are not a school library: refuse before reading them.
MAX_FILE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class BorrowersCsv:
    rows: tuple[BorrowerRow, ...]
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True)
class LoansCsv:
    rows: tuple[LoanRow, ...]
    problems: tuple[RowProblem, ...]



def read_borrowers_csv(data: bytes) -> BorrowersCsv:
    """Every borrower line checked; the file is usable only if ``problems`` is empty."""
    rows: list[BorrowerRow] = []
    problems: list[RowProblem] = []
    line_of_number: dict[int, int] = {}
    line_of_identity: dict[str, int] = {}
    for line, values in _records(data, BORROWER_COLUMNS, problems):
        row = borrower_row(line, values, problems)
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
        row = loan_row(line, values, problems)
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


def _column_name(raw: str) -> str:
    """``Numéro``, `` date naissance`` and ``Date-Naissance`` all name their column."""
    return re.sub(r"[\s-]+", "_", fold(raw))
