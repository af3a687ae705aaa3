"""The "Outils" pages: back up and restore the base, make loans anonymous, loan statistics.

The views only orchestrate: ``backup.py``, ``restore.py``, ``anonymize.py`` and ``statistics.py``
do the work and refuse with a translated message, changing nothing. A refusal renders the page
again with the reason in an alert and status 400; a change redirects (so reloading never repeats it).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from sesame.core import clock
from sesame.core.files import FileTooLarge, read_limited
from sesame.library.common.pages import attachment, first_error
from sesame.library.common.tenancy import librarian_required
from sesame.library.tools.anonymize import (
    AnonymizeRefused,
    anonymize_preview,
    anonymize_selection,
    loans_anonymize,
    retention_limit,
)
from sesame.library.tools.backup import (
    MAX_BACKUP_BYTES,
    BackupRefused,
    backup_summary,
    library_backup_bytes,
    library_backup_filename,
    library_counts,
)
from sesame.library.tools.forms import AnonymizeForm, RestoreForm
from sesame.library.tools.restore import library_restore
from sesame.library.tools.statistics import bar_chart, loan_statistics

NOTHING_CHANGED = gettext_lazy("Rien n'a été modifié.")


# --- Sauvegarder / Restaurer ---------------------------------------------------------------------


@librarian_required
def tools_backup(request, library):
    """"Sauvegarder" (a download) and "Restaurer" (an upload that replaces the base)."""
    error, status = "", 200
    form = RestoreForm()
    if request.method == "POST":
        form = RestoreForm(request.POST, request.FILES)
        error = _restore(request, library, form) if form.is_valid() else first_error(form)
        if not error:
            return redirect("library:tools_backup", uai=library.uai)
        error, status = f"{error} {NOTHING_CHANGED}", 400
    return render(request, "library/tools/backup.html", {
        "library": library, "active": "backup", "form": form, "error": error,
        "summary": backup_summary(library_counts(library=library)),
        "file_name": library_backup_filename(library=library),
    }, status=status)


def _restore(request, library, form) -> str:
    """Restore the uploaded backup and say so; the refusal to show instead, if any."""
    try:
        content = read_limited(form.cleaned_data["backup_file"], limit=MAX_BACKUP_BYTES)
        result = library_restore(library=library, content=content, acting_user=request.user)
    except FileTooLarge:
        return _("Le fichier dépasse 512 Mo : ce n'est pas une sauvegarde de bibliothèque.")
    except BackupRefused as refusal:
        return refusal.message
    messages.success(request, _restored_message(result))
    return ""


def _restored_message(result) -> str:
    when = result.backup.created_at
    when_text = date_format(timezone.localtime(when), "d/m/Y H:i") if when else "?"
    message = _("La sauvegarde du %(when)s a été restaurée : %(summary)s.") % {
        "when": when_text, "summary": backup_summary(result.counts)}
    if result.journal_kept:
        message += " " + ngettext(
            "%(count)d opération enregistrée depuis la sauvegarde reste dans le journal de circulation.",
            "%(count)d opérations enregistrées depuis la sauvegarde restent dans le journal de circulation.",
            result.journal_kept) % {"count": result.journal_kept}
    return message


@require_GET
@librarian_required
def tools_backup_download(request, library):
    """The backup file: plain JSON, the same as the update's "Télécharger la sauvegarde"."""
    content = library_backup_bytes(library=library)
    response = attachment(content, filename=library_backup_filename(library=library),
                          content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


# --- Rendre les prêts anonymes -------------------------------------------------------------------


@librarian_required
def tools_anonymize(request, library):
    """Choose the loans, count them ("Compter"), then confirm that count."""
    today = clock.today()
    context = {"library": library, "active": "anonymize", "retention_limit": retention_limit(today),
               "error": "", "preview": None}
    if request.method != "POST":
        context["form"] = AnonymizeForm(initial={"before": retention_limit(today)})
        return render(request, "library/tools/anonymize.html", context)
    form = context["form"] = AnonymizeForm(request.POST)
    try:
        if not form.is_valid():
            raise AnonymizeRefused(first_error(form), code="invalid_input")
        data = form.cleaned_data
        selection = anonymize_selection(before=data["before"], expression=data["expression"])
        if data["action"] == AnonymizeForm.ACTION_PREVIEW:
            context["preview"] = anonymize_preview(library=library, selection=selection)
            return render(request, "library/tools/anonymize.html", context)
        count = loans_anonymize(library=library, selection=selection, expected=data["expected"],
                                acting_user=request.user)
    except AnonymizeRefused as refusal:
        context["error"] = f"{refusal.message} {NOTHING_CHANGED}"
        return render(request, "library/tools/anonymize.html", context, status=400)
    messages.success(request, ngettext("%(count)d prêt a été rendu anonyme.",
                                       "%(count)d prêts ont été rendus anonymes.", count) % {"count": count})
    return redirect("library:tools_anonymize", uai=library.uai)


# --- Statistiques --------------------------------------------------------------------------------


@require_GET
@librarian_required
def tools_statistics(request, library):
    """Loans of the last twelve months by month, level and class: charts, and the same as tables."""
    statistics = loan_statistics(library=library, today=clock.today())
    months = [(date_format(row.month, "F Y"), row.count) for row in statistics.by_month]
    charts = [
        {"id": "par-mois", "title": _("Prêts par mois"), "column": _("Mois"), "chart": bar_chart(months)},
        {"id": "par-niveau", "title": _("Prêts par niveau"), "column": _("Niveau"),
         "chart": bar_chart([(row.label, row.count) for row in statistics.by_level])},
        {"id": "par-classe", "title": _("Prêts par classe"), "column": _("Classe"),
         "chart": bar_chart([(row.label, row.count) for row in statistics.by_class])},
    ]
    return render(request, "library/tools/statistics.html", {
        "library": library, "active": "statistics", "statistics": statistics, "charts": charts,
    })
