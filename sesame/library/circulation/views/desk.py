"""Prêt / retour at the desk: loans, returns, renewals, lost copies and the alerts panel (SPEC §2).

The pages read through ``selectors.py`` and change through the services: every rule, and every
write, is theirs. A refusal comes back as ``CirculationRefused`` with a translated message that
the page shows in ``role=alert`` with a 400 status, having changed nothing. A success redirects
(303) to a page that announces the result in ``role=status`` (Django messages), so that
reloading never lends or returns a copy twice.

The desk pages are built for a barcode scanner, which types the code then Enter: one field, with
the focus on it, emptied after each scan, so the next copy can be scanned at once.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sesame.core import clock
from sesame.library.circulation.alerts import alerts_mark_read
from sesame.library.circulation.forms import BarcodeForm, BorrowerLookupForm, ConfirmForm, IdForm
from sesame.library.circulation.rules import DATE_FORMAT
from sesame.library.circulation.selectors import (
    borrower_by_number,
    borrowers_matching,
    copy_by_barcode,
    loan_of,
    open_loan_of_copy,
    open_loans_of,
    ready_reservations_of,
    returns_of_day,
    unread_alert_ids,
)
from sesame.library.circulation.services import (
    CirculationRefused,
    copy_mark,
    loan_checkout,
    loan_renew,
    loan_return,
)
from sesame.library.circulation.views.pages import announce_follow_ups, no_borrower, not_found, page
from sesame.library.common.pages import first_error, safe_next, see_other
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import CopyStatus

RECENT_RETURNS = 20


@librarian_required
@require_POST
def alerts_read(request, library):
    form = IdForm(request.POST)
    if request.POST.get("all") == "1":
        count = alerts_mark_read(library=library, alert_ids=unread_alert_ids(library=library))
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


# --- Prêt -------------------------------------------------------------------------------------------


def _desk_page(request, library, *, form, found, error: str = "", status: int = 200):
    text = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    context = {"form": form, "text": text, "found": found, "error": error}
    return page(request, library, "library/circulation/desk.html", context, active="circulation",
                status=status)


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
    if not form.is_valid():
        return _desk_page(request, library, form=form, found=found, error=first_error(form), status=400)
    return _desk_page(request, library, form=form, found=found)


def _checkout_page(request, library, borrower, *, error: str = "", status: int = 200):
    context = {
        "borrower": borrower, "loans": open_loans_of(borrower), "ready": ready_reservations_of(borrower),
        "error": error, "form": BarcodeForm(),
    }
    return page(request, library, "library/circulation/checkout.html", context, active="circulation",
                status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def circulation_checkout(request, library, number: int):
    """One borrower at the desk: each scanned barcode lends one copy, and the page stays theirs."""
    borrower = borrower_by_number(library=library, number=number)
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
    return see_other("library:circulation_checkout", uai=library.uai, number=borrower.number)


@librarian_required
@require_POST
def circulation_renew(request, library, loan_id: int):
    loan = loan_of(library=library, loan_id=loan_id)
    if loan is None:
        return not_found(request, library, _("Ce prêt n'existe pas dans cette bibliothèque."),
                         active="circulation")
    try:
        renewed = loan_renew(library=library, loan=loan, acting_user=request.user)
    except CirculationRefused as refusal:
        if loan.borrower is None:
            return _desk_page(request, library, form=BorrowerLookupForm(), found=[], error=refusal.message,
                              status=400)
        return _checkout_page(request, library, loan.borrower, error=refusal.message, status=400)
    messages.success(request, _("Prêt de « %(title)s » (%(barcode)s) prolongé jusqu'au %(due)s.") % {
        "title": renewed.copy.record.title, "barcode": renewed.copy.barcode,
        "due": renewed.due_on.strftime(DATE_FORMAT)})
    return see_other("library:circulation_checkout", uai=library.uai, number=renewed.borrower.number)


# --- Retour -----------------------------------------------------------------------------------------


def _return_page(request, library, *, error: str = "", status: int = 200):
    recent = returns_of_day(library=library, day=clock.today(), limit=RECENT_RETURNS)
    context = {"form": BarcodeForm(), "error": error, "recent": recent}
    return page(request, library, "library/circulation/return.html", context, active="circulation",
                status=status)


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
    announce_follow_ups(request, reservation_ready=result.reservation_ready,
                        cleared=loan.borrower if result.temporary_user_cleared else None,
                        closed_as_lost=False)
    return see_other("library:circulation_return", uai=library.uai)


# --- Déclarer perdu ---------------------------------------------------------------------------------


def _copy_lost_page(request, library, copy, *, error: str = "", status: int = 200):
    context = {"copy": copy, "loan": open_loan_of_copy(copy), "error": error,
               "is_lost": copy.status == CopyStatus.LOST, "next": safe_next(request, "")}
    return page(request, library, "library/circulation/copy_lost.html", context, active="circulation",
                status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def copy_lost(request, library, barcode: str):
    """"Déclarer perdu": on loan, the page first asks whether to close the loan (seed C7: "BCDI
    vous proposera de clôturer les prêts associés")."""
    copy = copy_by_barcode(library=library, barcode=barcode)
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
    closed = result.closed_loan
    if closed is not None:
        text += " " + _("Le prêt de %(name)s est clôturé.") % {"name": closed.borrower.name}
    messages.success(request, text)
    announce_follow_ups(request, reservation_ready=result.reservation_ready,
                        cleared=closed.borrower if result.temporary_user_cleared else None,
                        closed_as_lost=True)
    default = reverse("library:copy_lost", args=[library.uai, copy.barcode])
    return HttpResponseRedirect(safe_next(request, default), status=303)
