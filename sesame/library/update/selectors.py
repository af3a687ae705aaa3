"""Reads of the borrower update: the plan of a file on the base as it is, the runs, who did what.

``plan_for`` reads the file, selects the lot and plans: nothing is written, so the command's
preview, the analysis page (after every decision) and the import itself all call it; the plan
is pure and fast to recompute (performance anchors §1.3, item 2), the run keeps only the file
and the librarian's choices.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from sesame.library.borrowers.expressions import Expression, ExpressionError, parse_expression
from sesame.library.models import Borrower, EventAction, Library, LibraryEvent, UpdateRun
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.snapshot import base_state
from sesame.library.update.users_file import UsersFile, users_file_read
from sesame.sync import (
    ExistingBorrower,
    PlanInputError,
    SuggestionKey,
    UpdateOptions,
    UpdatePlan,
    plan_update,
)


@dataclass(frozen=True)
class Analysis:
    """A plan and what it was made from; ``fingerprint`` is the base the plan was computed on."""

    run: UpdateRun | None
    users_file: UsersFile
    plan: UpdatePlan
    lot_size: int
    fingerprint: str = ""
    snapshot: tuple[ExistingBorrower, ...] = ()


def lot_parse(text: str) -> Expression | None:
    """The "Emprunteurs à mettre à jour" expression, or None when left empty (nobody deleted)."""
    if not text.strip():
        return None
    try:
        return parse_expression(text)
    except ExpressionError as error:
        raise UpdateRefused(str(error), "bad_expression") from error


def suggestion_decisions(run: UpdateRun) -> dict[SuggestionKey, str]:
    """The librarian's decisions on suggestions, as the run keeps them (``key()`` → verdict)."""
    return {SuggestionKey.parse(key): verdict for key, verdict in run.suggestion_decisions.items()}


def _options(run: UpdateRun, *, final: bool, confirmed_guards=frozenset()) -> UpdateOptions:
    decisions = suggestion_decisions(run)

    def pairs(verdict: str) -> frozenset[SuggestionKey]:
        return frozenset(key for key, value in decisions.items() if value == verdict)

    return UpdateOptions(
        resolutions=dict(run.resolutions),
        accepted_suggestions=pairs("accepted"),
        rejected_suggestions=pairs("rejected"),
        final=final,
        confirmed_guards=frozenset(confirmed_guards) | frozenset(run.options.get("confirmed_guards", [])),
    )


def plan_for(*, library: Library, content: bytes, lot_expression: str, options: UpdateOptions) -> Analysis:
    """Read, select the lot, plan: nothing is written (the command's preview uses this alone)."""
    users_file = users_file_read(content)
    lot = lot_parse(lot_expression)
    # The snapshot and the fingerprint come from the same rows: the fingerprint a run keeps is the
    # base its plan was made on, not a read taken a moment before or after it.
    snapshot, fingerprint = base_state(library=library, lot=lot)
    try:
        plan = plan_update(users_file.people, snapshot, options)
    except PlanInputError as error:
        # One ENT identity on two borrowers (or two people): nobody can say who is who, so it is
        # refused like an unusable file, before a run is even recorded.
        raise UpdateRefused(error.message, "ambiguous_identities") from error
    return Analysis(run=None, users_file=users_file, plan=plan,
                    lot_size=sum(1 for borrower in snapshot if borrower.in_lot), fingerprint=fingerprint,
                    snapshot=tuple(snapshot))


def update_plan(*, run: UpdateRun, final: bool = False, confirmed_guards=frozenset()) -> Analysis:
    """The plan for a run as the base is now, with the decisions taken so far."""
    analysis = plan_for(
        library=run.library, content=bytes(run.file_content), lot_expression=run.lot_expression,
        options=_options(run, final=final, confirmed_guards=confirmed_guards),
    )
    return dataclasses.replace(analysis, run=run)


def update_run_of(*, library: Library, run_id: int) -> UpdateRun | None:
    """A run of this library only: another library's run is None, never its data."""
    return UpdateRun.objects.filter(pk=run_id, library=library).first()


def update_last_applied(*, library: Library) -> UpdateRun | None:
    """The last imported run, the only one "Annuler la dernière mise à jour" may undo."""
    return (
        UpdateRun.objects.filter(library=library, state=UpdateRun.State.APPLIED)
        .order_by("-applied_at", "-pk").first()
    )


def update_importer(*, run: UpdateRun):
    """Who clicked "Importation" for a run, from the journal; None for a command.

    Not ``run.created_by``: that is who analysed it, and another librarian may have imported it.
    A run imported before the journal recorded imports has no line: its analyst is shown, as then.
    """
    line = (LibraryEvent.objects.filter(library_id=run.library_id, action=EventAction.UPDATE_IMPORT,
                                        data__run=run.pk)
            .select_related("actor").order_by("-at", "-pk").first())
    return line.actor if line is not None else run.created_by


def borrowers_by_id(*, library: Library, ids: Iterable[int]) -> dict[int, Borrower]:
    """The borrowers a decision is about, with their open loans (what tells homonyms apart)."""
    rows = Borrower.objects.filter(library=library, pk__in=set(ids)).annotate(
        open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)))
    return {borrower.pk: borrower for borrower in rows}

