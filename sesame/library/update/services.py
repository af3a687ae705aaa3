"""The borrower update from the ENT file ("Gestion du prêt › Gestion des emprunteurs › Mettre à jour").

Seed C, made safe. Every change of a run is one service, one transaction, one line in the
library's journal with the librarian who made it:

- ``update_analyse`` reads the file, checks the expression and records an analysed run, which
  keeps the file and the librarian's choices (the plan itself is recomputed whenever needed by
  ``selectors.update_plan``: it is pure and fast);
- ``update_decide`` records the answers of the homonym window, on suggestions and on guards;
- ``update_reanalyse`` analyses the same file again on the base as it is now, keeping the
  decisions, and abandons the old run; ``update_abandon`` closes a run nobody will import;
- ``update_apply`` imports everything in one durable transaction after checking that the base is
  still the one analysed;
- ``update_undo`` puts the base back exactly as it was before the last import.

Nothing here deletes a borrower with a loan: the plan never proposes it and the database refuses
it. Refusals are ``UpdateRefused(message, code)``, translated, and change nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sesame.core import clock
from sesame.library.common.audit import actor_of, event_record
from sesame.library.models import Borrower, EventAction, Library, UpdateRun
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.journal import JournalMismatch, journal_undo, plan_execute
from sesame.library.update.selectors import Analysis, update_last_applied, update_plan
from sesame.library.update.snapshot import base_state, library_fingerprint
from sesame.sync import ExistingBorrower, SuggestionKey, apply_plan_in_memory, report_rows, report_rtf

BASE_CHANGED = gettext_lazy(
    "La base des emprunteurs a changé depuis l'analyse (une autre mise à jour, un prêt ou une "
    "modification). Relancez l'analyse avant l'importation.")


def _require_state(run: UpdateRun, state: str) -> None:
    if run.state != state:
        raise UpdateRefused(
            _("Cette mise à jour est déjà %(state)s ; relancez une analyse.") % {
                "state": run.get_state_display()},
            "wrong_state",
        )


def _locked(run: UpdateRun) -> UpdateRun:
    return UpdateRun.objects.select_for_update().get(pk=run.pk)


def _run_event(run: UpdateRun, action: str, *, acting_user, now: datetime, detail: str, **data) -> None:
    """One journal line about a run: ``data["run"]`` is how its report finds who imported it."""
    event_record(library=run.library, action=action, acting_user=acting_user, now=now,
                 detail=f"mise à jour n° {run.pk} {detail}", data={"run": run.pk, **data})


# --- Analysis and decisions ------------------------------------------------------------------------


def _analysed(
    *, library: Library, file_name: str, content: bytes, lot_expression: str, anonymize_history: bool,
    acting_user, resolutions: Mapping[str, int | None] | None = None,
    suggestion_decisions: Mapping[str, str] | None = None,
) -> Analysis:
    """A new run (not saved yet) and its plan; refusals (file, expression) are raised here."""
    run = UpdateRun(
        library=library, created_by=actor_of(acting_user),
        file_name=file_name[:255], file_sha256=hashlib.sha256(content).hexdigest(), file_content=content,
        lot_expression=lot_expression.strip(), options={"anonymize_history": anonymize_history},
        resolutions=dict(resolutions or {}), suggestion_decisions=dict(suggestion_decisions or {}),
    )
    analysis = update_plan(run=run)
    run.base_fingerprint = analysis.fingerprint
    run.plan = analysis.plan.to_json()
    return analysis


def _record_analysis(analysis: Analysis, *, acting_user, now: datetime, **data) -> None:
    """Save the run of an analysis, dated by the clock like the imports it is compared with."""
    run = analysis.run
    run.save()
    UpdateRun.objects.filter(pk=run.pk).update(created_at=now)  # ``auto_now_add`` reads the real time
    run.created_at = now
    _run_event(run, EventAction.UPDATE_ANALYSE, acting_user=acting_user, now=now,
               detail=f"analysée : {len(analysis.users_file.people)} personne(s) dans le fichier, "
                      f"lot de {analysis.lot_size} emprunteur(s)",
               counts=analysis.plan.counts, **data)


def update_analyse(
    *, library: Library, file_name: str, content: bytes, lot_expression: str = "",
    anonymize_history: bool = True, acting_user, now: datetime | None = None,
) -> Analysis:
    """Read the file, check the expression, and record an analysed run. Refusals change nothing."""
    now = now or clock.now()
    analysis = _analysed(library=library, file_name=file_name, content=content, lot_expression=lot_expression,
                         anonymize_history=anonymize_history, acting_user=acting_user)
    with transaction.atomic():
        _record_analysis(analysis, acting_user=acting_user, now=now)
    return analysis


def update_decide(
    *, run: UpdateRun, resolutions: Mapping[str, int | None] | None = None,
    suggestion_decisions: Mapping[SuggestionKey, str] | None = None,
    confirmed_guards: list[str] | None = None, acting_user, now: datetime | None = None,
) -> UpdateRun:
    """Record the librarian's answers in the homonym window, on suggestions and on guards.

    ``suggestion_decisions`` maps a suggestion to ``accepted``, ``rejected`` or ``pending`` (going
    back on a decision). The run given is brought up to date too, so a caller may go on with it.
    """
    now = now or clock.now()
    with transaction.atomic():
        locked = _locked(run)
        _require_state(locked, UpdateRun.State.ANALYSED)
        decided = []
        if resolutions is not None:
            locked.resolutions = {**locked.resolutions, **resolutions}
            decided.append(f"{len(resolutions)} résolution(s) d'homonymes")
        if suggestion_decisions is not None:
            written = {key.key(): verdict for key, verdict in suggestion_decisions.items()}
            locked.suggestion_decisions = {**locked.suggestion_decisions, **written}
            decided.append(f"{len(written)} décision(s) sur les suggestions")
        if confirmed_guards is not None:
            locked.options = {**locked.options, "confirmed_guards": sorted(set(confirmed_guards))}
            decided.append("confirmations : " + (", ".join(sorted(set(confirmed_guards))) or "aucune"))
        locked.save(update_fields=["resolutions", "suggestion_decisions", "options"])
        _run_event(locked, EventAction.UPDATE_DECIDE, acting_user=acting_user, now=now,
                   detail=": " + " ; ".join(decided), resolutions=dict(resolutions or {}),
                   suggestions={key.key(): verdict for key, verdict in (suggestion_decisions or {}).items()},
                   confirmed_guards=sorted(set(confirmed_guards or [])))
    run.resolutions, run.suggestion_decisions, run.options = (
        locked.resolutions, locked.suggestion_decisions, locked.options)
    return run


def update_abandon(*, run: UpdateRun, acting_user, now: datetime | None = None, **data) -> UpdateRun:
    """Close an analysed run nobody will import: it leaves the dashboard's "last update".

    ``data`` is added to the journal line (the run that replaces it, say).
    """
    now = now or clock.now()
    with transaction.atomic():
        locked = _locked(run)
        _require_state(locked, UpdateRun.State.ANALYSED)
        locked.state = UpdateRun.State.ABANDONED
        locked.save(update_fields=["state"])
        _run_event(locked, EventAction.UPDATE_ABANDON, acting_user=acting_user, now=now, detail="abandonnée",
                   **data)
    run.state = locked.state
    return run


def update_reanalyse(*, run: UpdateRun, acting_user, now: datetime | None = None) -> Analysis:
    """The same file analysed again on the base as it is now, keeping the decisions already taken.

    The import refuses a plan made on another state of the base; in a CDI a loan or a return is
    enough to change it, so redoing the analysis must not cost the librarian her decisions on
    homonyms and suggestions. Guard confirmations are not carried over: they were given for the
    removals of the old plan, and the new one may remove others. The new run and the old one's
    abandon are one transaction: never two runs open for one file, never none.
    """
    now = now or clock.now()
    analysis = _analysed(
        library=run.library, file_name=run.file_name, content=bytes(run.file_content),
        lot_expression=run.lot_expression, anonymize_history=run.options.get("anonymize_history", True),
        acting_user=acting_user, resolutions=run.resolutions, suggestion_decisions=run.suggestion_decisions,
    )
    with transaction.atomic():
        _require_state(_locked(run), UpdateRun.State.ANALYSED)
        _record_analysis(analysis, acting_user=acting_user, now=now, replaces=run.pk)
        update_abandon(run=run, acting_user=acting_user, now=now, replaced_by=analysis.run.pk)
    return analysis


# --- Import and undo --------------------------------------------------------------------------------


def update_apply(
    *, run: UpdateRun, acting_user, confirmed_guards=frozenset(), now: datetime | None = None,
) -> UpdateRun:
    """*Importation*: all changes in one durable transaction, then the report.

    The library row is locked, so a second import of the same establishment waits and then finds
    the base changed; the plan is recomputed from the base inside the transaction and refused if
    the base is not the one the librarian analysed. The journal line names who imported, who may
    not be who analysed (``run.created_by``).
    """
    now = now or clock.now()
    with transaction.atomic(durable=True):
        library = Library.objects.select_for_update().get(pk=run.library_id)
        run = _locked(run)
        _require_state(run, UpdateRun.State.ANALYSED)
        analysis = update_plan(run=run, final=True, confirmed_guards=confirmed_guards)
        if analysis.fingerprint != run.base_fingerprint:
            raise UpdateRefused(BASE_CHANGED, "base_changed")
        _refuse_if_superseded(run)
        blocking = analysis.plan.blocking_guards
        if blocking:
            raise UpdateRefused(" ".join(guard.message for guard in blocking), "needs_confirmation")
        try:
            journal = plan_execute(library=library, plan=analysis.plan, now=now,
                                   anonymize_history=run.options.get("anonymize_history", True))
        except ProtectedError as error:
            # A loan made at this very moment to a borrower the plan deletes: the database keeps
            # the loan, and the whole import is rolled back.
            raise UpdateRefused(BASE_CHANGED, "base_changed") from error
        after, run.applied_fingerprint = base_state(library=library, lot=None)
        _check_preview(analysis, after)
        _report(run, analysis, library=library, journal=journal, now=now)
        run.save()
        counts = analysis.plan.counts
        _run_event(run, EventAction.UPDATE_IMPORT, acting_user=acting_user, now=now, counts=counts,
                   detail=f"importée : {counts['new']} nouveau(x), {counts['updated']} mis à jour, "
                          f"{counts['deleted']} supprimé(s), {counts['set_aside']} mis à l'écart")
    return run


def _report(run: UpdateRun, analysis: Analysis, *, library: Library, journal: dict, now: datetime) -> None:
    """The run as imported: its journal for the undo, its report rows and the RTF file."""
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
            _("L'importation ne donnait pas exactement le résultat annoncé par l'analyse : elle a été "
              "annulée et la base est inchangée. Relancez l'analyse ; si cela se reproduit, signalez-le."),
            "preview_mismatch",
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
            _("Une autre mise à jour des emprunteurs a été importée depuis cette analyse. "
              "Relancez l'analyse avant l'importation."),
            "superseded",
        )


def update_undo(*, library: Library, acting_user, now: datetime | None = None) -> UpdateRun:
    """"Annuler la dernière mise à jour": exactly the base before it, if nothing changed since."""
    now = now or clock.now()
    with transaction.atomic(durable=True):
        library = Library.objects.select_for_update().get(pk=library.pk)
        run = update_last_applied(library=library)
        if run is None:
            raise UpdateRefused(_("Aucune mise à jour importée à annuler."), "nothing_to_undo")
        changed = UpdateRefused(
            _("La base a été modifiée depuis cette mise à jour (prêts, retours ou fiches) : "
              "l'annulation restaurerait un état qui n'existe plus. Elle est refusée."),
            "base_changed",
        )
        if library_fingerprint(library=library) != run.applied_fingerprint:
            raise changed
        try:
            journal_undo(library=library, journal=run.journal)
        except JournalMismatch as error:
            raise changed from error
        run.state = UpdateRun.State.UNDONE
        run.undone_at = now
        run.save(update_fields=["state", "undone_at"])
        _run_event(run, EventAction.UPDATE_UNDO, acting_user=acting_user, now=now, detail="annulée")
    return run
