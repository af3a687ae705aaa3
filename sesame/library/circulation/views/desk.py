"""Gestion du prêt at the desk: loans and returns, overdue loans and reminder letters, temporary
users (seed C7), lost copies, reservations, and what the librarian is told (SPEC §2).

The pages only read the base and call the services of ``circulation.py`` and
``temporary_users.py``: every rule, and every write, is theirs. A refusal comes back as
``CirculationRefused`` with a French message that the page shows in ``role=alert`` with a 400
status, having changed nothing. A success redirects (303) to a page that announces the result in
``role=status`` (Django messages), so that reloading never lends or returns a copy twice.

The desk pages are built for a barcode scanner, which types the code then Enter: one field, with
the focus on it, emptied after each scan, so the next copy can be scanned at once.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sesame.library.circulation.forms import (
    BarcodeForm,
    BorrowerLookupForm,
    ConfirmForm,
    IdForm,
    OverdueFilterForm,
)
from sesame.library.circulation.letters import reminder_letters_pdf
from sesame.library.circulation.services import (
    CirculationRefused,
    alerts,
    alerts_mark_read,
    copy_mark,
    loan_checkout,
    loan_renew,
    loan_return,
    overdue_loans,
)
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import (
    Borrower,
    Copy,
    CopyStatus,
    EventAction,
    Library,
    LibraryEvent,
    Loan,
    Reservation,
    ReservationState,
)
from sesame.sync.normalize import fold

SEARCH_LIMIT = 50  # a name typed at the desk rarely matches more; the page asks for more words
RECENT_RETURNS = 20
ALERT_LIMIT = 20
DATE_FORMAT = "%d/%m/%Y"


# --- Reading helpers (no writes) -------------------------------------------------------------------


def borrowers_matching(*, library: Library, text: str, rows=None) -> list[Borrower]:
    """Borrowers whose number is ``text``, or whose name holds every word of it.

    Names are compared folded (accents, case, hyphens and apostrophes ignored), as the update
    compares them, so "lefevre chloe" finds "LEFÈVRE Chloé". ``rows`` narrows the search (the
    reassignment candidates); by default every borrower of the library, in name order.
    """
    if not text:
        return []
    if rows is None:
        rows = Borrower.objects.filter(library=library).order_by("name", "number")
    if text.isdigit() and len(text) <= 9:
        return [row for row in rows if row.number == int(text)]
    words = fold(text).split()
    if not words:
        return []
    return [row for row in rows if all(word in fold(row.name) for word in words)][:SEARCH_LIMIT]


def unread_alerts(library: Library):
    return alerts(library=library, unread_only=True).order_by("-created_at", "-pk")


def open_loans_of(borrower: Borrower):
    return (Loan.objects.filter(borrower=borrower, returned_on__isnull=True)
            .select_related("copy__record").order_by("due_on", "pk"))


def safe_next(request, default: str) -> str:
    """The ``next`` the form carried, if it is a path of this site; else ``default``.

    Buttons shared by several pages (mark a notice read, declare a copy lost) come back to the
    page they were pressed on, never to another site.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


def page(request, library: Library, template: str, context: dict, *, active: str, status: int = 200):
    """Render a circulation page with the library, the menu entry and the unread notices."""
    unread = unread_alerts(library)
    full = {
        "library": library, "active": active, "today": timezone.localdate(),
        "alerts": unread[:ALERT_LIMIT], "alert_count": unread.count(),
        "here": request.get_full_path(), **context,
    }
    return render(request, f"library/circulation/{template}", full, status=status)


def not_found(request, library: Library, reason: str, *, active: str):
    return page(request, library, "not_found.html", {"reason": reason}, active=active, status=404)


def no_borrower(number: int) -> str:
    return _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.") % {"number": number}


@librarian_required
@require_POST
def alerts_read(request, library):
    form = IdForm(request.POST)
    everything = request.POST.get("all") == "1"
    if everything:
        unread = alerts(library=library, unread_only=True).values_list("pk", flat=True)
        count = alerts_mark_read(library=library, alert_ids=list(unread))
    elif form.is_valid():
        count = alerts_mark_read(library=library, alert_ids=[form.cleaned_data["id"]])
    else:
        count = 0
    if count:
        messages.success(request, ngettext("%(count)s avis marqué comme lu.",
                                           "%(count)s avis marqués comme lus.", count) % {"count": count})
    else:
        messages.info(request, _("Aucun avis à marquer comme lu."))
    return HttpResponseRedirect(safe_next(request, reverse("library:circulation_desk", args=[library.uai])),
                                status=303)


# --- Prêt / retour --------------------------------------------------------------------------------------


@librarian_required
@require_GET
def circulation_desk(request, library):
    """Find the borrower to lend to; a scanned card (a number matching one borrower) goes straight
    to their loans."""
    form = BorrowerLookupForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    found = borrowers_matching(library=library, text=text)
    if text.isdigit() and len(found) == 1:
        return redirect("library:circulation_checkout", uai=library.uai, number=found[0].number)
    error = "" if form.is_valid() else first_error(form)
    context = {"form": form, "text": text, "found": found, "error": error}
    return page(request, library, "desk.html", context, active="circulation",
                status=200 if form.is_valid() else 400)


def _checkout_page(request, library, borrower, *, error: str = "", status: int = 200):
    ready = (Reservation.objects.filter(borrower=borrower, state=ReservationState.READY)
             .select_related("record", "copy").order_by("ready_at", "pk"))
    context = {
        "borrower": borrower, "loans": open_loans_of(borrower), "ready": ready, "error": error,
        "form": BarcodeForm(),
    }
    return page(request, library, "checkout.html", context, active="circulation", status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def circulation_checkout(request, library, number: int):
    """One borrower at the desk: each scanned barcode lends one copy, and the page stays theirs."""
    borrower = Borrower.objects.filter(library=library, number=number).first()
    if borrower is None:
        return not_found(request, library, no_borrower(number), active="circulation")
    if request.method == "GET":
        return _checkout_page(request, library, borrower)
    form = BarcodeForm(request.POST)
    if not form.is_valid():
        return _checkout_page(request, library, borrower, error=first_error(form), status=400)
    try:
        loan = loan_checkout(library=library, borrower=borrower, barcode=form.cleaned_data["barcode"],
                             acting_user=request.user)
    except CirculationRefused as refusal:
        return _checkout_page(request, library, borrower, error=refusal.message, status=400)
    messages.success(request, _("« %(title)s » (%(barcode)s) prêté à %(name)s, retour le %(due)s.") % {
        "title": loan.copy.record.title, "barcode": loan.copy.barcode, "name": borrower.name,
        "due": loan.due_on.strftime(DATE_FORMAT)})
    return redirect_303("library:circulation_checkout", uai=library.uai, number=borrower.number)


def redirect_303(name: str, **kwargs) -> HttpResponseRedirect:
    """A redirect after a POST that the browser follows with a GET (never re-posting)."""
    return HttpResponseRedirect(reverse(name, kwargs=kwargs), status=303)


@librarian_required
@require_POST
def circulation_renew(request, library, loan_id: int):
    loan = Loan.objects.filter(library=library, pk=loan_id).select_related("borrower", "copy__record").first()
    if loan is None:
        return not_found(request, library, _("Ce prêt n'existe pas dans cette bibliothèque."),
                         active="circulation")
    try:
        renewed = loan_renew(library=library, loan=loan, acting_user=request.user)
    except CirculationRefused as refusal:
        if loan.borrower is None:
            return page(request, library, "desk.html", {"form": BorrowerLookupForm(), "found": [],
                                                        "error": refusal.message},
                        active="circulation", status=400)
        return _checkout_page(request, library, loan.borrower, error=refusal.message, status=400)
    messages.success(request, _("Prêt de « %(title)s » (%(barcode)s) prolongé jusqu'au %(due)s.") % {
        "title": renewed.copy.record.title, "barcode": renewed.copy.barcode,
        "due": renewed.due_on.strftime(DATE_FORMAT)})
    return redirect_303("library:circulation_checkout", uai=library.uai, number=renewed.borrower.number)


def _return_page(request, library, *, error: str = "", status: int = 200):
    recent = (LibraryEvent.objects
              .filter(library=library, action=EventAction.RETURN, at__date=timezone.localdate())
              .select_related("borrower", "copy__record").order_by("-at", "-pk")[:RECENT_RETURNS])
    context = {"form": BarcodeForm(), "error": error, "recent": recent}
    return page(request, library, "return.html", context, active="circulation", status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def circulation_return(request, library):
    """Returns by barcode alone, whoever borrowed the copy (temporary users too, seed C7)."""
    if request.method == "GET":
        return _return_page(request, library)
    form = BarcodeForm(request.POST)
    if not form.is_valid():
        return _return_page(request, library, error=first_error(form), status=400)
    try:
        result = loan_return(library=library, barcode=form.cleaned_data["barcode"], acting_user=request.user)
    except CirculationRefused as refusal:
        return _return_page(request, library, error=refusal.message, status=400)
    loan = result.loan
    late = (loan.returned_on - loan.due_on).days
    text = _("« %(title)s » (%(barcode)s) rendu par %(name)s.") % {
        "title": loan.copy.record.title, "barcode": loan.copy.barcode, "name": loan.borrower.name}
    if late > 0:
        text += " " + ngettext("Rendu avec %(days)s jour de retard.", "Rendu avec %(days)s jours de retard.",
                               late) % {"days": late}
    messages.success(request, text)
    if result.reservation_ready is not None:
        messages.warning(request, _("Cet exemplaire est réservé par %(name)s : mettez-le de côté.") % {
            "name": result.reservation_ready.borrower.name})
    if result.temporary_user_cleared:
        messages.warning(request, _("Dernier prêt de l'usager temporaire %(name)s rendu : sa fiche peut être "
                                    "supprimée.") % {"name": loan.borrower.name})
    return redirect_303("library:circulation_return", uai=library.uai)


# --- Retards et relances -----------------------------------------------------------------------------


def _overdue_classes(library: Library, today) -> list[str]:
    classes = (overdue_loans(library=library, today=today).order_by()
               .values_list("borrower__school_class", flat=True).distinct())
    return sorted({value for value in classes if value}, key=str.casefold)


@librarian_required
@require_GET
def circulation_overdue(request, library):
    today = timezone.localdate()
    form = OverdueFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "classes": _overdue_classes(library, today), "loans": [], "selected": "",
                   "error": first_error(form)}
        return page(request, library, "overdue.html", context, active="overdue", status=400)
    selected = form.cleaned_data["classe"]
    loans = list(overdue_loans(library=library, today=today, school_class=selected or None))
    for loan in loans:
        loan.days_late = (today - loan.due_on).days
    context = {
        "form": form, "classes": _overdue_classes(library, today), "loans": loans, "selected": selected,
        "borrower_count": len({loan.borrower_id for loan in loans}), "error": "",
    }
    return page(request, library, "overdue.html", context, active="overdue")


@librarian_required
@require_GET
def circulation_letters(request, library):
    """The reminder letters of a class (or of everyone) as one PDF to print."""
    today = timezone.localdate()
    form = OverdueFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("library:circulation_overdue", uai=library.uai)
    selected = form.cleaned_data["classe"]
    loans = list(overdue_loans(library=library, today=today, school_class=selected or None))
    if not loans:
        messages.info(request, _("Aucun prêt en retard pour la classe %(class)s : aucune lettre à imprimer.")
                      % {"class": selected} if selected else
                      _("Aucun prêt en retard : aucune lettre à imprimer."))
        query = "?" + urlencode({"classe": selected}) if selected else ""
        return redirect(reverse("library:circulation_overdue", args=[library.uai]) + query)
    pdf = reminder_letters_pdf(library=library, loans=loans, today=today)
    who = slugify(selected) or "tous"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="lettres-de-relance-{library.uai}-{who}-{today:%Y-%m-%d}.pdf"')
    return response


# --- Déclarer perdu -----------------------------------------------------------------------------------


def _copy_lost_page(request, library, copy, *, error: str = "", status: int = 200):
    loan = (Loan.objects.filter(copy=copy, returned_on__isnull=True).select_related("borrower").first())
    context = {"copy": copy, "loan": loan, "error": error, "is_lost": copy.status == CopyStatus.LOST,
               "next": safe_next(request, "")}
    return page(request, library, "copy_lost.html", context, active="circulation", status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def copy_lost(request, library, barcode: str):
    """"Déclarer perdu": on loan, the page first asks whether to close the loan (seed C7: "BCDI
    vous proposera de clôturer les prêts associés")."""
    copy = Copy.objects.filter(library=library, barcode=barcode).select_related("record").first()
    if copy is None:
        reason = _("Code-barre inconnu : aucun exemplaire « %(barcode)s » dans cette bibliothèque.") % {
            "barcode": barcode}
        return not_found(request, library, reason, active="circulation")
    if request.method == "GET":
        return _copy_lost_page(request, library, copy)
    form = ConfirmForm(request.POST)
    close_loan = form.is_valid() and form.cleaned_data["confirm"]
    try:
        result = copy_mark(library=library, copy=copy, status=CopyStatus.LOST, close_loan=close_loan,
                           acting_user=request.user)
    except CirculationRefused as refusal:
        if refusal.code == "confirm_close_loan":  # lent since the page was shown: ask again
            return _copy_lost_page(request, library, copy)
        return _copy_lost_page(request, library, copy, error=refusal.message, status=400)
    text = _("Exemplaire %(barcode)s (« %(title)s ») déclaré perdu.") % {
        "barcode": copy.barcode, "title": copy.record.title}
    if result.closed_loan is not None:
        text += " " + _("Le prêt de %(name)s est clôturé.") % {"name": result.closed_loan.borrower.name}
    messages.success(request, text)
    if result.reservation_ready is not None:
        messages.warning(request, _("Cet exemplaire est réservé par %(name)s : mettez-le de côté.") % {
            "name": result.reservation_ready.borrower.name})
    if result.temporary_user_cleared:
        messages.warning(request, _("Dernier prêt de l'usager temporaire %(name)s clôturé : sa fiche peut "
                                    "être supprimée.") % {"name": result.closed_loan.borrower.name})
    default = reverse("library:copy_lost", args=[library.uai, copy.barcode])
    return HttpResponseRedirect(safe_next(request, default), status=303)
