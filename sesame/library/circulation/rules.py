"""The loan rules: how long, how many and how often a borrower of one status may borrow, and what
an *usager temporaire* may not do at the desk (seed C7).

A rule is found by the borrower's Statut, folded as the update folds statuses; a library that
has none gets the usual CDI loan (``DEFAULT_RULE``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sesame.library.circulation.errors import CirculationRefused
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
    """"DUPONT Marie (n° 12)": a name and the number that tells two namesakes apart."""
    return _("%(name)s (n° %(number)s)") % {"name": borrower.name, "number": borrower.number}


# Seed C7: "Il n'est pas possible de faire des prêts ou des réservations à un usager temporaire.
# Les retours de prêt sont en revanche possibles." A renewal is a new loan period, so it is refused
# too. One sentence per operation, so that each translates as a whole.
_TEMPORARY_REFUSALS = {
    "checkout": gettext_noop("Prêt impossible : %(name)s est un usager temporaire (mis à l'écart lors de "
                             "la mise à jour). Les retours restent possibles."),
    "renew": gettext_noop("Prolongation impossible : %(name)s est un usager temporaire (mis à l'écart lors "
                          "de la mise à jour). Les retours restent possibles."),
    "reserve": gettext_noop("Réservation impossible : %(name)s est un usager temporaire (mis à l'écart "
                            "lors de la mise à jour)."),
}


def refuse_temporary(borrower: Borrower, *, operation: str) -> None:
    """Refuse (``temporary_user``) a loan, a renewal or a reservation for an *usager temporaire*.

    ``operation`` is ``checkout``, ``renew`` or ``reserve``; returns are never refused here.
    """
    if borrower.is_temporary:
        raise CirculationRefused(_(_TEMPORARY_REFUSALS[operation]) % {"name": borrower.name},
                                 "temporary_user")
