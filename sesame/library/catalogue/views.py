"""Catalogue pages: search, a record with its copies, record and copy forms, the MARC import (SPEC §2).

The pages read the base and call the services of ``catalogue`` and ``marc_import``, which make
every rule and every write. A refusal is shown in ``role=alert`` with a 400 status, the form keeping
what was typed, nothing changed; a success redirects (303) to the record, which announces it in
``role=status``, so that reloading never adds a copy twice.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sesame.library.catalogue.forms import (
    CopyEditForm,
    CopyForm,
    MarcImportForm,
    RecordForm,
    RecordSearchForm,
)
from sesame.library.catalogue.marc.importer import marc_import
from sesame.library.catalogue.marc.read import MarcFileError
from sesame.library.catalogue.services import (
    CatalogueRefused,
    copy_add,
    copy_update,
    hold_of,
    next_barcode,
    open_loan_of,
    record_create,
    record_search,
    record_update,
)
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import Copy, CopyStatus, Library, Loan, Record, Reservation, ReservationState

PAGE_SIZE = 50
REPORT_SESSION_KEY = "library_marc_report"
REPORT_SESSION_LIMIT = 1_000_000  # characters kept for the download; the page says when it was cut
REPORT_PAGE_LINES = 500  # lines shown on the page; the download has them all


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _record_url(library: Library, record: Record) -> str:
    return reverse("library:record_detail", args=[library.uai, record.pk])


def _not_found(request, library: Library, reason: str):
    context = {"library": library, "active": "catalogue", "reason": reason}
    return render(request, "library/catalogue/not_found.html", context, status=404)


def _record_or_404(request, library: Library, record_id: int):
    record = Record.objects.filter(library=library, pk=record_id).first()
    if record is None:
        return None, _not_found(request, library, _("Aucune notice n'a le numéro %(number)s dans cette "
                                                    "bibliothèque.") % {"number": record_id})
    return record, None


def _refusal_to_form(form, refusal: CatalogueRefused) -> None:
    """Put a service's refusal beside its field, or above the form when no field is at fault."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _errors(form) -> list[str]:
    """Every message of a refused form, for the summary read out in ``role=alert``."""
    return [message for errors in form.errors.values() for message in errors]


# --- Search -------------------------------------------------------------------------------------


@librarian_required
@require_GET
def record_search_view(request, library):
    form = RecordSearchForm(request.GET)
    valid = form.is_valid()
    text = form.cleaned_data.get("q", "") if valid else ""
    field = form.cleaned_data.get("field", "all") if valid else "all"
    if text:
        ids = record_search(library=library, text=text, field=field)
    else:
        everything = Record.objects.filter(library=library).order_by("title", "pk")
        ids = list(everything.values_list("pk", flat=True))
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    records = (
        Record.objects.filter(pk__in=list(page.object_list))
        .annotate(copy_count=Count("copies"),
                  available_count=Count("copies", filter=Q(copies__status=CopyStatus.AVAILABLE)))
    )
    by_id = {record.pk: record for record in records}
    context = {
        "library": library,
        "active": "catalogue",
        "form": form,
        "text": text,
        "results": [by_id[pk] for pk in page.object_list if pk in by_id],
        "page": page,
        "count": len(ids),
        "errors": [] if valid else _errors(form),
        "query_prefix": urlencode({"q": text, "field": field}) + "&" if text else "",
    }
    return render(request, "library/catalogue/search.html", context, status=200 if valid else 400)


# --- Records ------------------------------------------------------------------------------------


def _record_values(form) -> dict:
    data = form.cleaned_data
    names = ("title", "authors", "publisher", "year", "isbn", "subjects", "support", "call_number")
    return {name: data[name] for name in names}


def _isbn_converted(form) -> bool:
    """Whether the librarian typed an ISBN-10 that is stored as its ISBN-13 (the page says so)."""
    typed = "".join(ch for ch in form.data.get("isbn", "") if ch.isalnum())
    return len(typed) == 10 and bool(form.cleaned_data.get("isbn"))


@librarian_required
@require_http_methods(["GET", "POST"])
def record_create_view(request, library):
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = record_create(library=library, **_record_values(form))
        except CatalogueRefused as refusal:
            _refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Notice « %(title)s » créée.") % {"title": record.title})
            if _isbn_converted(form):
                messages.info(request, _("ISBN à 10 chiffres enregistré sur 13 chiffres : %(isbn)s.")
                              % {"isbn": record.isbn})
            return _see_other(_record_url(library, record))
    context = {"library": library, "active": "catalogue_new", "form": form, "errors": _errors(form),
               "heading": _("Créer une notice")}
    return render(request, "library/catalogue/record_form.html", context,
                  status=400 if form.errors else 200)


@librarian_required
@require_http_methods(["GET", "POST"])
def record_edit_view(request, library, record_id: int):
    record, missing = _record_or_404(request, library, record_id)
    if missing:
        return missing
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            try:
                saved = record_update(library=library, record_id=record.pk, **_record_values(form))
            except CatalogueRefused as refusal:
                _refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Notice « %(title)s » enregistrée.") % {"title": saved.title})
                if _isbn_converted(form):
                    messages.info(request, _("ISBN à 10 chiffres enregistré sur 13 chiffres : %(isbn)s.")
                                  % {"isbn": saved.isbn})
                return _see_other(_record_url(library, saved))
    else:
        form = RecordForm(initial={name: getattr(record, name) for name in RecordForm.base_fields})
    context = {"library": library, "active": "catalogue", "form": form, "errors": _errors(form),
               "record": record, "heading": _("Modifier la notice")}
    return render(request, "library/catalogue/record_form.html", context,
                  status=400 if form.errors else 200)


def _copies_of(record: Record) -> list[dict]:
    """The record's copies with the open loan or the reservation holding each, in three queries."""
    loans = {loan.copy_id: loan for loan in Loan.objects.filter(
        copy__record=record, returned_on__isnull=True).select_related("borrower")}
    holds = {hold.copy_id: hold for hold in Reservation.objects.filter(
        copy__record=record, state=ReservationState.READY).select_related("borrower")}
    return [{"copy": copy, "loan": loans.get(copy.pk), "hold": holds.get(copy.pk)}
            for copy in record.copies.order_by("barcode")]


@librarian_required
@require_http_methods(["GET", "POST"])
def record_detail_view(request, library, record_id: int):
    """The record, its copies with their status, and the form that adds a copy (POST)."""
    record, missing = _record_or_404(request, library, record_id)
    if missing:
        return missing
    if request.method == "POST":
        form = CopyForm(request.POST, prefix="copy")
        if form.is_valid():
            try:
                copy = copy_add(library=library, record_id=record.pk, barcode=form.cleaned_data["barcode"],
                                status=form.cleaned_data["status"])
            except CatalogueRefused as refusal:
                _refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Exemplaire %(barcode)s ajouté (%(status)s).")
                                 % {"barcode": copy.barcode, "status": copy.get_status_display()})
                return _see_other(_record_url(library, record))
    else:
        form = CopyForm(prefix="copy", initial={"barcode": next_barcode(library)})
    context = {
        "library": library, "active": "catalogue", "record": record, "copies": _copies_of(record),
        "form": form, "errors": _errors(form),
    }
    return render(request, "library/catalogue/record_detail.html", context,
                  status=400 if form.errors else 200)


@librarian_required
@require_http_methods(["GET", "POST"])
def copy_edit_view(request, library, copy_id: int):
    copy = Copy.objects.filter(library=library, pk=copy_id).select_related("record").first()
    if copy is None:
        return _not_found(request, library, _("Cet exemplaire n'existe pas dans cette bibliothèque."))
    if request.method == "POST":
        form = CopyEditForm(request.POST, current_status=copy.status)
        if form.is_valid():
            try:
                saved = copy_update(library=library, copy_id=copy.pk, barcode=form.cleaned_data["barcode"],
                                    status=form.cleaned_data["status"])
            except CatalogueRefused as refusal:
                _refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Exemplaire %(barcode)s enregistré (%(status)s).")
                                 % {"barcode": saved.barcode, "status": saved.get_status_display()})
                return _see_other(_record_url(library, copy.record))
    else:
        form = CopyEditForm(initial={"barcode": copy.barcode, "status": copy.status},
                            current_status=copy.status)
    context = {
        "library": library, "active": "catalogue", "copy": copy, "record": copy.record, "form": form,
        "errors": _errors(form), "loan": open_loan_of(copy), "hold": hold_of(copy),
    }
    return render(request, "library/catalogue/copy_form.html", context, status=400 if form.errors else 200)


# --- MARC import --------------------------------------------------------------------------------


@librarian_required
@require_http_methods(["GET", "POST"])
def marc_import_view(request, library):
    """"Importer des notices (UNIMARC / MARC21)": the upload, then the report on the same page."""
    form = MarcImportForm(request.POST or None, request.FILES or None)
    report, refusal = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = marc_import(library=library, content=upload.read(),
                                 fmt=form.cleaned_data["format"] or None, file_name=upload.name,
                                 dry_run=form.cleaned_data["dry_run"])
        except MarcFileError as error:
            refusal = error.message
        else:
            text = report.as_text()
            if len(text) > REPORT_SESSION_LIMIT:
                text = text[:REPORT_SESSION_LIMIT] + "\n" + _("[Rapport coupé : il était trop long.]") + "\n"
            request.session[REPORT_SESSION_KEY] = {"uai": library.uai, "file": upload.name, "text": text}
    errors = [refusal] if refusal else _errors(form)
    lines = report.sorted_lines() if report else []
    context = {
        "library": library, "active": "catalogue_import", "form": form, "errors": errors, "report": report,
        "lines": lines[:REPORT_PAGE_LINES], "hidden_lines": max(0, len(lines) - REPORT_PAGE_LINES),
    }
    return render(request, "library/catalogue/import.html", context, status=400 if errors else 200)


@librarian_required
@require_GET
def marc_import_report_view(request, library):
    """The last import's report as a text file (kept in the librarian's session)."""
    saved = request.session.get(REPORT_SESSION_KEY)
    if not saved or saved.get("uai") != library.uai:
        return _not_found(request, library, _("Aucun rapport d'import à télécharger : importez d'abord un "
                                              "fichier de notices."))
    response = HttpResponse(saved["text"], content_type="text/plain; charset=utf-8")
    name = slugify(saved["file"].rsplit(".", 1)[0]) or "notices"
    response["Content-Disposition"] = f'attachment; filename="rapport-import-{name}.txt"'
    return response
