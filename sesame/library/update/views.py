"""The borrower update pages, step by step as seed C describes them.

"Avertissements préalables" → "Fichier d'importation" and "Emprunteurs à mettre à jour" →
"Analyse" (with the homonym window, the suggestions and the guards) → "Importation" → report,
and "Annuler la dernière mise à jour". The views only orchestrate: the work is done by the
services (one transaction each, with who did it), which refuse with a translated message and
change nothing when they refuse; what the pages show is computed by ``presenters``. The backup
offered before an update is the tools' download (``update/urls.py``).
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sesame.library.common.pages import attachment, form_errors
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import UpdateRun
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.forms import (
    GuardForm,
    ResolutionForm,
    SuggestionForm,
    UndoForm,
    UpdateFileForm,
    UpdateStartForm,
)
from sesame.library.update.presenters import analysis_borrowers, analysis_context, report_context
from sesame.library.update.selectors import (
    lot_parse,
    suggestion_decisions,
    update_last_applied,
    update_plan,
    update_run_of,
)
from sesame.library.update.services import (
    update_analyse,
    update_apply,
    update_decide,
    update_reanalyse,
    update_undo,
)
from sesame.library.update.snapshot import library_fingerprint, lot_count
from sesame.sync import SuggestionKey

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
    run = update_run_of(library=library, run_id=run_id)
    if run is None:
        raise Http404(_("Cette mise à jour n'existe pas dans cette bibliothèque."))
    return run


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
            error = " ".join(form_errors(form))
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


def _render_run(request, library, run: UpdateRun, *, error: str = "", status: int = 200):
    error = error or _pop_error(request, library)
    context = {"library": library, "active": "update", "run": run, "error": error}
    if run.state == UpdateRun.State.ANALYSED:
        try:
            analysis = update_plan(run=run, final=True)
        except UpdateRefused as refusal:
            context["error"] = refusal.message
        else:
            borrowers = analysis_borrowers(run=run, plan=analysis.plan)
            context.update(analysis_context(run, analysis, borrowers))
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
        target = handler(request, run)
    except UpdateRefused as refusal:
        return _render_run(request, library, run, error=refusal.message, status=409)
    if isinstance(target, str):  # a message for the librarian: the choice was not valid
        return _render_run(request, library, run, error=target, status=400)
    return redirect("library:update_run", uai=library.uai, run_id=target.pk)


def _decide_resolutions(request, run):
    """"Valider les résolutions" of the homonym window."""
    plan = update_plan(run=run, final=True).plan
    conflicts = [(conflict.ent_identities, conflict.borrower_ids) for conflict in plan.conflicts]
    form = ResolutionForm(request.POST, conflicts=conflicts)
    if not form.is_valid():
        return " ".join(form_errors(form))
    update_decide(run=run, resolutions=form.cleaned_data["resolutions"], acting_user=request.user)
    messages.success(request, _("Résolutions enregistrées : le tableau de l'analyse est recalculé."))
    return run


def _decide_suggestion(request, run):
    """"Accepter" / "Refuser" a suggestion, or go back on a decision."""
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _("Suggestion inconnue.")
    key, decision = form.cleaned_data["suggestion"], form.cleaned_data["decision"]
    plan = update_plan(run=run, final=True).plan
    offered = {SuggestionKey.of(suggestion) for suggestion in plan.suggestions}
    if key not in offered and key not in suggestion_decisions(run):
        return _("Cette suggestion n'est plus proposée : le tableau a changé depuis l'affichage de la page.")
    update_decide(run=run, suggestion_decisions={key: decision}, acting_user=request.user)
    texts = {"accepted": _("Suggestion acceptée : l'emprunteur existant sera mis à jour."),
             "rejected": _("Suggestion refusée : la personne sera créée comme nouvelle fiche."),
             "pending": _("La suggestion est de nouveau à examiner.")}
    messages.success(request, texts[decision])
    return run


def _decide_guards(request, run):
    """"Je confirme" on the warnings that stop an unusual file."""
    plan = update_plan(run=run, final=True).plan
    form = GuardForm(request.POST, codes=[guard.code for guard in plan.guards])
    if not form.is_valid():
        return _("Avertissement inconnu.")
    update_decide(run=run, confirmed_guards=form.cleaned_data["guard"], acting_user=request.user)
    messages.success(request, _("Confirmations enregistrées."))
    return run


def _reanalyse(request, run):
    """"Relancer l'analyse" on the base as it is now; the decisions are kept (``update_reanalyse``)."""
    analysis = update_reanalyse(run=run, acting_user=request.user)
    messages.success(request, _("Analyse relancée sur la base actuelle ; vos résolutions d'homonymes et vos "
                                "décisions sur les suggestions sont conservées."))
    return analysis.run


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
    response = attachment(bytes(run.report_rtf), filename=f"rapport-mise-a-jour-{library.uai}-{day}.rtf",
                          content_type="application/rtf")
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
