"""Library pages for reservations: the queues per record, held copies, cancelling."""


from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sesame.library.circulation.forms import (
    BorrowerChoiceForm,
    BorrowerLookupForm,
    RecordLookupForm,
)
from sesame.library.circulation.services import (
    CirculationRefused,
    reservation_cancel,
    reservation_create,
)
from sesame.library.circulation.views.desk import (
    SEARCH_LIMIT,
    borrowers_matching,
    first_error,
    no_borrower,
    not_found,
    page,
    redirect_303,
    safe_next,
)
from sesame.library.common.tenancy import librarian_required
from sesame.library.models import (
    ACTIVE_RESERVATION_STATES,
    Borrower,
    Copy,
    Library,
    Record,
    Reservation,
    ReservationState,
)
from sesame.sync.normalize import fold

# --- Réservations ---------------------------------------------------------------------------------------


def records_matching(*, library: Library, text: str) -> list[Record]:
    """The record of the copy with this barcode, else the records whose title holds every word."""
    if not text:
        return []
    copy = Copy.objects.filter(library=library, barcode=text).select_related("record").first()
    if copy is not None:
        return [copy.record]
    words = fold(text).split()
    if not words:
        return []
    titles = Record.objects.filter(library=library).order_by("title", "pk").values_list("pk", "title")
    wanted = [pk for pk, title in titles if all(word in fold(title) for word in words)][:SEARCH_LIMIT]
    return list(Record.objects.filter(pk__in=wanted).order_by("title", "pk"))


@librarian_required
@require_GET
def reservations(request, library):
    """Held copies to put aside, the queues, and a record search to open a queue."""
    form = RecordLookupForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    held = (Reservation.objects.filter(library=library, state=ReservationState.READY)
            .select_related("borrower", "record", "copy").order_by("ready_at", "pk"))
    queues = (Reservation.objects.filter(library=library, state=ReservationState.WAITING)
              .values("record_id", "record__title").annotate(waiting=Count("pk")).order_by("record__title"))
    context = {"form": form, "text": text, "found": records_matching(library=library, text=text),
               "held": held, "queues": queues, "error": "" if form.is_valid() else first_error(form)}
    return page(request, library, "reservations.html", context, active="reservations",
                status=200 if form.is_valid() else 400)


def _record_page(request, library, record, *, error: str = "", status: int = 200):
    lookup = BorrowerLookupForm(request.GET)
    text = lookup.cleaned_data["q"] if lookup.is_valid() else ""
    queue = (Reservation.objects.filter(record=record, state__in=ACTIVE_RESERVATION_STATES)
             .select_related("borrower", "copy").order_by("created_at", "pk"))
    context = {
        "record": record, "copies": record.copies.order_by("barcode"), "queue": queue, "error": error,
        "lookup": lookup, "text": text, "found": borrowers_matching(library=library, text=text),
    }
    return page(request, library, "record_reservations.html", context, active="reservations", status=status)


@librarian_required
@require_http_methods(["GET", "POST"])
def record_reservations(request, library, record_id: int):
    """One record's queue: reserve it for a borrower (never a temporary user, seed C7), cancel."""
    record = Record.objects.filter(library=library, pk=record_id).first()
    if record is None:
        return not_found(request, library, _("Cette notice n'existe pas dans cette bibliothèque."),
                         active="reservations")
    if request.method == "GET":
        return _record_page(request, library, record)
    form = BorrowerChoiceForm(request.POST)
    if not form.is_valid():
        return _record_page(request, library, record, error=first_error(form), status=400)
    number = form.cleaned_data["borrower"]
    borrower = Borrower.objects.filter(library=library, number=number).first()
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
    return redirect_303("library:record_reservations", uai=library.uai, record_id=record.pk)


@librarian_required
@require_POST
def circulation_reservation_cancel(request, library, reservation_id: int):
    reservation = (Reservation.objects.filter(library=library, pk=reservation_id)
                   .select_related("borrower", "record").first())
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
