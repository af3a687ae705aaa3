"""The loan rules: how long, how many and how often a borrower of one status may borrow.

A rule is found by the borrower's Statut, folded as the update folds statuses; a library that
has none gets the usual CDI loan (``DEFAULT_RULE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from sesame.library.models import Borrower, Library, LoanRule
from sesame.sync.normalize import fold

DATE_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class EffectiveRule:
    """The rule that applies to one borrower (a ``LoanRule`` row or the built-in default)."""

    loan_days: int
    max_loans: int
    renewals_allowed: int


# Used when a library has no rule at all: three weeks is the usual CDI loan (SPEC §2 leaves it
# to the school, which overrides it with a ``LoanRule`` whose status is empty).
DEFAULT_RULE = EffectiveRule(loan_days=21, max_loans=5, renewals_allowed=1)


def clock(today: date | None, now: datetime | None) -> tuple[date, datetime]:
    now = now or timezone.now()
    return today or timezone.localdate(now), now


def loan_rule_for(*, library: Library, status: str) -> EffectiveRule:
    """The rule for a status: same folded status first, else the library's default, else ours.

    A library has a handful of rules, so they are compared in Python with the same folding the
    update uses for statuses: "Elève", "ÉLÈVE" and "eleve" are one status.
    """
    wanted = fold(status)
    default = None
    for rule in LoanRule.objects.filter(library=library):
        folded = fold(rule.status)
        if folded and folded == wanted:
            return EffectiveRule(rule.loan_days, rule.max_loans, rule.renewals_allowed)
        if not folded:
            default = rule
    if default is not None:
        return EffectiveRule(default.loan_days, default.max_loans, default.renewals_allowed)
    return DEFAULT_RULE


def borrower_label(borrower: Borrower) -> str:
    return f"{borrower.name} (n° {borrower.number})"

