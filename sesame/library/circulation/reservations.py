"""Reservations (SPEC §2): putting a borrower in the queue for a record, cancelling, and the queue
itself — who is first, holding a copy for them, handing it on.

``reservation_create`` and ``reservation_cancel`` are services like those of ``services.py``
(keyword-only, one transaction, one journal line, ``CirculationRefused`` with nothing changed).
The queue functions below them run inside the caller's transaction with the rows locked
(``SELF``): the desk's services call them, and the borrower update uses ``reservations_drop``
before it deletes borrowers.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.circulation.alerts import alert_send
from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.locking import locked_borrower
from sesame.library.circulation.rules import refuse_temporary
from sesame.library.common.audit import event_record
from sesame.library.common.locking import SELF, one
from sesame.library.models import (
    ACTIVE_RESERVATION_STATES,
    AlertKind,
    Borrower,
    Copy,
    CopyStatus,
    EventAction,
    Library,
    Loan,
    Record,
    Reservation,
    ReservationState,
)

# Statuses a copy can leave to be lent again; "perdu" and "exclu du prêt" cannot be reserved.
_RESERVABLE = (CopyStatus.AVAILABLE, CopyStatus.ON_LOAN, CopyStatus.IN_REPAIR)


def reservation_create(
    *, library: Library, borrower: Borrower, record: Record, acting_user, now: datetime | None = None,
) -> Reservation:
    """Put ``borrower`` in the queue for ``record``; if a copy is on the shelf it is held at once.

    Refused: ``temporary_user`` (seed C7), ``unknown_record``, ``duplicate`` (already waiting or
    ready), ``already_borrowed`` (they have it), ``no_loanable_copy`` (every copy lost or
    excluded: nothing will ever come back).
    """
    now = now or clock.now()
    with transaction.atomic():
        borrower = locked_borrower(library, borrower)
        refuse_temporary(borrower, operation="reserve")
        record = one(Record.objects.select_for_update(of=SELF).filter(library=library, pk=record.pk))
        if record is None:
            raise CirculationRefused(_("Cette notice n'existe pas (ou plus) dans cette bibliothèque."),
                                     "unknown_record")
        _refuse_reservation(borrower=borrower, record=record)
        reservation = Reservation.objects.create(library=library, record=record, borrower=borrower,
                                                 created_at=now)
        shelf = available_copy_for(record_id=record.pk)
        first = queue_first(record_id=record.pk) if shelf is not None else None
        if first is not None:
            copy_hold(reservation=first, copy=shelf, now=now)
        event_record(library=library, action=EventAction.RESERVE, acting_user=acting_user, now=now,
                     borrower=borrower, detail=f"notice {record.pk} réservée par n° {borrower.number}")
    reservation.refresh_from_db()
    return reservation


def _refuse_reservation(*, borrower: Borrower, record: Record) -> None:
    values = {"name": borrower.name, "title": record.title}
    mine = Reservation.objects.filter(record=record, borrower=borrower)
    if mine.filter(state__in=ACTIVE_RESERVATION_STATES).exists():
        raise CirculationRefused(
            _("%(name)s a déjà une réservation en cours pour « %(title)s ».") % values, "duplicate")
    if Loan.objects.open().filter(borrower=borrower, copy__record=record).exists():
        raise CirculationRefused(_("%(name)s a déjà « %(title)s » en prêt.") % values, "already_borrowed")
    if not Copy.objects.filter(record=record, status__in=_RESERVABLE).exists():
        raise CirculationRefused(
            _("Réservation impossible : « %(title)s » n'a aucun exemplaire prêtable.") % values,
            "no_loanable_copy")


def reservation_cancel(
    *, library: Library, reservation: Reservation, acting_user, now: datetime | None = None,
) -> Reservation:
    """Cancel a waiting or ready reservation; a held copy goes to the next in line (or the shelf).

    Allowed for temporary users: it takes nothing from anyone. Refused: ``not_active``.
    """
    now = now or clock.now()
    with transaction.atomic():
        found = one(Reservation.objects.select_for_update(of=SELF).select_related("borrower")
                    .filter(library=library, pk=reservation.pk))
        if found is None or not found.is_active:
            raise CirculationRefused(_("Cette réservation n'est plus en cours."), "not_active")
        was_ready = found.state == ReservationState.READY
        found.state, found.closed_at = ReservationState.CANCELLED, now
        found.save(update_fields=["state", "closed_at"])
        if was_ready:
            hold_release(reservation=found, now=now)
        event_record(library=library, action=EventAction.RESERVATION_CANCEL, acting_user=acting_user,
                     now=now, borrower=found.borrower,
                     detail=f"réservation de la notice {found.record_id} (n° {found.borrower.number})")
    return found


# --- The queue (inside the caller's transaction) -------------------------------------------------


def queue_first(*, record_id: int, exclude_borrower_id: int | None = None) -> Reservation | None:
    """The first reservation still waiting for a record (position = order of creation)."""
    waiting = Reservation.objects.select_for_update(of=SELF).filter(record_id=record_id,
                                                             state=ReservationState.WAITING)
    if exclude_borrower_id is not None:
        waiting = waiting.exclude(borrower_id=exclude_borrower_id)
    return waiting.select_related("borrower").order_by("created_at", "pk").first()


def copy_hold(*, reservation: Reservation, copy: Copy, now: datetime) -> Reservation:
    """Hold an available copy for a waiting reservation and tell the borrower and the librarian.

    The copy keeps the status *disponible* (it is on the desk, not lent); the ready reservation
    is what keeps everyone else from borrowing it.
    """
    reservation.state = ReservationState.READY
    reservation.copy = copy
    reservation.ready_at = now
    reservation.save(update_fields=["state", "copy", "ready_at"])
    borrower = reservation.borrower
    title = copy.record.title
    # The e-mail is written in French, the school's language: the borrower chose no other.
    alert_send(
        library=copy.library, kind=AlertKind.RESERVATION_READY, borrower=borrower, now=now,
        values={"title": title, "barcode": copy.barcode, "name": borrower.name, "number": borrower.number},
        mail_subject=f"Votre réservation est disponible : {title}",
        mail_body=(f"Bonjour,\n\nLe document « {title} » que vous avez réservé vous attend au CDI "
                   f"({copy.library.name}).\n\nLe professeur documentaliste"),
    )
    return reservation


def copy_offer(*, copy: Copy, now: datetime) -> Reservation | None:
    """A copy just became available: the first in line gets it, else it goes back on the shelf.

    Returns the reservation now ready, or None. The copy's status is set to *disponible*.
    """
    if copy.status != CopyStatus.AVAILABLE:
        copy.status = CopyStatus.AVAILABLE
        copy.save(update_fields=["status"])
    first = queue_first(record_id=copy.record_id)
    if first is None:
        return None
    return copy_hold(reservation=first, copy=copy, now=now)


def hold_release(*, reservation: Reservation, now: datetime) -> Reservation | None:
    """A ready reservation lets its copy go (cancelled, fulfilled with another copy, …).

    The copy goes to the next in line if it can still be lent; returns that reservation.
    Call it after ``reservation`` itself left the *ready* state (and was saved).
    """
    copy = reservation.copy
    if copy is None:
        return None
    copy = Copy.objects.select_for_update(of=SELF).select_related("record", "library").get(pk=copy.pk)
    if copy.status != CopyStatus.AVAILABLE:
        return None
    return copy_offer(copy=copy, now=now)


def available_copy_for(*, record_id: int) -> Copy | None:
    """A copy of the record on the shelf that no reservation holds, if any."""
    held = Reservation.objects.filter(record_id=record_id, state=ReservationState.READY,
                                      copy__isnull=False).values("copy_id")
    return (
        Copy.objects.select_for_update(of=SELF).select_related("record", "library")
        .filter(record_id=record_id, status=CopyStatus.AVAILABLE).exclude(pk__in=held)
        .order_by("barcode", "pk").first()
    )


def reservation_unready(*, reservation: Reservation, now: datetime) -> Reservation:
    """The held copy can no longer be lent (lost, in repair): back to waiting, first in line.

    The reservation keeps its place (``created_at``) and takes another copy on the shelf if
    there is one.
    """
    reservation.state = ReservationState.WAITING
    reservation.copy = None
    reservation.ready_at = None
    reservation.save(update_fields=["state", "copy", "ready_at"])
    other = available_copy_for(record_id=reservation.record_id)
    if other is not None:
        first = queue_first(record_id=reservation.record_id)
        if first is not None:
            copy_hold(reservation=first, copy=other, now=now)
    return reservation


def reservations_drop(*, borrower_ids: list[int], now: datetime) -> int:
    """Before borrowers are deleted: cancel their reservations, hand held copies on, remove the rows.

    ``Reservation.borrower`` is PROTECT, so whatever deletes borrowers calls this first (in the
    same transaction): ``borrower_delete`` does, and so must any bulk deletion (the borrower
    update's *supprimés*). Ready reservations give their copy to the next in line; then every
    reservation row of these borrowers goes (they only say what a person wanted to read).
    Returns the number of rows removed.
    """
    active = list(Reservation.objects.select_for_update(of=SELF)
                  .filter(borrower_id__in=borrower_ids, state__in=ACTIVE_RESERVATION_STATES).order_by("pk"))
    # All cancelled first, so that a copy handed on never goes to another of these borrowers.
    Reservation.objects.filter(pk__in=[row.pk for row in active]).update(
        state=ReservationState.CANCELLED, closed_at=now)
    for reservation in active:
        if reservation.state == ReservationState.READY:
            hold_release(reservation=reservation, now=now)
    deleted, _ = Reservation.objects.filter(borrower_id__in=borrower_ids).delete()
    return deleted
