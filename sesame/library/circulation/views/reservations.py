"""Library pages for reservations: the queues per record, held copies, cancelling."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sesame.library.circulation.forms import BorrowerChoiceForm, BorrowerLookupForm, RecordLookupForm
from sesame.library.circulation.reservations import reservation_cancel, reservation_create
from sesame.library.circulation.selectors import (
    borrower_by_number,
    borrowers_matching,
    held_reservations,
    record_copies,
    record_of,
    record_queue,
    records_matching,
    reservation_of,
    waiting_queues,
)
from sesame.library.circulation.services import CirculationRefused
from sesame.library.circulation.views.pages import no_borrower, not_found, page
from sesame.library.common.pages import first_error, safe_next, see_other
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import ReservationState


@librarian_required
@require_GET
def reservations(request, library):
    """Held copies to put aside, the queues, and a record search to open a queue."""
    form = RecordLookupForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "text": text, "found": records_matching(library=library, text=text),
               "held": held_reservations(library=library), "queues": waiting_queues(library=library),
               "error": "" if form.is_valid() else first_error(form)}
    return page(request, library, "library/circulation/reservations.html", context, active="reservations",
                status=200 if form.is_valid() else 400)


def _record_page(request, library, record, *, error: str = "", status: int = 200):
    lookup = BorrowerLookupForm(request.GET)
    text = lookup.cleaned_data["q"] if lookup.is_valid() else ""
    context = {
        "record": record, "copies": record_copies(record), "queue": record_queue(record), "error": error,
        "lookup": lookup, "text": text, "found": borrowers_matching(library=library, text=text),
    }
    return page(request, library, "library/circulation/record_reservations.html", context,
                active="reservations", status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def record_reservations(request, library, record_id: int):
    """One record's queue: reserve it for a borrower (never a temporary user, seed C7), cancel."""
    record = record_of(library=library, record_id=record_id)
    if record is None:
        return not_found(request, library, _("Cette notice n'existe pas dans cette bibliothèque."),
                         active="reservations")
    if request.method == "GET":
        return _record_page(request, library, record)
    form = BorrowerChoiceForm(request.POST)
    if not form.is_valid():
        return _record_page(request, library, record, error=first_error(form), status=400)
    number = form.cleaned_data["borrower"]
    borrower = borrower_by_number(library=library, number=number)
    if borrower is None:
        return _record_page(request, library, record, error=no_borrower(number), status=400)
    try:
        reservation = reservation_create(library=library, borrower=borrower, record=record,
                                         acting_user=request.user)
    except CirculationRefused as refusal:
        return _record_page(request, library, record, error=refusal.message, status=400)
    text = _("Réservation de « %(title)s » enregistrée pour %(name)s.") % {"title": record.title,
                                                                           "name": borrower.name}
    if reservation.state == ReservationState.READY and reservation.copy is not None:
        text += " " + _("L'exemplaire %(barcode)s est disponible : mettez-le de côté.") % {
            "barcode": reservation.copy.barcode}
    messages.success(request, text)
    return see_other("library:record_reservations", uai=library.uai, record_id=record.pk)


@librarian_required
@require_POST
def circulation_reservation_cancel(request, library, reservation_id: int):
    reservation = reservation_of(library=library, reservation_id=reservation_id)
    if reservation is None:
        return not_found(request, library, _("Cette réservation n'existe pas dans cette bibliothèque."),
                         active="reservations")
    try:
        reservation_cancel(library=library, reservation=reservation, acting_user=request.user)
    except CirculationRefused as refusal:
        return _record_page(request, library, reservation.record, error=refusal.message, status=400)
    messages.success(request, _("Réservation de « %(title)s » pour %(name)s annulée.") % {
        "title": reservation.record.title, "name": reservation.borrower.name})
    default = reverse("library:record_reservations", args=[library.uai, reservation.record_id])
    return HttpResponseRedirect(safe_next(request, default), status=303)
