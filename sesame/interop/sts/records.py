"""What Sésame keeps of an STS-web staff export (``STS_EDT``): plain frozen values."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class StsPerson:
    """One member of staff as STS-web describes them.

    ``function`` is STS's raw ``FONCTION`` code (``ENS`` teacher, ``DIR`` management, ``EDU`` CPE,
    ``DOC`` librarian, ``ADF`` administration…): turning it into an ENT profile is the ENT's
    business, not the reader's.
    """

    sts_id: str
    kind: str
    last_name: str
    first_name: str
    birth_date: date | None
    function: str


@dataclass(frozen=True)
class StsProblem:
    """A person the reader had to leave out, and why, in French for the person importing."""

    position: int
    sts_id: str
    code: str
    message: str


@dataclass(frozen=True)
class StsFile:
    """The whole export: the school it names (if any), its year, the people and the problems."""

    uai: str
    school_year: str
    people: tuple[StsPerson, ...]
    problems: tuple[StsProblem, ...] = field(default=())
