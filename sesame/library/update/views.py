"""The borrower update pages, step by step as seed C describes them.

"Avertissements préalables" → "Fichier d'importation" and "Emprunteurs à mettre à jour" →
"Analyse" (with the homonym window, the suggestions and the guards) → "Importation" → report,
and "Annuler la dernière mise à jour". The views only orchestrate: the work is done by the
services of ``update.py``, which refuse with a French message and change nothing when they refuse.

The analysis page shows the *final* plan, the one "Importation" carries out if clicked now, so
that "Après l'importation, il y aura" is true at every moment; what is still awaiting a decision
is marked in it and listed next to the button.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from sesame.library.common.tenancy import librarian_required
from sesame.library.models import Borrower, UpdateRun
from sesame.library.tools.backup import library_backup_bytes, library_backup_filename
from sesame.library.update.forms import (
    GuardForm,
    ResolutionForm,
    SuggestionForm,
    UndoForm,
    UpdateFileForm,
    UpdateStartForm,
)
from sesame.library.update.services import (
    UpdateRefused,
    lot_parse,
    update_analyse,
    update_apply,
    update_decide,
    update_last_applied,
    update_plan,
    update_undo,
)
from sesame.library.update.snapshot import library_fingerprint, lot_count
from sesame.sync import UpdatePlan
from sesame.sync.report import ADDED, DELETED, SET_ASIDE, UPDATED

_DEFAULT_CHOICES = {"backup": True, "anonymize": True}


def _choices_key(library) -> str:
    return f"library-update-choices-{library.uai}"


def _error_key(library) -> str:
    return f"library-update-error-{library.uai}"


def _flash_error(request, library, message: str) -> None:
    """Keep a refusal for the next page, which shows it in ``role=alert`` (messages are ``status``)."""
    request.session[_error_key(library)] = message


def _pop_error(request, library) -> str:
    return request.session.pop(_error_key(library), "")


def _run_of(library, run_id: int) -> UpdateRun:
    """A run of this library only: another library's run is a 404, never its data."""
    return get_object_or_404(UpdateRun, pk=run_id, library=library)


@librarian_required
def update_start(request, library):
    """"Avertissements préalables": back up the base, make loans anonymous, "Lancer la mise à jour"."""
    if request.method == "POST":
        form = UpdateStartForm(request.POST)
        if form.is_valid():
            request.session[_choices_key(library)] = {
                "backup": form.cleaned_data["backup"], "anonymize": form.cleaned_data["anonymize"],
            }
            return redirect("library:update_file", uai=library.uai)
    else:
        form = UpdateStartForm(initial=request.session.get(_choices_key(library), _DEFAULT_CHOICES))
    # The report of the last import is where it can be undone: the first page leads to it.
    context = {"library": library, "active": "update", "form": form,
               "last_applied": update_last_applied(library=library)}
    return render(request, "library/update/start.html", context)


@librarian_required
def update_backup(request, library):
    """"Télécharger la sauvegarde": the library's base as a JSON file the librarian keeps."""
    content = library_backup_bytes(library=library)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{library_backup_filename(library=library)}"'
    response["Cache-Control"] = "no-store"
    return response


def _count_message(library, expression: str) -> str:
    """"N emprunteurs sélectionnés" for the lot; raises ``UpdateRefused`` on a malformed expression."""
    lot = lot_parse(expression)
    if lot is None:
        return _("Aucune équation : aucun emprunteur ne sera supprimé ni mis à l'écart.")
    count = lot_count(library=library, lot=lot)
    return ngettext("%(count)d emprunteur sélectionné", "%(count)d emprunteurs sélectionnés", count) % {
        "count": count}


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@librarian_required
def update_file(request, library):
    """"Fichier d'importation", "Emprunteurs à mettre à jour" (with "Compter"), then "Analyse"."""
    choices = request.session.get(_choices_key(library))
    if choices is None:  # the warnings come first (seed C), even when the page is bookmarked
        return redirect("library:update_start", uai=library.uai)
    error, count_message = "", ""
    posted = request.method == "POST"
    form = UpdateFileForm(request.POST, request.FILES) if posted else UpdateFileForm()
    if posted:
        if not form.is_valid():
            error = " ".join(message for errors in form.errors.values() for message in errors)
        elif form.cleaned_data["action"] == UpdateFileForm.ACTION_COUNT:
            try:
                count_message = _count_message(library, form.cleaned_data["lot_expression"])
            except UpdateRefused as refusal:
                error = refusal.message
        else:
            upload = form.cleaned_data["users_file"]
            try:
                analysis = update_analyse(
                    library=library, file_name=upload.name, content=upload.read(),
                    lot_expression=form.cleaned_data["lot_expression"],
                    anonymize_history=choices["anonymize"], acting_user=request.user,
                )
            except UpdateRefused as refusal:
                error = refusal.message
            else:
                return redirect("library:update_run", uai=library.uai, run_id=analysis.run.pk)
        if _wants_json(request):
            answer = {"ok": not error, "message": error or count_message}
            return JsonResponse(answer, status=400 if error else 200)
    return render(request, "library/update/file.html", {
        "library": library, "active": "update", "form": form, "choices": choices, "error": error,
        "count_message": count_message,
    }, status=400 if error else 200)


def _borrowers_by_id(library, ids) -> dict[int, Borrower]:
    """The borrowers a decision is about, with their open loans (what tells homonyms apart)."""
    rows = Borrower.objects.filter(library=library, pk__in=set(ids)).annotate(
        open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)))
    return {borrower.pk: borrower for borrower in rows}


def _render_run(request, library, run: UpdateRun, *, error: str = "", status: int = 200):
    error = error or _pop_error(request, library)
    context = {"library": library, "active": "update", "run": run, "error": error}
    if run.state == UpdateRun.State.ANALYSED:
        try:
            analysis = update_plan(run=run, final=True)
        except UpdateRefused as refusal:
            context["error"] = refusal.message
        else:
            ids = [*(b for c in analysis.plan.conflicts for b in c.borrower_ids),
                   *(s.borrower_id for s in analysis.plan.suggestions),
                   *(int(key.split(":", 1)[0]) for key in run.suggestion_decisions),
                   *(b for b in run.resolutions.values() if b is not None)]
            context.update(analysis_context(run, analysis, _borrowers_by_id(library, ids)))
            context["base_changed"] = library_fingerprint(library=library) != run.base_fingerprint
    return render(request, "library/update/run.html", context, status=status)


@librarian_required
def update_run(request, library, run_id: int):
    """"Analyse", and the librarian's decisions on it (each POST records one and shows the new plan)."""
    run = _run_of(library, run_id)
    if request.method != "POST":
        return _render_run(request, library, run)
    if run.state != UpdateRun.State.ANALYSED:
        refusal = _("Cette mise à jour n'est plus modifiable.")
        return _render_run(request, library, run, error=refusal, status=409)
    action = request.POST.get("action", "")
    handlers = {"resolve": _decide_resolutions, "suggestion": _decide_suggestion, "guards": _decide_guards,
                "reanalyse": _reanalyse}
    handler = handlers.get(action)
    if handler is None:
        return _render_run(request, library, run, error=_("Action inconnue."), status=400)
    try:
        target = handler(request, library, run)
    except UpdateRefused as refusal:
        return _render_run(request, library, run, error=refusal.message, status=409)
    if isinstance(target, str):  # a message for the librarian: the choice was not valid
        return _render_run(request, library, run, error=target, status=400)
    return redirect("library:update_run", uai=library.uai, run_id=target.pk)


def _decide_resolutions(request, library, run):
    """"Valider les résolutions" of the homonym window."""
    plan = update_plan(run=run, final=True).plan
    conflicts = [(conflict.ent_identities, conflict.borrower_ids) for conflict in plan.conflicts]
    form = ResolutionForm(request.POST, conflicts=conflicts)
    if not form.is_valid():
        return " ".join(message for errors in form.errors.values() for message in errors)
    update_decide(run=run, resolutions=form.cleaned_data["resolutions"])
    messages.success(request, _("Résolutions enregistrées : le tableau de l'analyse est recalculé."))
    return run


def _decide_suggestion(request, library, run):
    """"Accepter" / "Refuser" a suggestion, or go back on a decision."""
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _("Suggestion inconnue.")
    key, decision = form.cleaned_data["suggestion"], form.cleaned_data["decision"]
    plan = update_plan(run=run, final=True).plan
    offered = {f"{s.borrower_id}:{s.ent_identity}" for s in plan.suggestions}
    if key not in offered and key not in run.suggestion_decisions:
        return _("Cette suggestion n'est plus proposée : le tableau a changé depuis l'affichage de la page.")
    update_decide(run=run, suggestion_decisions={key: decision})
    texts = {"accepted": _("Suggestion acceptée : l'emprunteur existant sera mis à jour."),
             "rejected": _("Suggestion refusée : la personne sera créée comme nouvelle fiche."),
             "pending": _("La suggestion est de nouveau à examiner.")}
    messages.success(request, texts[decision])
    return run


def _decide_guards(request, library, run):
    """"Je confirme" on the warnings that stop an unusual file."""
    plan = update_plan(run=run, final=True).plan
    form = GuardForm(request.POST, codes=[guard.code for guard in plan.guards])
    if not form.is_valid():
        return _("Avertissement inconnu.")
    update_decide(run=run, confirmed_guards=form.cleaned_data["guard"])
    messages.success(request, _("Confirmations enregistrées."))
    return run


def _reanalyse(request, library, run):
    """The same file analysed again on the base as it is now, keeping the decisions already taken.

    The import refuses a plan made on another state of the base; in a CDI a loan or a return is
    enough to change it, so redoing the analysis must not cost the librarian her decisions on
    homonyms and suggestions. Guard confirmations are not carried over: they were given for the
    removals of the old plan, and the new one may remove others.
    """
    analysis = update_analyse(
        library=library, file_name=run.file_name, content=bytes(run.file_content),
        lot_expression=run.lot_expression, anonymize_history=run.options.get("anonymize_history", True),
        acting_user=request.user,
    )
    new_run = update_decide(run=analysis.run, resolutions=run.resolutions,
                            suggestion_decisions=run.suggestion_decisions)
    # The old analysis can no longer be imported; marked so, it leaves the dashboard's "last update".
    run.state = UpdateRun.State.ABANDONED
    run.save(update_fields=["state"])
    messages.success(request, _("Analyse relancée sur la base actuelle ; vos résolutions d'homonymes et vos "
                                "décisions sur les suggestions sont conservées."))
    return new_run


@librarian_required
@require_POST
def update_import(request, library, run_id: int):
    """"Importation": everything in one transaction, then the report; a refusal changes nothing."""
    run = _run_of(library, run_id)
    if run.state == UpdateRun.State.APPLIED:  # a second click on the button: it is done
        return redirect("library:update_report", uai=library.uai, run_id=run.pk)
    try:
        update_apply(run=run, acting_user=request.user)
    except UpdateRefused as refusal:
        _flash_error(request, library, refusal.message)
        return redirect("library:update_run", uai=library.uai, run_id=run.pk)
    return redirect("library:update_report", uai=library.uai, run_id=run.pk)


@librarian_required
def update_report(request, library, run_id: int):
    """The report of an imported update, and "Annuler la dernière mise à jour" if it is the last."""
    run = _run_of(library, run_id)
    if run.state not in (UpdateRun.State.APPLIED, UpdateRun.State.UNDONE):
        return redirect("library:update_run", uai=library.uai, run_id=run.pk)
    last = update_last_applied(library=library)
    context = {
        "library": library, "active": "update", "run": run, "error": _pop_error(request, library),
        "can_undo": last is not None and last.pk == run.pk, "undo_form": UndoForm(),
    }
    context.update(report_context(run))
    return render(request, "library/update/report.html", context)


@librarian_required
def update_report_rtf(request, library, run_id: int):
    """"Télécharger le rapport (RTF)", the format in which BCDI saves it."""
    run = _run_of(library, run_id)
    if not run.applied_at or not run.report_rtf:
        raise Http404(_("Cette mise à jour n'a pas été importée : elle n'a pas de rapport."))
    day = timezone.localtime(run.applied_at).date().isoformat()
    response = HttpResponse(bytes(run.report_rtf), content_type="application/rtf")
    response["Content-Disposition"] = f'attachment; filename="rapport-mise-a-jour-{library.uai}-{day}.rtf"'
    response["Cache-Control"] = "no-store"
    return response


@librarian_required
@require_POST
def update_undo_view(request, library):
    """"Annuler la dernière mise à jour", after a ticked confirmation."""
    last = update_last_applied(library=library)
    form = UndoForm(request.POST)
    if not form.is_valid():
        _flash_error(request, library, " ".join(form.errors["confirm"]))
        if last is None:
            return redirect("library:update_start", uai=library.uai)
        return redirect("library:update_report", uai=library.uai, run_id=last.pk)
    try:
        run = update_undo(library=library, acting_user=request.user)
    except UpdateRefused as refusal:
        _flash_error(request, library, refusal.message)
        if last is None:
            return redirect("library:update_start", uai=library.uai)
        return redirect("library:update_report", uai=library.uai, run_id=last.pk)
    messages.success(request, _("La dernière mise à jour a été annulée : la base est revenue à son état "
                                "d'avant l'importation."))
    return redirect("library:update_report", uai=library.uai, run_id=run.pk)


# --- What the pages show --------------------------------------------------------------------------

_FIELD_LABELS = {
    "name": gettext_lazy("nom"), "status": gettext_lazy("statut"), "school_class": gettext_lazy("classe"),
    "birth_date": gettext_lazy("date de naissance"), "email": gettext_lazy("courriel"),
}
_CONFLICT_TITLES = {
    "several_borrowers": gettext_lazy("Cas n°1 : plusieurs emprunteurs de la base pour une seule personne "
                                      "du fichier"),
    "several_people": gettext_lazy("Cas n°2 : plusieurs personnes du fichier pour un seul emprunteur de "
                                   "la base"),
    "both": gettext_lazy("Autre cas : des homonymes à la fois dans le fichier et dans la base"),
}


def _change_text(change) -> str:
    """"classe 5eB → 4eB", as the librarian reads a change; the hidden identity is only named."""
    if change.field == "ent_identity":
        return _("identité ENT enregistrée") if not change.old else _("identité ENT remplacée")
    if change.field == "borrower_type":
        return _("redevient usager")
    label = _FIELD_LABELS.get(change.field, change.field)
    return f"{label} {change.old or _('(vide)')} → {change.new}"


def _groups(plan: UpdatePlan) -> dict:
    """The four groups of the "Après l'importation, il y aura" table, each with its list."""
    conflict_sides = {key for c in plan.conflicts for key in (*c.ent_identities, *c.borrower_ids)}
    suggested_sides = {key for s in plan.suggestions for key in (s.ent_identity, s.borrower_id)}

    def note(key: str | int) -> str:
        """Who is in a group only until the librarian decides, on either side of the decision."""
        if key in conflict_sides:
            return _("homonyme à résoudre")
        return _("suggestion à examiner") if key in suggested_sides else ""

    def removals(group) -> list[dict]:
        return [{"name": removal.name, "number": removal.number, "open_loans": removal.open_loans,
                 "note": note(removal.borrower_id)} for removal in group]

    return {
        "new": [{"name": entry.person.name, "note": note(entry.person.ent_identity),
                 "school_class": entry.person.school_class, "status": entry.status or entry.person.status}
                for entry in plan.new],
        "updated": [{"name": update.person.name, "ambiguous": update.ambiguous, "number": update.number,
                     "changes": ", ".join(_change_text(change) for change in update.changes)}
                    for update in plan.changed],
        "deleted": removals(plan.deleted),
        "set_aside": removals(plan.set_aside),
    }


def _pending(plan: UpdatePlan) -> list[str]:
    """What "Importation" will do with the decisions not taken, said next to the button."""
    pending = []
    unresolved = sum(len(conflict.ent_identities) for conflict in plan.conflicts)
    if unresolved:
        pending.append(ngettext(
            "%(count)d homonyme non résolu : la personne sera créée comme nouvelle fiche, comme le fait "
            "BCDI.",
            "%(count)d homonymes non résolus : les personnes seront créées comme nouvelles fiches, comme "
            "le fait BCDI.", unresolved) % {"count": unresolved})
    if plan.suggestions:
        count = len(plan.suggestions)
        pending.append(ngettext(
            "%(count)d suggestion non traitée : la personne sera créée comme nouvelle fiche, comme le "
            "fait BCDI.",
            "%(count)d suggestions non traitées : les personnes seront créées comme nouvelles fiches, "
            "comme le fait BCDI.", count) % {"count": count})
    return pending


def analysis_context(run: UpdateRun, analysis, borrowers: dict[int, Borrower]) -> dict:
    """Everything the analysis page shows, from the plan and the borrowers the decisions are about."""
    plan, users_file = analysis.plan, analysis.users_file
    people = {person.ent_identity: person for person in users_file.people}
    conflicts = [
        {"title": _CONFLICT_TITLES.get(conflict.kind, conflict.kind),
         "name": people[conflict.ent_identities[0]].name if conflict.ent_identities else conflict.name_key,
         "people": [{"person": people.get(identity), "identity": identity,
                     "field": ResolutionForm.field_name(identity)} for identity in conflict.ent_identities],
         "borrowers": [borrowers[pk] for pk in conflict.borrower_ids if pk in borrowers]}
        for conflict in plan.conflicts
    ]
    suggestions = [
        {"key": f"{s.borrower_id}:{s.ent_identity}", "borrower": borrowers.get(s.borrower_id),
         "person": people.get(s.ent_identity), "score": s.score, "reason": s.reason}
        for s in plan.suggestions
    ]
    decided = []
    for key, decision in sorted(run.suggestion_decisions.items()):
        if decision in ("accepted", "rejected"):
            borrower_id, identity = key.split(":", 1)
            decided.append({"key": key, "accepted": decision == "accepted",
                            "borrower": borrowers.get(int(borrower_id)), "person": people.get(identity)})
    resolutions = [
        {"person": people.get(identity), "borrower": borrowers.get(borrower_id) if borrower_id else None}
        for identity, borrower_id in run.resolutions.items()
    ]
    return {
        "plan": plan, "counts": plan.counts, "groups": _groups(plan), "users_file": users_file,
        "people_count": len(users_file.people), "lot_size": analysis.lot_size, "conflicts": conflicts,
        "suggestions": suggestions, "decided_suggestions": decided, "resolutions": resolutions,
        "guards": plan.guards, "blocking_guards": plan.blocking_guards, "pending": _pending(plan),
        "unchanged_count": len(plan.unchanged),
    }


def report_context(run: UpdateRun) -> dict:
    """The stored report rows, grouped as the analysis is (the RTF file says the same)."""
    rows = run.report.get("rows", [])
    counts = run.report.get("counts", {})
    titles = ((ADDED, _("Nouveaux"), counts.get("new", 0)),
              (UPDATED, _("Mis à jour"), counts.get("updated", 0)),
              (DELETED, _("Supprimés"), counts.get("deleted", 0)),
              (SET_ASIDE, _("Mis à l'écart"), counts.get("set_aside", 0)))
    sections = [{"action": action, "title": title, "count": count,
                 "rows": [row for row in rows if row["action"] == action]} for action, title, count in titles]
    return {"sections": sections, "counts": counts}
