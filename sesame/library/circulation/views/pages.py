"""How every circulation page is drawn, written once for the desk, the reservations and the
temporary users' pages (``temporary_users`` → ``circulation`` is an allowed edge).

A page gets the library, its menu entry, today's date and the unread alerts (in the reader's
language, ``alerts.alert_text``); a missing borrower, copy or record is a 404 page that says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.circulation.alerts import alert_text
from sesame.library.circulation.selectors import unread_alerts
from sesame.library.models import Borrower, Library, Reservation

ALERT_LIMIT = 20
NOT_FOUND = "library/circulation/not_found.html"


def page(request, library: Library, template: str, context: dict, *, active: str, status: int = 200):
    """Render ``template`` with the library, the menu entry and the unread alerts."""
    shown, count = unread_alerts(library=library, limit=ALERT_LIMIT)
    for alert in shown:
        alert.text = alert_text(alert)
    full = {
        "library": library, "active": active, "today": clock.today(), "alerts": shown,
        "alert_count": count, "here": request.get_full_path(), **context,
    }
    return render(request, template, full, status=status)


def not_found(request, library: Library, reason: str, *, active: str, borrower: Borrower | None = None):
    """The 404 page of the circulation, with ``reason``; ``borrower`` adds a link to their record."""
    return page(request, library, NOT_FOUND, {"reason": reason, "borrower": borrower}, active=active,
                status=404)


def no_borrower(number: int) -> str:
    return _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.") % {"number": number}


def announce_follow_ups(request, *, reservation_ready: Reservation | None, cleared: Borrower | None,
                        closed_as_lost: bool) -> None:
    """What the librarian must do after a loan ended (returned, or closed as lost): put a copy
    aside for the reservation it now serves, or delete a temporary user who has no loan left
    (seed C7)."""
    if reservation_ready is not None:
        messages.warning(request, _("Cet exemplaire est réservé par %(name)s : mettez-le de côté.") % {
            "name": reservation_ready.borrower.name})
    if cleared is not None:
        text = (_("Dernier prêt de l'usager temporaire %(name)s clôturé : sa fiche peut être supprimée.")
                if closed_as_lost else
                _("Dernier prêt de l'usager temporaire %(name)s rendu : sa fiche peut être supprimée."))
        messages.warning(request, text % {"name": cleared.name})
