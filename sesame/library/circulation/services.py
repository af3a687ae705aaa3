"""Circulation at the desk: loans, returns, renewals, reservations, copy status (SPEC §2).

Every service is keyword-only, runs in one ``transaction.atomic()``, writes one line of the
desk journal (``LibraryEvent``: who did it) and raises ``CirculationRefused(message, code)``
with a French message, having changed nothing, when the rules forbid the operation. Rows that
decide the outcome (the borrower, the copy, the loan) are locked first, so two desks cannot both
lend the last copy or both push a borrower over the limit; the database adds its own guarantee
for the copy (one open loan per copy, one held reservation per copy).

Seed C7 rules for an *usager temporaire* (a borrower set aside by the update because they had
loans): no loan, no reservation, no renewal; returns are possible; when their last open loan is
returned or closed as lost, the librarian is told the record can be deleted.

Clock: ``today`` (dates of loans) and ``now`` (times of reservations and notices) default to
``django.utils.timezone``; tests pass them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from sesame.library.circulation.alerts import alerts, alerts_mark_read, temporary_user_check_cleared
from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.locking import locked_borrower, locked_copy, open_loan
from sesame.library.circulation.reservations import (
    available_copy_for,
    copy_hold,
    copy_offer,
    hold_release,
    queue_first,
    reservation_unready,
)
from sesame.library.circulation.rules import DATE_FORMAT, borrower_label, clock, loan_rule_for
from sesame.library.common.audit import event_record
from sesame.library.common.locking import SELF, one
from sesame.library.models import (
    ACTIVE_RESERVATION_STATES,
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

__all__ = [
    "CirculationRefused",
    "CopyMarkResult",
    "ReturnResult",
    "alerts",
    "alerts_mark_read",
    "copy_mark",
    "loan_checkout",
    "loan_renew",
    "loan_return",
    "loan_rule_for",
    "overdue_loans",
    "reservation_cancel",
    "reservation_create",
]

# Statuses a copy can leave to be lent again; "perdu" and "exclu du prêt" cannot be reserved.
_RESERVABLE = (CopyStatus.AVAILABLE, CopyStatus.ON_LOAN, CopyStatus.IN_REPAIR)


@dataclass(frozen=True)
class ReturnResult:
    """What a return did: the loan closed, the reservation now ready (the copy is held for its
    borrower, who was told) and whether a temporary user just lost their last open loan."""

    loan: Loan
    reservation_ready: Reservation | None
    temporary_user_cleared: bool


@dataclass(frozen=True)
class CopyMarkResult:
    """What marking a copy did: the loan closed as lost (if any), the reservation the copy now
    serves (made available again), and whether a temporary user just lost their last loan."""

    copy: Copy
    closed_loan: Loan | None
    reservation_ready: Reservation | None
    temporary_user_cleared: bool


def _refuse_temporary(borrower: Borrower, what: str) -> None:
    if borrower.is_temporary:
        raise CirculationRefused(
            f"{what} impossible : {borrower.name} est un usager temporaire (mis à l'écart lors de la mise "
            "à jour). Les retours restent possibles.",
            "temporary_user",
        )


def loan_checkout(
    *, library: Library, borrower: Borrower, barcode: str, acting_user=None, today: date | None = None,
    now: datetime | None = None,
) -> Loan:
    """Lend the copy with this barcode to ``borrower``; the due date follows their status's rule.

    Refused (codes): ``temporary_user`` (seed C7), ``unknown_barcode``, ``copy_on_loan``,
    ``copy_not_loanable`` (perdu, en réparation, exclu du prêt), ``copy_held`` (held for another
    borrower's reservation), ``max_loans``. Overdue loans do not block a new loan: the reminder
    letters deal with them, and the desk is not where a pupil should be turned away.
    Fulfils the borrower's own reservation for the record; if another copy was held for them,
    that copy goes to the next in line.
    """
    today, now = clock(today, now)
    with transaction.atomic():
        borrower = locked_borrower(library, borrower)
        _refuse_temporary(borrower, "Prêt")
        copy = locked_copy(library, barcode)
        if copy.status == CopyStatus.ON_LOAN:
            current = open_loan(copy)
            due = f" (retour prévu le {current.due_on:{DATE_FORMAT}})" if current else ""
            raise CirculationRefused(f"L'exemplaire {copy.barcode} est déjà prêté{due}.", "copy_on_loan")
        if copy.status != CopyStatus.AVAILABLE:
            raise CirculationRefused(
                f"L'exemplaire {copy.barcode} est « {copy.get_status_display()} » : "
                "il ne peut pas être prêté.",
                "copy_not_loanable",
            )
        # One read for both questions: is this copy held for someone, and does the borrower
        # have a reservation of this record (which this loan fulfils)?
        concerned = list(
            Reservation.objects.select_for_update(of=SELF).select_related("borrower")
            .filter(record_id=copy.record_id, state__in=ACTIVE_RESERVATION_STATES)
            .filter(Q(copy=copy, state=ReservationState.READY) | Q(borrower=borrower)).order_by()
        )
        hold = next((row for row in concerned if row.copy_id == copy.pk and row.is_ready), None)
        own = next((row for row in concerned if row.borrower_id == borrower.pk), None)
        if hold is not None and hold.borrower_id != borrower.pk:
            raise CirculationRefused(
                f"L'exemplaire {copy.barcode} est mis de côté pour {borrower_label(hold.borrower)} "
                "(réservation) : il ne peut pas être prêté à un autre emprunteur.",
                "copy_held",
            )
        rule = loan_rule_for(library=library, status=borrower.status)
        count = Loan.objects.filter(borrower=borrower, returned_on__isnull=True).count()
        if count >= rule.max_loans:
            status = f" pour le statut « {borrower.status} »" if borrower.status else ""
            raise CirculationRefused(
                f"Prêt impossible : {borrower.name} a déjà {count} prêt(s) en cours "
                f"(maximum {rule.max_loans}{status}).",
                "max_loans",
            )
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    library=library, copy=copy, borrower=borrower, borrower_status=borrower.status,
                    borrower_class=borrower.school_class, loaned_on=today,
                    due_on=today + timedelta(days=rule.loan_days),
                )
        except IntegrityError as error:  # lent at this very moment at another desk
            raise CirculationRefused(f"L'exemplaire {copy.barcode} est déjà prêté.",
                                     "copy_on_loan") from error
        copy.status = CopyStatus.ON_LOAN
        copy.save(update_fields=["status"])
        if own is not None:
            _fulfil_own_reservation(own=own, copy=copy, now=now)
        event_record(library=library, action=EventAction.CHECKOUT, acting_user=acting_user, now=now,
                     borrower=borrower, copy=copy,
                     detail=f"{copy.barcode} → n° {borrower.number}, retour le {loan.due_on:{DATE_FORMAT}}")
    return loan


def _fulfil_own_reservation(*, own: Reservation, copy: Copy, now: datetime) -> None:
    other_copy = own.copy if own.copy_id not in (None, copy.pk) else None
    own.state, own.copy, own.closed_at = ReservationState.FULFILLED, copy, now
    own.save(update_fields=["state", "copy", "closed_at"])
    if other_copy is not None:
        other_copy = (Copy.objects.select_for_update(of=SELF).select_related("record", "library")
                      .get(pk=other_copy.pk))
        if other_copy.status == CopyStatus.AVAILABLE:
            copy_offer(copy=other_copy, now=now)


def loan_return(
    *, library: Library, barcode: str, acting_user=None, today: date | None = None,
    now: datetime | None = None,
) -> ReturnResult:
    """Record the return of the copy with this barcode, whoever borrowed it (temporary users too).

    The copy goes back on the shelf (*disponible*) unless a reservation waits for its record:
    then it is held for the first in line, who is told (notice, and e-mail if they have an
    address). When the borrower is a temporary user and this was their last open loan, the
    librarian is told the record can be deleted. Refused: ``unknown_barcode``, ``not_on_loan``.
    """
    today, now = clock(today, now)
    with transaction.atomic():
        copy = locked_copy(library, barcode)
        loan = open_loan(copy)
        if loan is None:
            raise CirculationRefused(
                f"L'exemplaire {copy.barcode} n'est pas en prêt : aucun retour à enregistrer.", "not_on_loan")
        loan.returned_on = today
        loan.save(update_fields=["returned_on"])
        ready = copy_offer(copy=copy, now=now)
        cleared = temporary_user_check_cleared(borrower=loan.borrower, now=now)
        late = f", {(today - loan.due_on).days} j de retard" if today > loan.due_on else ""
        event_record(library=library, action=EventAction.RETURN, acting_user=acting_user, now=now,
                     borrower=loan.borrower, copy=copy,
                     detail=f"{copy.barcode} rendu par n° {loan.borrower.number}{late}")
    return ReturnResult(loan=loan, reservation_ready=ready, temporary_user_cleared=cleared)


def loan_renew(
    *, library: Library, loan: Loan, acting_user=None, today: date | None = None, now: datetime | None = None,
) -> Loan:
    """Extend an open loan by its rule's duration from today (never shortening it).

    Refused: ``not_open``, ``temporary_user`` (seed C7: no new loan, and a renewal is one),
    ``reserved`` (someone waits for the record: the copy must come back), ``max_renewals``.
    """
    today, now = clock(today, now)
    with transaction.atomic():
        loan = one(Loan.objects.select_for_update(of=SELF).select_related("borrower", "copy__record")
                   .filter(library=library, pk=loan.pk))
        if loan is None or not loan.is_open:
            raise CirculationRefused("Ce prêt n'est plus en cours : il ne peut pas être prolongé.",
                                     "not_open")
        borrower = loan.borrower
        _refuse_temporary(borrower, "Prolongation")
        if Reservation.objects.filter(record_id=loan.copy.record_id, state=ReservationState.WAITING).exists():
            raise CirculationRefused(
                f"Prolongation impossible : « {loan.copy.record.title} » est réservé par un autre "
                "emprunteur.",
                "reserved",
            )
        rule = loan_rule_for(library=library, status=borrower.status)
        if loan.renewals >= rule.renewals_allowed:
            raise CirculationRefused(
                f"Prolongation impossible : ce prêt a déjà été prolongé {loan.renewals} fois "
                f"(maximum {rule.renewals_allowed}).",
                "max_renewals",
            )
        loan.due_on = max(loan.due_on, today + timedelta(days=rule.loan_days))
        loan.renewals += 1
        loan.save(update_fields=["due_on", "renewals"])
        event_record(library=library, action=EventAction.RENEW, acting_user=acting_user, now=now,
                     borrower=borrower, copy=loan.copy,
                     detail=f"{loan.copy.barcode} prolongé au {loan.due_on:{DATE_FORMAT}}")
    return loan


def reservation_create(
    *, library: Library, borrower: Borrower, record: Record, acting_user=None, now: datetime | None = None,
) -> Reservation:
    """Put ``borrower`` in the queue for ``record``; if a copy is on the shelf it is held at once.

    Refused: ``temporary_user`` (seed C7), ``unknown_record``, ``duplicate`` (already waiting or
    ready), ``already_borrowed`` (they have it), ``no_loanable_copy`` (every copy lost or
    excluded: nothing will ever come back).
    """
    _, now = clock(None, now)
    with transaction.atomic():
        borrower = locked_borrower(library, borrower)
        if borrower.is_temporary:
            raise CirculationRefused(
                f"Réservation impossible : {borrower.name} est un usager temporaire (mis à l'écart lors de "
                "la mise à jour).",
                "temporary_user",
            )
        record = one(Record.objects.select_for_update(of=SELF).filter(library=library, pk=record.pk))
        if record is None:
            raise CirculationRefused("Cette notice n'existe pas (ou plus) dans cette bibliothèque.",
                                     "unknown_record")
        mine = Reservation.objects.filter(record=record, borrower=borrower)
        if mine.filter(state__in=ACTIVE_RESERVATION_STATES).exists():
            raise CirculationRefused(
                f"{borrower.name} a déjà une réservation en cours pour « {record.title} ».", "duplicate")
        if Loan.objects.filter(borrower=borrower, copy__record=record, returned_on__isnull=True).exists():
            raise CirculationRefused(f"{borrower.name} a déjà « {record.title} » en prêt.",
                                     "already_borrowed")
        if not Copy.objects.filter(record=record, status__in=_RESERVABLE).exists():
            raise CirculationRefused(
                f"Réservation impossible : « {record.title} » n'a aucun exemplaire prêtable.",
                "no_loanable_copy")
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


def reservation_cancel(
    *, library: Library, reservation: Reservation, acting_user=None, now: datetime | None = None,
) -> Reservation:
    """Cancel a waiting or ready reservation; a held copy goes to the next in line (or the shelf).

    Allowed for temporary users: it takes nothing from anyone. Refused: ``not_active``.
    """
    _, now = clock(None, now)
    with transaction.atomic():
        found = one(Reservation.objects.select_for_update(of=SELF).select_related("borrower")
                    .filter(library=library, pk=reservation.pk))
        if found is None or not found.is_active:
            raise CirculationRefused("Cette réservation n'est plus en cours.", "not_active")
        was_ready = found.state == ReservationState.READY
        found.state, found.closed_at = ReservationState.CANCELLED, now
        found.save(update_fields=["state", "closed_at"])
        if was_ready:
            hold_release(reservation=found, now=now)
        event_record(library=library, action=EventAction.RESERVATION_CANCEL, acting_user=acting_user,
                     now=now, borrower=found.borrower,
                     detail=f"réservation de la notice {found.record_id} (n° {found.borrower.number})")
    return found


def copy_mark(
    *, library: Library, copy: Copy, status: str, close_loan: bool = False, acting_user=None,
    today: date | None = None, now: datetime | None = None,
) -> CopyMarkResult:
    """Set a copy's status by hand (perdu, en réparation, exclu du prêt, disponible).

    A copy on loan can only be declared *perdu*, and only with ``close_loan=True`` (seed C7:
    "BCDI vous proposera de clôturer les prêts associés"): the loan is then closed today with
    ``closed_as_lost``, and the temporary-user rule applies (told when it was their last loan).
    Without it the refusal ``confirm_close_loan`` names the borrower so the page can ask. A copy
    made *disponible* serves the queue; a held copy that can no longer be lent sends its
    reservation back to waiting (first in line still). Refused also: ``bad_status`` (unknown,
    or *prêté*, which only a loan gives), ``copy_on_loan`` (other statuses while lent).
    """
    today, now = clock(today, now)
    if status not in CopyStatus.values or status == CopyStatus.ON_LOAN:
        raise CirculationRefused(
            f"Statut « {status} » impossible ici : le statut « prêté » est donné par un prêt.", "bad_status")
    with transaction.atomic():
        copy = one(Copy.objects.select_for_update(of=SELF).select_related("record", "library")
                   .filter(library=library, pk=copy.pk))
        if copy is None:
            raise CirculationRefused("Cet exemplaire n'existe pas (ou plus) dans cette bibliothèque.",
                                     "unknown_copy")
        before = copy.status
        loan = open_loan(copy)
        closed, ready, cleared = None, None, False
        if loan is not None:
            who = borrower_label(loan.borrower)
            if status != CopyStatus.LOST:
                raise CirculationRefused(
                    f"Cet exemplaire est prêté à {who} : enregistrez d'abord son retour.", "copy_on_loan")
            if not close_loan:
                raise CirculationRefused(
                    f"Cet exemplaire est prêté à {who} : confirmez la clôture du prêt pour le déclarer "
                    "perdu.",
                    "confirm_close_loan",
                )
            loan.returned_on, loan.closed_as_lost = today, True
            loan.save(update_fields=["returned_on", "closed_as_lost"])
            closed = loan
        if status == CopyStatus.AVAILABLE and before != CopyStatus.AVAILABLE:
            ready = copy_offer(copy=copy, now=now)
        else:
            copy.status = status
            copy.save(update_fields=["status"])
            held = one(Reservation.objects.select_for_update(of=SELF)
                       .filter(copy=copy, state=ReservationState.READY))
            if held is not None and status != CopyStatus.AVAILABLE:
                reservation_unready(reservation=held, now=now)
        if closed is not None:
            cleared = temporary_user_check_cleared(borrower=closed.borrower, now=now)
        lost = f", prêt de n° {closed.borrower.number} clôturé" if closed else ""
        event_record(library=library, action=EventAction.COPY_STATUS, acting_user=acting_user, now=now,
                     borrower=closed.borrower if closed else None, copy=copy,
                     detail=f"{copy.barcode} : {before} → {status}{lost}")
    return CopyMarkResult(copy=copy, closed_loan=closed, reservation_ready=ready,
                          temporary_user_cleared=cleared)


def overdue_loans(
    *, library: Library, today: date | None = None, school_class: str | None = None,
) -> QuerySet:
    """Open loans past their due date (the *lettres de relance*), by borrower then due date.

    ``school_class`` selects the borrowers' current class (where the letter is handed out),
    compared without regard to case; borrower, copy and record come with each loan.
    """
    today, _ = clock(today, None)
    loans = (Loan.objects.filter(library=library, returned_on__isnull=True, due_on__lt=today)
             .select_related("borrower", "copy__record"))
    if school_class:
        loans = loans.filter(Q(borrower__school_class__iexact=school_class.strip()))
    return loans.order_by("borrower__name", "borrower__number", "due_on", "pk")
