"""Read the local CSV of parents and local staff (SPEC §1, "a CSV import for parents and local staff").

SIECLE and STS cover pupils and national staff; everyone else (parents, contract staff, a
teacher not yet in STS) is typed in by the school, usually in a spreadsheet saved as CSV. The file
is UTF-8 (a spreadsheet's byte-order mark is fine), ``;``-separated, with exactly these columns::

    profil;nom;prenom;date_naissance;mel;fonction;identifiant_ent;enfants

This module only reads and checks the file: no database. Every problem is reported with its line
number, so the person can fix the whole file at once; the import command refuses a file with any
problem, because a half-imported list of parents is worse than none. Checks that need the
directory (do the children exist?) are done by the command, with the same line numbers.
"""

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

COLUMNS = (
    "profil", "nom", "prenom", "date_naissance", "mel", "fonction", "identifiant_ent", "enfants",
)
PROFILES = ("parent", "personnel", "enseignant")
FUNCTIONS = ("CPE", "DIRECTEUR", "SECRETAIRE", "ADMIN", "CDI")
SOURCE_PREFIX = "CSV"
# Person.source_key and Person.ent_identity lengths.
SOURCE_KEY_MAX = 80
ENT_IDENTITY_MAX = 64

_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_IDENTITY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class CsvPerson:
    """One valid line of the file; ``profile`` is one of ``PROFILES``, ``function`` one of ``FUNCTIONS``."""

    line: int
    profile: str
    last_name: str
    first_name: str
    birth_date: date | None
    email: str
    function: str
    ent_identity: str
    children: tuple[str, ...] = field(default=())

    @property
    def source_key(self) -> str:
        """What makes a re-import update this person rather than add a second one.

        The ENT identity when the school gives one; otherwise profile, names and birth date,
        normalised so that a change of case or accents in the spreadsheet is the same person.
        """
        if self.ent_identity:
            return f"{SOURCE_PREFIX}:{self.ent_identity}"
        parts = [self.profile, _key_part(self.last_name), _key_part(self.first_name),
                 self.birth_date.isoformat() if self.birth_date else ""]
        key = ":".join([SOURCE_PREFIX, *parts])
        if len(key) > SOURCE_KEY_MAX:
            digest = hashlib.sha256(key.encode()).hexdigest()[:16]
            key = f"{key[:SOURCE_KEY_MAX - 17]}:{digest}"
        return key


@dataclass(frozen=True)
class CsvProblem:
    """One reason to refuse the file; ``message`` is the French sentence, line number included."""

    line: int
    message: str


@dataclass(frozen=True)
class PeopleCsv:
    people: tuple[CsvPerson, ...]
    problems: tuple[CsvProblem, ...]


def problem(line: int, detail: str) -> CsvProblem:
    """``Ligne 4 : <detail>`` — the one shape of every message about this file."""
    return CsvProblem(line, f"Ligne {line} : {detail}")


def read_people_csv(data: bytes) -> PeopleCsv:
    """Every line of the file checked; the file is usable only if ``problems`` is empty."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return PeopleCsv((), (problem(
            line, "le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis le tableur)."
        ),))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        return PeopleCsv((), (problem(1, "le fichier est vide, la ligne d'en-tête manque."),))
    except csv.Error as exc:
        return PeopleCsv((), (problem(1, f"ligne d'en-tête illisible ({exc})."),))
    positions, header_problems = _read_header(header)
    if header_problems:
        return PeopleCsv((), tuple(header_problems))

    people: list[CsvPerson] = []
    problems: list[CsvProblem] = []
    first_line_of: dict[str, int] = {}
    try:
        for fields in reader:
            line = reader.line_num
            if not any(value.strip() for value in fields):
                continue
            if len(fields) != len(COLUMNS):
                problems.append(problem(line, f"{len(fields)} champ(s) au lieu de {len(COLUMNS)}."))
                continue
            values = {name: fields[index].strip() for name, index in positions.items()}
            person, row_problems = _read_row(line, values)
            problems.extend(row_problems)
            if person is None:
                continue
            earlier = first_line_of.setdefault(person.source_key, line)
            if earlier != line:
                problems.append(problem(line, f"même personne qu'à la ligne {earlier}."))
                continue
            people.append(person)
    except csv.Error as exc:
        problems.append(problem(reader.line_num, f"ligne illisible ({exc})."))
    if not people and not problems:
        problems.append(problem(1, "le fichier ne contient personne (seulement l'en-tête)."))
    return PeopleCsv(tuple(people), tuple(problems))


def _read_header(header: list[str]) -> tuple[dict[str, int], list[CsvProblem]]:
    """Column positions by name, tolerant of case, accents and spaces; every mismatch reported."""
    names = [_fold(name) for name in header]
    problems: list[CsvProblem] = []
    missing = [name for name in COLUMNS if name not in names]
    unknown = [raw.strip() for raw, name in zip(header, names, strict=True) if name not in COLUMNS]
    doubled = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if missing:
        hint = " (le séparateur doit être « ; »)" if len(header) == 1 and "," in header[0] else ""
        problems.append(problem(1, f"colonne(s) manquante(s) : {', '.join(missing)}{hint}."))
    if unknown:
        problems.append(problem(1, f"colonne(s) inconnue(s) : {', '.join(unknown)}."))
    if doubled:
        problems.append(problem(1, f"colonne(s) en double : {', '.join(doubled)}."))
    if problems:
        problems.append(problem(1, f"en-tête attendu : {';'.join(COLUMNS)}."))
        return {}, problems
    return {name: names.index(name) for name in COLUMNS}, []


def _read_row(line: int, values: dict[str, str]) -> tuple[CsvPerson | None, list[CsvProblem]]:
    problems: list[CsvProblem] = []
    profile = _fold(values["profil"])
    if profile not in PROFILES:
        problems.append(problem(
            line, f"profil « {values['profil']} » inconnu (attendu parent, personnel ou enseignant)."
        ))
    last_name = " ".join(values["nom"].split())
    first_name = " ".join(values["prenom"].split())
    if not last_name:
        problems.append(problem(line, "nom manquant."))
    if not first_name:
        problems.append(problem(line, "prénom manquant."))
    birth_date = None
    raw_date = values["date_naissance"]
    if raw_date:
        birth_date = _parse_dmy(raw_date)
        if birth_date is None:
            problems.append(problem(
                line, f"date de naissance « {raw_date} » invalide (attendu jj/mm/aaaa)."
            ))
    email = values["mel"]
    if email and not _EMAIL.match(email):
        problems.append(problem(line, f"adresse électronique « {email} » invalide."))
    function = _fold(values["fonction"]).upper()
    if function and function not in FUNCTIONS:
        problems.append(problem(
            line, f"fonction « {values['fonction']} » inconnue (attendu {', '.join(FUNCTIONS)} ou vide)."
        ))
    elif function and profile in PROFILES and profile != "personnel":
        problems.append(problem(line, "une fonction ne se donne qu'à un profil « personnel »."))
    ent_identity = values["identifiant_ent"]
    if ent_identity and (len(ent_identity) > ENT_IDENTITY_MAX or not _IDENTITY.match(ent_identity)):
        problems.append(problem(
            line, f"identifiant ENT « {ent_identity} » invalide (lettres, chiffres, « . », « _ », « - », "
            f"{ENT_IDENTITY_MAX} caractères au plus)."
        ))
    children = tuple(dict.fromkeys(part.strip() for part in values["enfants"].split(",") if part.strip()))
    if children and profile in PROFILES and profile != "parent":
        problems.append(problem(line, "seul un profil « parent » peut avoir des enfants."))
    if problems:
        return None, problems
    person = CsvPerson(
        line=line, profile=profile, last_name=last_name, first_name=first_name, birth_date=birth_date,
        email=email, function=function, ent_identity=ent_identity, children=children,
    )
    return person, []


def _parse_dmy(raw: str) -> date | None:
    match = _DMY.match(raw)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _fold(text: str) -> str:
    """Lower-case ASCII without accents or spaces around: ``Enseignant ``, ``Prénom`` → ``prenom``."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def _key_part(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")
