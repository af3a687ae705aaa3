"""The reservation queue: who is first for a record, holding a copy for them, handing it on.

Everything here runs inside the caller's transaction with the rows locked (``SELF``). The
borrower update uses ``reservations_drop`` too, before it deletes borrowers.
"""

from __future__ import annotations

from datetime import datetime

from sesame.library.circulation.alerts import alert_send
from sesame.library.circulation.rules import borrower_label
from sesame.library.common.locking import SELF
from sesame.library.models import (
    ACTIVE_RESERVATION_STATES,
    AlertKind,
    Copy,
    CopyStatus,
    Reservation,
    ReservationState,
)


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
    alert_send(
        library=copy.library, kind=AlertKind.RESERVATION_READY, borrower=borrower, now=now,
        message=(f"Réservation disponible : « {title} » (exemplaire {copy.barcode}) est mis de côté "
                 f"pour {borrower_label(borrower)}."),
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
