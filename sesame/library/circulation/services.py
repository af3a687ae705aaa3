"""Circulation at the desk: loans, returns, renewals, copy status (SPEC §2).

Every service is keyword-only, runs in one ``transaction.atomic()``, writes one line of the
library's journal (``LibraryEvent``: who did it, ``acting_user`` required) and raises
``CirculationRefused(message, code)`` with a translated message, having changed nothing, when the
rules forbid the operation. Rows that decide the outcome (the borrower, the copy, the loan) are
locked first, so two desks cannot both lend the last copy or both push a borrower over the limit;
the database adds its own guarantee for the copy (one open loan per copy, one held reservation
per copy). Reservations have their services beside their queue, in ``reservations.py``.

Seed C7 rules for an *usager temporaire* (a borrower set aside by the update because they had
loans): no loan, no reservation, no renewal (``rules.refuse_temporary``); returns are possible;
when their last open loan is returned or closed as lost, the librarian is told the record can be
deleted (``alerts.temporary_user_check_cleared``).

Clock: ``today`` (dates of loans) and ``now`` (times of reservations, alerts and journal lines)
default to ``sesame.core.clock``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.circulation.alerts import temporary_user_check_cleared
from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.locking import locked_borrower, locked_copy, open_loan
from sesame.library.circulation.reservations import copy_offer, reservation_unready
from sesame.library.circulation.rules import (
    DATE_FORMAT,
    EffectiveRule,
    borrower_label,
    loan_rule_for,
    refuse_temporary,
)
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
    Reservation,
    ReservationState,
)

__all__ = [
    "CirculationRefused",
    "CopyMarkResult",
    "ReturnResult",
    "copy_mark",
    "loan_checkout",
    "loan_renew",
    "loan_return",
]


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


# --- Loans ---------------------------------------------------------------------------------------


def loan_checkout(
    *, library: Library, borrower: Borrower, barcode: str, acting_user, today: date | None = None,
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
    today, now = today or clock.today(), now or clock.now()
    with transaction.atomic():
        borrower = locked_borrower(library, borrower)
        refuse_temporary(borrower, operation="checkout")
        copy = locked_copy(library, barcode)
        rule, own = _checkout_refusal(library=library, borrower=borrower, copy=copy)
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    library=library, copy=copy, borrower=borrower, borrower_status=borrower.status,
                    borrower_class=borrower.school_class, loaned_on=today,
                    due_on=today + timedelta(days=rule.loan_days),
                )
        except IntegrityError as error:  # lent at this very moment at another desk
            raise CirculationRefused(_("L'exemplaire %(barcode)s est déjà prêté.")
                                     % {"barcode": copy.barcode}, "copy_on_loan") from error
        copy.status = CopyStatus.ON_LOAN
        copy.save(update_fields=["status"])
        if own is not None:
            _fulfil_own_reservation(own=own, copy=copy, now=now)
        event_record(library=library, action=EventAction.CHECKOUT, acting_user=acting_user, now=now,
                     borrower=borrower, copy=copy,
                     detail=f"{copy.barcode} → n° {borrower.number}, retour le {loan.due_on:{DATE_FORMAT}}")
    return loan


def _checkout_refusal(
    *, library: Library, borrower: Borrower, copy: Copy,
) -> tuple[EffectiveRule, Reservation | None]:
    """Refuse the loan if the copy or the borrower's limit forbids it (rows already locked).

    Returns the borrower's rule and their own reservation of the record (which the loan
    fulfils), read in the same statement as the copy's hold.
    """
    values = {"barcode": copy.barcode}
    if copy.status == CopyStatus.ON_LOAN:
        current = open_loan(copy)
        message = (_("L'exemplaire %(barcode)s est déjà prêté (retour prévu le %(due)s).")
                   % {**values, "due": current.due_on.strftime(DATE_FORMAT)} if current else
                   _("L'exemplaire %(barcode)s est déjà prêté.") % values)
        raise CirculationRefused(message, "copy_on_loan")
    if copy.status != CopyStatus.AVAILABLE:
        raise CirculationRefused(
            _("L'exemplaire %(barcode)s est « %(status)s » : il ne peut pas être prêté.")
            % {**values, "status": copy.get_status_display()},
            "copy_not_loanable")
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
            _("L'exemplaire %(barcode)s est mis de côté pour %(borrower)s (réservation) : il ne peut pas "
              "être prêté à un autre emprunteur.") % {**values, "borrower": borrower_label(hold.borrower)},
            "copy_held")
    rule = loan_rule_for(library=library, status=borrower.status)
    count = Loan.objects.open().filter(borrower=borrower).count()
    if count >= rule.max_loans:
        values = {"name": borrower.name, "count": count, "max": rule.max_loans, "status": borrower.status}
        message = (_("Prêt impossible : %(name)s a déjà %(count)s prêt(s) en cours (maximum %(max)s pour le "
                     "statut « %(status)s »).") if borrower.status else
                   _("Prêt impossible : %(name)s a déjà %(count)s prêt(s) en cours (maximum %(max)s)."))
        raise CirculationRefused(message % values, "max_loans")
    return rule, own


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
    *, library: Library, barcode: str, acting_user, today: date | None = None, now: datetime | None = None,
) -> ReturnResult:
    """Record the return of the copy with this barcode, whoever borrowed it (temporary users too).

    The copy goes back on the shelf (*disponible*) unless a reservation waits for its record:
    then it is held for the first in line, who is told (alert, and e-mail if they have an
    address). When the borrower is a temporary user and this was their last open loan, the
    librarian is told the record can be deleted. Refused: ``unknown_barcode``, ``not_on_loan``.
    """
    today, now = today or clock.today(), now or clock.now()
    with transaction.atomic():
        copy = locked_copy(library, barcode)
        loan = open_loan(copy)
        if loan is None:
            raise CirculationRefused(
                _("L'exemplaire %(barcode)s n'est pas en prêt : aucun retour à enregistrer.")
                % {"barcode": copy.barcode},
                "not_on_loan")
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
    *, library: Library, loan: Loan, acting_user, today: date | None = None, now: datetime | None = None,
) -> Loan:
    """Extend an open loan by its rule's duration from today (never shortening it).

    Refused: ``not_open``, ``temporary_user`` (seed C7: no new loan, and a renewal is one),
    ``reserved`` (someone waits for the record: the copy must come back), ``max_renewals``.
    """
    today, now = today or clock.today(), now or clock.now()
    with transaction.atomic():
        loan = one(Loan.objects.select_for_update(of=SELF).select_related("borrower", "copy__record")
                   .filter(library=library, pk=loan.pk))
        if loan is None or not loan.is_open:
            raise CirculationRefused(_("Ce prêt n'est plus en cours : il ne peut pas être prolongé."),
                                     "not_open")
        borrower = loan.borrower
        refuse_temporary(borrower, operation="renew")
        if Reservation.objects.filter(record_id=loan.copy.record_id, state=ReservationState.WAITING).exists():
            raise CirculationRefused(
                _("Prolongation impossible : « %(title)s » est réservé par un autre emprunteur.")
                % {"title": loan.copy.record.title},
                "reserved")
        rule = loan_rule_for(library=library, status=borrower.status)
        if loan.renewals >= rule.renewals_allowed:
            raise CirculationRefused(
                _("Prolongation impossible : ce prêt a déjà été prolongé %(count)s fois (maximum %(max)s).")
                % {"count": loan.renewals, "max": rule.renewals_allowed},
                "max_renewals")
        loan.due_on = max(loan.due_on, today + timedelta(days=rule.loan_days))
        loan.renewals += 1
        loan.save(update_fields=["due_on", "renewals"])
        event_record(library=library, action=EventAction.RENEW, acting_user=acting_user, now=now,
                     borrower=borrower, copy=loan.copy,
                     detail=f"{loan.copy.barcode} prolongé au {loan.due_on:{DATE_FORMAT}}")
    return loan


# --- Copy status ---------------------------------------------------------------------------------


def copy_mark(
    *, library: Library, copy: Copy, status: str, close_loan: bool = False, acting_user,
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
    today, now = today or clock.today(), now or clock.now()
    if status not in CopyStatus.values or status == CopyStatus.ON_LOAN:
        raise CirculationRefused(
            _("Statut « %(status)s » impossible ici : le statut « prêté » est donné par un prêt.")
            % {"status": status},
            "bad_status")
    with transaction.atomic():
        copy = one(Copy.objects.select_for_update(of=SELF).select_related("record", "library")
                   .filter(library=library, pk=copy.pk))
        if copy is None:
            raise CirculationRefused(_("Cet exemplaire n'existe pas (ou plus) dans cette bibliothèque."),
                                     "unknown_copy")
        before = copy.status
        closed = _close_lost_loan(copy=copy, status=status, close_loan=close_loan, today=today)
        ready = _status_apply(copy=copy, status=status, before=before, now=now)
        cleared = closed is not None and temporary_user_check_cleared(borrower=closed.borrower, now=now)
        lost = f", prêt de n° {closed.borrower.number} clôturé" if closed else ""
        event_record(library=library, action=EventAction.COPY_STATUS, acting_user=acting_user, now=now,
                     borrower=closed.borrower if closed else None, copy=copy,
                     detail=f"{copy.barcode} : {before} → {status}{lost}")
    return CopyMarkResult(copy=copy, closed_loan=closed, reservation_ready=ready,
                          temporary_user_cleared=cleared)


def _close_lost_loan(*, copy: Copy, status: str, close_loan: bool, today: date) -> Loan | None:
    """The copy's open loan, closed as lost today; None when the copy was not lent.

    A lent copy only leaves the borrower's hands as *perdu*, and only once the page confirmed it.
    """
    loan = open_loan(copy)
    if loan is None:
        return None
    values = {"borrower": borrower_label(loan.borrower)}
    if status != CopyStatus.LOST:
        raise CirculationRefused(
            _("Cet exemplaire est prêté à %(borrower)s : enregistrez d'abord son retour.") % values,
            "copy_on_loan")
    if not close_loan:
        raise CirculationRefused(
            _("Cet exemplaire est prêté à %(borrower)s : confirmez la clôture du prêt pour le déclarer "
              "perdu.") % values,
            "confirm_close_loan")
    loan.returned_on, loan.closed_as_lost = today, True
    loan.save(update_fields=["returned_on", "closed_as_lost"])
    return loan


def _status_apply(*, copy: Copy, status: str, before: str, now: datetime) -> Reservation | None:
    """Give the copy its new status and keep the queue right; returns the reservation it now serves.

    Made *disponible*, the copy goes to the first in line; any other status takes it from the
    reservation it was held for, which waits again (first in line still).
    """
    if status == CopyStatus.AVAILABLE and before != CopyStatus.AVAILABLE:
        return copy_offer(copy=copy, now=now)
    copy.status = status
    copy.save(update_fields=["status"])
    held = one(Reservation.objects.select_for_update(of=SELF).filter(copy=copy, state=ReservationState.READY))
    if held is not None and status != CopyStatus.AVAILABLE:
        reservation_unready(reservation=held, now=now)
    return None
