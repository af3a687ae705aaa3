"""What every circulation service shares: refusals, loan rules, the journal, notices, the queue.

Kept apart from ``circulation.py`` so that ``temporary_users.py`` (seed C7) applies exactly the
same rules without importing the desk services: "the librarian is told when the last loan of a
temporary user is closed" must hold whether the loan was returned, closed as lost or handed to
another borrower, so it lives here once (``temporary_user_check_cleared``).

Everything here runs inside the caller's ``transaction.atomic()`` and writes nothing outside
it; mail leaves only ``on_commit``, so a refused or rolled-back operation writes to nobody.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from sesame.library.models import (
    ACTIVE_RESERVATION_STATES,
    Borrower,
    CirculationEvent,
    Copy,
    CopyStatus,
    Library,
    LibraryNotice,
    Loan,
    LoanRule,
    NoticeKind,
    Reservation,
    ReservationState,
)
from sesame.sync.normalize import fold

logger = logging.getLogger(__name__)

DATE_FORMAT = "%d/%m/%Y"
# Lock only the row asked for: joined rows (record, library) are read, not locked, so desks of
# one library do not queue behind each other, and PostgreSQL refuses to lock an outer join.
SELF = ("self",)


class CirculationRefused(Exception):
    """An operation the rules forbid; ``message`` tells the librarian why, in French.

    Raised before anything is written, or inside the service's transaction so that whatever was
    written is rolled back: a refusal never changes the base.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class EffectiveRule:
    """The rule that applies to one borrower (a ``LoanRule`` row or the built-in default)."""

    loan_days: int
    max_loans: int
    renewals_allowed: int


# Used when a library has no rule at all: three weeks is the usual CDI loan (SPEC §2 leaves it
# to the school, which overrides it with a ``LoanRule`` whose status is empty).
DEFAULT_RULE = EffectiveRule(loan_days=21, max_loans=5, renewals_allowed=1)


def one(queryset):
    """The single row a unique condition selects, or None.

    ``get()`` rather than ``first()``: it drops the models' default ordering, which only costs
    time when the condition (a primary key, a unique constraint) allows one row at most.
    """
    try:
        return queryset.get()
    except queryset.model.DoesNotExist:
        return None


def clock(today: date | None, now: datetime | None) -> tuple[date, datetime]:
    now = now or timezone.now()
    return today or timezone.localdate(now), now


def locked_borrower(library: Library, borrower: Borrower) -> Borrower:
    found = one(Borrower.objects.select_for_update(of=SELF).filter(library=library, pk=borrower.pk))
    if found is None:
        raise CirculationRefused("unknown_borrower",
                                 "Cet emprunteur n'existe pas (ou plus) dans cette bibliothèque.")
    return found


def locked_copy(library: Library, barcode: str) -> Copy:
    code = barcode.strip()
    copy = one(Copy.objects.select_for_update(of=SELF).select_related("record", "library")
               .filter(library=library, barcode=code))
    if copy is None:
        raise CirculationRefused("unknown_barcode",
                                 f"Code-barre inconnu : aucun exemplaire « {code} » dans cette bibliothèque.")
    return copy


def open_loan(copy: Copy) -> Loan | None:
    return one(Loan.objects.select_for_update(of=SELF).select_related("borrower")
               .filter(copy=copy, returned_on__isnull=True))


def loan_rule_for(*, library: Library, status: str) -> EffectiveRule:
    """The rule for a status: same folded status first, else the library's default, else ours.

    A library has a handful of rules, so they are compared in Python with the same folding the
    update uses for statuses: "Elève", "ÉLÈVE" and "eleve" are one status.
    """
    wanted = fold(status)
    default = None
    for rule in LoanRule.objects.filter(library=library):
        folded = fold(rule.status)
        if folded and folded == wanted:
            return EffectiveRule(rule.loan_days, rule.max_loans, rule.renewals_allowed)
        if not folded:
            default = rule
    if default is not None:
        return EffectiveRule(default.loan_days, default.max_loans, default.renewals_allowed)
    return DEFAULT_RULE


def actor_of(acting_user):
    """The user to record, or None for a command, a test or an anonymous request."""
    return acting_user if getattr(acting_user, "pk", None) is not None else None


def event_record(
    *, library: Library, action: str, acting_user, now: datetime, borrower: Borrower | None = None,
    copy: Copy | None = None, detail: str = "",
) -> CirculationEvent:
    """One line of the desk journal (who did what), in the caller's transaction."""
    return CirculationEvent.objects.create(
        library=library, at=now, actor=actor_of(acting_user), action=action, borrower=borrower,
        copy=copy, detail=detail[:300],
    )


def borrower_label(borrower: Borrower) -> str:
    return f"{borrower.name} (n° {borrower.number})"


def notice_send(
    *, library: Library, kind: str, message: str, now: datetime, borrower: Borrower | None = None,
    mail_subject: str = "", mail_body: str = "",
) -> LibraryNotice:
    """Tell the librarian (an in-app notice) and, with a subject, the borrower by e-mail.

    The e-mail leaves after the commit, so a rolled-back operation sends nothing; a mail server
    that fails is logged and does not undo what was done at the desk.
    """
    notice = LibraryNotice.objects.create(library=library, kind=kind, message=message, borrower=borrower,
                                          created_at=now)
    address = borrower.email.strip() if borrower is not None else ""
    if mail_subject and address:
        def deliver() -> None:
            try:
                send_mail(mail_subject, mail_body or message, settings.DEFAULT_FROM_EMAIL, [address])
            except Exception:  # the desk operation is done; the notice is the record
                logger.exception("Courriel non envoyé (avis %s)", notice.pk)

        transaction.on_commit(deliver)
    return notice


def temporary_user_check_cleared(*, borrower: Borrower | None, now: datetime) -> bool:
    """Seed C7: "une fois tous les prêts en cours d'un usager temporaire clôturés, BCDI vous en
    informera. Vous pourrez supprimer sa fiche". True (and a notice) when that just happened.

    Call it after the loan was closed or moved, in the same transaction.
    """
    if borrower is None or not borrower.is_temporary:
        return False
    if Loan.objects.filter(borrower=borrower, returned_on__isnull=True).exists():
        return False
    notice_send(
        library=borrower.library, kind=NoticeKind.TEMPORARY_USER_CLEARED, borrower=borrower, now=now,
        message=(f"{borrower_label(borrower)}, usager temporaire, n'a plus de prêt en cours : "
                 "sa fiche peut maintenant être supprimée."),
    )
    return True


# --- The reservation queue -----------------------------------------------------------------------


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
    notice_send(
        library=copy.library, kind=NoticeKind.RESERVATION_READY, borrower=borrower, now=now,
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


# --- Notices the librarian reads -----------------------------------------------------------------


def notices(*, library: Library, unread_only: bool = False):
    """The library's notices, newest first, with the borrower they concern (None once deleted)."""
    rows = LibraryNotice.objects.filter(library=library).select_related("borrower")
    return rows.filter(is_read=False) if unread_only else rows


def notice_mark_read(*, library: Library, notice_ids: list[int]) -> int:
    """Mark notices of this library as read; returns how many changed (others' ids are ignored)."""
    with transaction.atomic():
        unread = LibraryNotice.objects.filter(library=library, pk__in=notice_ids, is_read=False)
        return unread.update(is_read=True)
