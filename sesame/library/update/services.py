"""The borrower update from the ENT file ("Gestion du prêt › Gestion des emprunteurs › Mettre à jour").

Seed C, made safe: ``update_analyse`` reads the file and keeps it with the librarian's choices;
``update_plan`` recomputes the plan whenever needed (it is pure and fast); ``update_apply`` does
everything in one durable transaction after checking that the base is still the one analysed;
``update_undo`` puts the base back as it was before the last import. Nothing here deletes a
borrower with a loan: the plan never proposes it and the database refuses it.
"""

import dataclasses
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from sesame.library.borrowers.expressions import Expression, ExpressionError, parse_expression
from sesame.library.models import Borrower, Library, UpdateRun
from sesame.library.update.journal import JournalMismatch, journal_undo, plan_execute
from sesame.library.update.snapshot import base_state, library_fingerprint
from sesame.library.update.users_file import UsersFile, UsersFileError, users_file_read
from sesame.sync import (
    ExistingBorrower,
    PlanInputError,
    UpdateOptions,
    UpdatePlan,
    apply_plan_in_memory,
    plan_update,
    report_rows,
    report_rtf,
)

BASE_CHANGED = ("La base des emprunteurs a changé depuis l'analyse (une autre mise à jour, un prêt ou une "
                "modification). Relancez l'analyse avant l'importation.")


class UpdateRefused(Exception):
    """The update cannot go on as asked; ``message`` tells the librarian why, in French."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


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
        raise UpdateRefused(str(error), code="bad_expression") from error


def _options(run: UpdateRun, *, final: bool, confirmed_guards=frozenset()) -> UpdateOptions:
    decisions = run.suggestion_decisions
    def pairs(verdict: str) -> frozenset[tuple[int, str]]:
        chosen = (key for key, value in decisions.items() if value == verdict)
        return frozenset((int(key.split(":", 1)[0]), key.split(":", 1)[1]) for key in chosen)

    return UpdateOptions(
        resolutions={identity: borrower for identity, borrower in run.resolutions.items()},
        accepted_suggestions=pairs("accepted"),
        rejected_suggestions=pairs("rejected"),
        final=final,
        confirmed_guards=frozenset(confirmed_guards) | frozenset(run.options.get("confirmed_guards", [])),
    )


def plan_for(*, library: Library, content: bytes, lot_expression: str, options: UpdateOptions) -> Analysis:
    """Read, select the lot, plan: nothing is written (the command's preview uses this alone)."""
    try:
        users_file = users_file_read(content)
    except UsersFileError as error:
        raise UpdateRefused(error.message, code=error.code) from error
    lot = lot_parse(lot_expression)
    # The snapshot and the fingerprint come from the same rows: the fingerprint a run keeps is the
    # base its plan was made on, not a read taken a moment before or after it.
    snapshot, fingerprint = base_state(library=library, lot=lot)
    try:
        plan = plan_update(users_file.people, snapshot, options)
    except PlanInputError as error:
        # One ENT identity on two borrowers (or two people): nobody can say who is who, so it is
        # refused like an unusable file, before a run is even recorded.
        raise UpdateRefused(error.message, code="ambiguous_identities") from error
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


def update_analyse(
    *, library: Library, file_name: str, content: bytes, lot_expression: str = "",
    anonymize_history: bool = True, acting_user=None,
) -> Analysis:
    """Read the file, check the expression, and record an analysed run. Refusals change nothing."""
    run = UpdateRun(
        library=library, created_by=acting_user, file_name=file_name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(), file_content=content,
        lot_expression=lot_expression.strip(), options={"anonymize_history": anonymize_history},
    )
    analysis = update_plan(run=run)
    run.base_fingerprint = analysis.fingerprint
    run.plan = analysis.plan.to_json()
    run.save()
    return analysis


def update_decide(
    *, run: UpdateRun, resolutions: dict[str, int | None] | None = None,
    suggestion_decisions: dict[str, str] | None = None, confirmed_guards: list[str] | None = None,
) -> UpdateRun:
    """Record the librarian's answers in the homonym window, on suggestions and on guards."""
    _require_state(run, UpdateRun.State.ANALYSED)
    if resolutions is not None:
        run.resolutions = {**run.resolutions, **resolutions}
    if suggestion_decisions is not None:
        run.suggestion_decisions = {**run.suggestion_decisions, **suggestion_decisions}
    if confirmed_guards is not None:
        run.options = {**run.options, "confirmed_guards": sorted(set(confirmed_guards))}
    run.save(update_fields=["resolutions", "suggestion_decisions", "options"])
    return run


def _require_state(run: UpdateRun, state: str) -> None:
    if run.state != state:
        raise UpdateRefused(
            f"Cette mise à jour est déjà {run.get_state_display()} ; relancez une analyse.",
            code="wrong_state",
        )


def update_apply(*, run: UpdateRun, acting_user=None, confirmed_guards=frozenset()) -> UpdateRun:
    """*Importation*: all changes in one durable transaction, then the report.

    The library row is locked, so a second import of the same establishment waits and then finds
    the base changed; the plan is recomputed from the base inside the transaction and refused if
    the base is not the one the librarian analysed.
    """
    with transaction.atomic(durable=True):
        library = Library.objects.select_for_update().get(pk=run.library_id)
        run = UpdateRun.objects.select_for_update().get(pk=run.pk)
        _require_state(run, UpdateRun.State.ANALYSED)
        analysis = update_plan(run=run, final=True, confirmed_guards=confirmed_guards)
        if analysis.fingerprint != run.base_fingerprint:
            raise UpdateRefused(BASE_CHANGED, code="base_changed")
        _refuse_if_superseded(run)
        blocking = analysis.plan.blocking_guards
        if blocking:
            raise UpdateRefused(" ".join(guard.message for guard in blocking), code="needs_confirmation")
        try:
            journal = plan_execute(library=library, plan=analysis.plan,
                                   anonymize_history=run.options.get("anonymize_history", True))
        except ProtectedError as error:
            # A loan made at this very moment to a borrower the plan deletes: the database keeps
            # the loan, and the whole import is rolled back.
            raise UpdateRefused(BASE_CHANGED, code="base_changed") from error
        after, run.applied_fingerprint = base_state(library=library, lot=None)
        _check_preview(analysis, after)
        now = timezone.now()
        # The report gives the numbers the new borrowers really received, read back from the base.
        new_numbers = dict(
            Borrower.objects.filter(pk__in=journal["created"]).values_list("ent_identity", "number")
        )
        run.state = UpdateRun.State.APPLIED
        run.applied_at = now
        run.journal = journal
        run.plan = analysis.plan.to_json()
        run.report = {"rows": [row.__dict__ for row in report_rows(analysis.plan, new_numbers=new_numbers)],
                      "counts": analysis.plan.counts}
        run.report_rtf = report_rtf(
            analysis.plan, library_name=library.name, uai=library.uai, when=timezone.localtime(now),
            file_name=run.file_name, lot_expression=run.lot_expression, new_numbers=new_numbers,
        )
        run.created_by = run.created_by or acting_user
        run.save()
    return run


_COMPARED = ("number", "name", "status", "school_class", "birth_date", "email", "ent_identity",
             "borrower_type")


def _check_preview(analysis: Analysis, after: list[ExistingBorrower]) -> None:
    """The base after the import must be the one the plan announced (reliability anchors §2.3, 14).

    ``apply_plan_in_memory`` is the core's own statement of what the plan does; reading the base
    back and comparing costs one query, and turns any divergence between the preview and the
    import into a refusal that rolls everything back, instead of a base nobody analysed.
    """
    def rows(borrowers) -> list[tuple]:
        return sorted(tuple(getattr(borrower, name) for name in _COMPARED) for borrower in borrowers)

    if rows(after) != rows(apply_plan_in_memory(analysis.snapshot, analysis.plan)):
        raise UpdateRefused(
            "L'importation ne donnait pas exactement le résultat annoncé par l'analyse : elle a été "
            "annulée et la base est inchangée. Relancez l'analyse ; si cela se reproduit, signalez-le.",
            code="preview_mismatch",
        )


def _refuse_if_superseded(run: UpdateRun) -> None:
    """One update at a time per establishment: an analysis older than another import is stale.

    The fingerprint alone would let a second run through when the first changed nothing (a file
    imported twice, say); the librarian would then read an analysis that no longer describes
    what happened last. Called with the library row locked, so two imports cannot both pass.
    """
    later = UpdateRun.objects.filter(library_id=run.library_id, applied_at__gte=run.created_at)
    if later.exclude(pk=run.pk).exists():
        raise UpdateRefused(
            "Une autre mise à jour des emprunteurs a été importée depuis cette analyse. "
            "Relancez l'analyse avant l'importation.",
            code="superseded",
        )


def update_last_applied(*, library: Library) -> UpdateRun | None:
    return (
        UpdateRun.objects.filter(library=library, state=UpdateRun.State.APPLIED)
        .order_by("-applied_at", "-pk").first()
    )


def update_undo(*, library: Library, acting_user=None) -> UpdateRun:
    """"Annuler la dernière mise à jour": exactly the base before it, if nothing changed since."""
    with transaction.atomic(durable=True):
        library = Library.objects.select_for_update().get(pk=library.pk)
        run = update_last_applied(library=library)
        if run is None:
            raise UpdateRefused("Aucune mise à jour importée à annuler.", code="nothing_to_undo")
        changed = UpdateRefused(
            "La base a été modifiée depuis cette mise à jour (prêts, retours ou fiches) : "
            "l'annulation restaurerait un état qui n'existe plus. Elle est refusée.",
            code="base_changed",
        )
        if library_fingerprint(library=library) != run.applied_fingerprint:
            raise changed
        try:
            journal_undo(library=library, journal=run.journal)
        except JournalMismatch as error:
            raise changed from error
        run.state = UpdateRun.State.UNDONE
        run.undone_at = timezone.now()
        run.save(update_fields=["state", "undone_at"])
    return run
