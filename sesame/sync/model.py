"""The values of the borrower update: what comes in, what the base holds, and the plan (SPEC §2).

Frozen dataclasses with tuples, so that a plan can be compared, hashed, logged and recomputed
after every decision of the librarian without any framework: the Django side loads a snapshot
of the base into ``ExistingBorrower`` rows, calls ``plan_update`` and carries out the plan.

The plan keeps BCDI's four groups (seed C, "Contrôler les modifications"): *nouveaux*,
*mis à jour* (of which *ambigus*, shown with a "?"), *supprimés*, *mis à l'écart*; plus what
Sésame adds: the homonym conflicts still to resolve, the suggestions still to decide, the
borrowers held until then, and the guards that stop an unusual file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

REGULAR = "Usager"
TEMPORARY = "Usager temporaire"

COUNT_KEYS = ("new", "updated", "ambiguous", "deleted", "set_aside", "conflicts", "suggestions")


class MatchedBy(StrEnum):
    """Why a person of the file was taken for a borrower of the base, strongest reason first."""

    IDENTITY = "identity"
    NAME_AND_BIRTH_DATE = "name_birth_date"
    NAME = "name"
    RESOLUTION = "resolution"
    SUGGESTION = "suggestion"


@dataclass(frozen=True)
class IncomingPerson:
    """One person of the users file (parents already left out, seed C)."""

    ent_identity: str
    name: str
    status: str
    school_class: str = ""
    birth_date: date | None = None
    email: str = ""
    position: int = 0


@dataclass(frozen=True)
class ExistingBorrower:
    """One borrower of the library base, as the snapshot read it.

    ``in_lot`` says whether the "Emprunteurs à mettre à jour" expression selects it: only those can
    be deleted or set aside (seed C, "Renouvellement des élèves").
    """

    borrower_id: int
    number: int
    name: str
    status: str = ""
    school_class: str = ""
    birth_date: date | None = None
    email: str = ""
    ent_identity: str = ""
    borrower_type: str = REGULAR
    open_loans: int = 0
    in_lot: bool = False


@dataclass(frozen=True)
class UpdateOptions:
    """The librarian's decisions and the thresholds of the guards.

    ``final`` is False for the analysis the librarian looks at, where a borrower awaiting a
    decision is held rather than deleted, and True for the plan that is imported, where pending
    decisions fall back on BCDI's behaviour (an unresolved homonym becomes a new record).
    """

    resolutions: Mapping[str, int | None] = field(default_factory=dict)
    accepted_suggestions: frozenset[SuggestionKey] = frozenset()
    rejected_suggestions: frozenset[SuggestionKey] = frozenset()
    final: bool = False
    confirmed_guards: frozenset[str] = frozenset()
    removal_share_limit: float = 0.40
    removal_count_floor: int = 20
    match_share_floor: float = 0.20
    suggestion_score_floor: float = 80.0


@dataclass(frozen=True)
class FieldChange:
    """One field of a borrower overwritten by the file; dates as dd/mm/yyyy, nothing as ""."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class NewBorrower:
    """A person who becomes a new borrower; ``status`` is the spelling the base will store."""

    person: IncomingPerson
    reason: str
    status: str = ""


@dataclass(frozen=True)
class BorrowerUpdate:
    """A match. ``changes`` is empty when the borrower already agrees with the file."""

    borrower_id: int
    number: int
    person: IncomingPerson
    matched_by: MatchedBy
    ambiguous: bool
    changes: tuple[FieldChange, ...]
    reason: str


@dataclass(frozen=True)
class BorrowerRemoval:
    """A borrower of the lot absent from the file: deleted, or set aside when it has open loans."""

    borrower_id: int
    number: int
    name: str
    open_loans: int
    reason: str


@dataclass(frozen=True)
class HomonymConflict:
    """Homonyms the update cannot pair alone (seed C, "Interface de résolution de doublons").

    ``kind`` is "several_borrowers" (case 1: one person, several borrowers), "several_people"
    (case 2) or "both".
    """

    name_key: str
    kind: str
    borrower_ids: tuple[int, ...]
    ent_identities: tuple[str, ...]
    borrower_numbers: tuple[int, ...] = ()


class SuggestionKey(NamedTuple):
    """Which suggestion a decision is about: a borrower of the base and a person of the file.

    The librarian's decisions are kept between requests (``UpdateRun.suggestion_decisions``, a
    JSON object) and posted by the analysis page, so the pair travels as text, ``"12:ENT0001"``:
    ``key()`` writes it and ``parse()`` reads it back, the one place that knows the format. The
    borrower id comes first and has no colon, so an identity may hold one. A tuple, so that the
    core's options may still be given plain ``(borrower_id, ent_identity)`` pairs.
    """

    borrower_id: int
    ent_identity: str

    def key(self) -> str:
        return f"{self.borrower_id}:{self.ent_identity}"

    @classmethod
    def parse(cls, text: str) -> SuggestionKey:
        """The pair written by ``key()``; ``ValueError`` for anything else."""
        borrower_id, separator, identity = str(text).partition(":")
        if not (separator and identity and borrower_id.isascii() and borrower_id.isdigit()):
            raise ValueError(f"not a suggestion key: {text!r}")
        return cls(int(borrower_id), identity)

    @classmethod
    def of(cls, suggestion: Suggestion) -> SuggestionKey:
        return cls(suggestion.borrower_id, suggestion.ent_identity)


@dataclass(frozen=True)
class Suggestion:
    """A "supprimé + nouveau" pair that is probably one person (SPEC §2, beyond BCDI)."""

    borrower_id: int
    number: int
    ent_identity: str
    score: float
    reason_code: str
    reason: str
    reason_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guard:
    """An unusual file stopped until confirmed (SPEC §2): codes "mass_removal", "low_match"."""

    code: str
    message: str
    confirmed: bool


@dataclass(frozen=True)
class UpdatePlan:
    """What the import will do, and why; the same input always gives the same plan.

    Counts: ``updated`` is the number of matches that change at least one field (BCDI's
    "mis à jour"); ``ambiguous`` the number of matches made on the name alone (BCDI's "dont …
    ambigus"). A name-only match always stores the ENT identity, so in practice the ambiguous
    are a subset of the updated; matches that change nothing are ``unchanged``.
    """

    new: tuple[NewBorrower, ...]
    updated: tuple[BorrowerUpdate, ...]
    deleted: tuple[BorrowerRemoval, ...]
    set_aside: tuple[BorrowerRemoval, ...]
    conflicts: tuple[HomonymConflict, ...]
    suggestions: tuple[Suggestion, ...]
    held: tuple[int, ...]
    guards: tuple[Guard, ...]

    @property
    def changed(self) -> tuple[BorrowerUpdate, ...]:
        return tuple(update for update in self.updated if update.changes)

    @property
    def ambiguous(self) -> tuple[BorrowerUpdate, ...]:
        return tuple(update for update in self.updated if update.ambiguous)

    @property
    def unchanged(self) -> tuple[BorrowerUpdate, ...]:
        return tuple(update for update in self.updated if not update.changes)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.changed),
            "ambiguous": len(self.ambiguous),
            "deleted": len(self.deleted),
            "set_aside": len(self.set_aside),
            "conflicts": len(self.conflicts),
            "suggestions": len(self.suggestions),
        }

    @property
    def blocking_guards(self) -> tuple[Guard, ...]:
        return tuple(guard for guard in self.guards if not guard.confirmed)

    @property
    def is_noop(self) -> bool:
        return not (self.new or self.changed or self.deleted or self.set_aside)

    def to_json(self) -> dict:
        """The plan as the CLI prints it and the run keeps it (a contract: keys do not change)."""
        return {
            "counts": self.counts,
            "new": [
                {"ent_identity": entry.person.ent_identity, "name": entry.person.name} for entry in self.new
            ],
            "updated": [
                {
                    "borrower_number": update.number,
                    "ent_identity": update.person.ent_identity,
                    "matched_by": str(update.matched_by),
                    "ambiguous": update.ambiguous,
                    "changes": {
                        change.field: {"old": change.old, "new": change.new} for change in update.changes
                    },
                }
                for update in self.updated
                if update.changes or update.ambiguous
            ],
            "deleted": [{"borrower_number": removal.number} for removal in self.deleted],
            "set_aside": [
                {"borrower_number": removal.number, "open_loans": removal.open_loans}
                for removal in self.set_aside
            ],
            "conflicts": [
                {
                    "borrower_numbers": list(conflict.borrower_numbers),
                    "ent_identities": list(conflict.ent_identities),
                }
                for conflict in self.conflicts
            ],
            "suggestions": [
                {
                    "borrower_number": suggestion.number,
                    "ent_identity": suggestion.ent_identity,
                    "score": suggestion.score,
                    "reason": suggestion.reason,
                }
                for suggestion in self.suggestions
            ],
        }
