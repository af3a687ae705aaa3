"""The values the reader produces and the writer consumes.

Plain frozen dataclasses so that callers (the library sync, the ENT export, tests) can compare,
hash and log them without caring about XML. The wire names live in fields.py; nothing here knows
how a record is spelt in a file.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field


class Status(enum.StrEnum):
    """BCDI borrower status, with the spelling the writer uses.

    Producers disagree on accents (`Élève`, `Elève`, `Eleve`), so a status read from a file is kept
    as written in `UserRecord.status` and compared through `normalize_status`.
    """

    PUPIL = "Élève"
    TEACHER = "Enseignant"
    STAFF = "Personnel"
    PARENT = "Parent"
    GUEST = "Invité"
    OTHER = "Autre"


def _fold(text: str) -> str:
    """Lower-case, accent-free form, so that `ÉLÈVE`, `Elève` and ` eleve ` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_STATUS_BY_FOLDED: dict[str, Status] = {_fold(status.value): status for status in Status}


def normalize_status(raw: str) -> Status | None:
    """Map a status as written by any producer to its canonical value; None when unknown."""
    return _STATUS_BY_FOLDED.get(_fold(raw))


_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_birth_date(text: str) -> datetime.date | None:
    """dd/mm/yyyy as the format says; yyyy-mm-dd too, as some producers copy LDAP dates as they are.

    None when the text is not a real date (31/02/2013, "inconnue").
    """
    if len(text) == 10 and text[2] == text[5] == "/" and text.isascii():  # the usual case, fast
        day, month, year = text[:2], text[3:5], text[6:]
        if not (day + month + year).isdigit():
            return None
    elif match := _DATE_FR.fullmatch(text):
        day, month, year = match.groups()
    elif match := _DATE_ISO.fullmatch(text):
        year, month, day = match.groups()
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def format_birth_date(date: datetime.date | None) -> str:
    """dd/mm/yyyy, or an empty text when unknown."""
    return f"{date.day:02d}/{date.month:02d}/{date.year:04d}" if date else ""


@dataclass(frozen=True)
class UserRecord:
    """One person of the file (one `EMPRUNTEURS` element).

    `position` is the 1-based rank in the file so that problems and previews can point at it; it is 0
    for records built in code. The password is kept only so that a caller can decide to ignore it:
    it is excluded from repr() so that it never ends up in a log or a traceback.
    """

    name: str
    ent_identity: str
    status: str
    birth_date: datetime.date | None = None
    school_class: str = ""
    group: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    has_account: bool = True
    password: str = field(default="", repr=False)
    borrower_type: str = ""
    position: int = 0

    @property
    def canonical_status(self) -> Status | None:
        """The status as a `Status`, whatever its accents; None when the producer used another word."""
        return normalize_status(self.status)

    def with_position(self, position: int) -> UserRecord:
        """A copy at another rank, handy to compare records built in code with records read."""
        return dataclasses.replace(self, position=position)


@dataclass(frozen=True)
class RecordProblem:
    """Something wrong with one person (or, with position 0, with an element that is not a person).

    The rest of the file is still read: one bad person must not block the import of a whole school.
    """

    position: int
    line: int | None
    code: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class ReadResult:
    """Everything read from one file, for a preview screen or a sync."""

    records: tuple[UserRecord, ...]
    problems: tuple[RecordProblem, ...]
    encoding: str

    @property
    def statuses(self) -> dict[str, int]:
        """Number of people per status label (canonical label, or the raw text when unknown)."""
        counts = Counter(
            (record.canonical_status or record.status) for record in self.records
        )
        return {str(label): count for label, count in counts.most_common()}

    @property
    def classes(self) -> dict[str, int]:
        """Number of people per class, for the classes that appear (people without a class are left out)."""
        counts = Counter(record.school_class for record in self.records if record.school_class)
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting memory or time.

    The defaults are far above a real school (about 3,000 people, well under 1 MB) yet low enough
    that a crafted file is refused quickly.
    """

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 3
    max_field_chars: int = 1000
    max_records: int = 1_000_000


DEFAULT_LIMITS = Limits()
