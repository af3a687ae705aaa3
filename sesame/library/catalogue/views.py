"""Catalogue pages: search, a record with its copies, record and copy forms, the MARC import (SPEC §2).

The pages read through the catalogue's selectors and change through its services and the MARC
importer, which make every rule and every write. A refusal is shown in ``role=alert`` with a 400
status, the form keeping what was typed, nothing changed; a success redirects (303) to the record,
which announces it in ``role=status``, so that reloading never adds a copy twice.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sesame.core.files import FileTooLarge, read_limited
from sesame.library.catalogue.errors import CatalogueRefused, MarcFileError
from sesame.library.catalogue.forms import (
    CopyEditForm,
    CopyForm,
    MarcImportForm,
    RecordForm,
    RecordSearchForm,
)
from sesame.library.catalogue.marc.importer import marc_import
from sesame.library.catalogue.marc.read import MAX_FILE_SIZE
from sesame.library.catalogue.selectors import (
    catalogue_ids,
    copies_of,
    copy_of,
    hold_of,
    next_barcode,
    open_loan_of,
    record_of,
    record_search,
    records_with_counts,
)
from sesame.library.catalogue.services import copy_add, copy_update, record_create, record_update
from sesame.library.common.pages import attachment, form_errors, see_other
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import Library, Record

PAGE_SIZE = 50
REPORT_SESSION_KEY = "library_marc_report"
REPORT_SESSION_LIMIT = 1_000_000  # characters kept for the download; the page says when it was cut
REPORT_PAGE_LINES = 500  # lines shown on the page; the download has them all


def _to_record(library: Library, record: Record):
    return see_other("library:record_detail", uai=library.uai, record_id=record.pk)


def _not_found(request, library: Library, reason: str):
    context = {"library": library, "active": "catalogue", "reason": reason}
    return render(request, "library/catalogue/not_found.html", context, status=404)


def _record_or_404(request, library: Library, record_id: int):
    record = record_of(library, record_id)
    if record is None:
        return None, _not_found(request, library, _("Aucune notice n'a le numéro %(number)s dans cette "
                                                    "bibliothèque.") % {"number": record_id})
    return record, None


def _refusal_to_form(form, refusal: CatalogueRefused) -> None:
    """Put a service's refusal beside its field, or above the form when no field is at fault."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


# --- Search -------------------------------------------------------------------------------------


@librarian_required
@require_GET
def record_search_view(request, library):
    form = RecordSearchForm(request.GET)
    valid = form.is_valid()
    text = form.cleaned_data.get("q", "") if valid else ""
    field = form.cleaned_data.get("field", "all") if valid else "all"
    ids = record_search(library=library, text=text, field=field) if text else catalogue_ids(library)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "library": library,
        "active": "catalogue",
        "form": form,
        "text": text,
        "results": records_with_counts(list(page.object_list)),
        "page": page,
        "count": len(ids),
        "errors": [] if valid else form_errors(form),
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
            record = record_create(library=library, acting_user=request.user, **_record_values(form))
        except CatalogueRefused as refusal:
            _refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Notice « %(title)s » créée.") % {"title": record.title})
            if _isbn_converted(form):
                messages.info(request, _("ISBN à 10 chiffres enregistré sur 13 chiffres : %(isbn)s.")
                              % {"isbn": record.isbn})
            return _to_record(library, record)
    context = {"library": library, "active": "catalogue_new", "form": form, "errors": form_errors(form),
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
                saved = record_update(library=library, record_id=record.pk, acting_user=request.user,
                                      **_record_values(form))
            except CatalogueRefused as refusal:
                _refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Notice « %(title)s » enregistrée.") % {"title": saved.title})
                if _isbn_converted(form):
                    messages.info(request, _("ISBN à 10 chiffres enregistré sur 13 chiffres : %(isbn)s.")
                                  % {"isbn": saved.isbn})
                return _to_record(library, saved)
    else:
        form = RecordForm(initial={name: getattr(record, name) for name in RecordForm.base_fields})
    context = {"library": library, "active": "catalogue", "form": form, "errors": form_errors(form),
               "record": record, "heading": _("Modifier la notice")}
    return render(request, "library/catalogue/record_form.html", context,
                  status=400 if form.errors else 200)


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
                                status=form.cleaned_data["status"], acting_user=request.user)
            except CatalogueRefused as refusal:
                _refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Exemplaire %(barcode)s ajouté (%(status)s).")
                                 % {"barcode": copy.barcode, "status": copy.get_status_display()})
                return _to_record(library, record)
    else:
        form = CopyForm(prefix="copy", initial={"barcode": next_barcode(library)})
    context = {
        "library": library, "active": "catalogue", "record": record, "copies": copies_of(record),
        "form": form, "errors": form_errors(form),
    }
    return render(request, "library/catalogue/record_detail.html", context,
                  status=400 if form.errors else 200)


@librarian_required
@require_http_methods(["GET", "POST"])
def copy_edit_view(request, library, copy_id: int):
    copy = copy_of(library, copy_id)
    if copy is None:
        return _not_found(request, library, _("Cet exemplaire n'existe pas dans cette bibliothèque."))
    if request.method == "POST":
        form = CopyEditForm(request.POST, current_status=copy.status)
        if form.is_valid():
            try:
                saved = copy_update(library=library, copy_id=copy.pk, barcode=form.cleaned_data["barcode"],
                                    status=form.cleaned_data["status"], acting_user=request.user)
            except CatalogueRefused as refusal:
                _refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Exemplaire %(barcode)s enregistré (%(status)s).")
                                 % {"barcode": saved.barcode, "status": saved.get_status_display()})
                return _to_record(library, copy.record)
    else:
        form = CopyEditForm(initial={"barcode": copy.barcode, "status": copy.status},
                            current_status=copy.status)
    context = {
        "library": library, "active": "catalogue", "copy": copy, "record": copy.record, "form": form,
        "errors": form_errors(form), "loan": open_loan_of(copy), "hold": hold_of(copy),
    }
    return render(request, "library/catalogue/copy_form.html", context, status=400 if form.errors else 200)


# --- MARC import --------------------------------------------------------------------------------


def _import(request, library: Library, form: MarcImportForm):
    """Import the uploaded file; the report (kept in the session for its download), or the refusal."""
    upload = form.cleaned_data["file"]
    try:
        report = marc_import(library=library, content=read_limited(upload, limit=MAX_FILE_SIZE),
                             fmt=form.cleaned_data["format"] or None, file_name=upload.name,
                             dry_run=form.cleaned_data["dry_run"], acting_user=request.user)
    except FileTooLarge:
        return None, _("Fichier trop volumineux (%(size)s Mo au plus) : aucune notice importée.") % {
            "size": MAX_FILE_SIZE // (1024 * 1024)}
    except MarcFileError as error:
        return None, error.message
    text = report.as_text()
    if len(text) > REPORT_SESSION_LIMIT:
        text = text[:REPORT_SESSION_LIMIT] + "\n" + _("[Rapport coupé : il était trop long.]") + "\n"
    request.session[REPORT_SESSION_KEY] = {"uai": library.uai, "file": upload.name, "text": text}
    return report, ""


@librarian_required
@require_http_methods(["GET", "POST"])
def marc_import_view(request, library):
    """"Importer des notices (UNIMARC / MARC21)": the upload, then the report on the same page."""
    form = MarcImportForm(request.POST or None, request.FILES or None)
    report, refusal = None, ""
    if request.method == "POST" and form.is_valid():
        report, refusal = _import(request, library, form)
    errors = [refusal] if refusal else form_errors(form)
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
    name = slugify(saved["file"].rsplit(".", 1)[0]) or "notices"
    return attachment(saved["text"].encode("utf-8"), filename=f"rapport-import-{name}.txt",
                      content_type="text/plain; charset=utf-8")
