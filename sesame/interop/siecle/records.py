"""What Sésame keeps of a SIECLE pupils export (``BEE_ELEVES``): plain frozen values."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SieclePupil:
    """One pupil, with the names the ENT shows (usage name first) and their division.

    ``class_name`` is the division (``TYPE_STRUCTURE`` ``D``); groups (``G``) are kept apart in
    ``groups`` because a pupil belongs to one class but may follow several groups.
    """

    eleve_id: str
    last_name: str
    first_name: str
    birth_date: date | None
    class_name: str
    left_on: date | None
    groups: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SiecleProblem:
    """A pupil the reader had to leave out, and why, in French for the person importing."""

    position: int
    eleve_id: str
    code: str
    message: str


@dataclass(frozen=True)
class SieclePupilsFile:
    """The whole export: the school it describes, its year, the usable pupils and the problems."""

    uai: str
    school_year: str
    pupils: tuple[SieclePupil, ...]
    problems: tuple[SiecleProblem, ...] = field(default=())
