"""Whatever the desk does, loans, copies and borrowers stay consistent (SPEC §2, seed C7).

A Hypothesis state machine plays random sequences of checkouts, returns, renewals, reservations
and cancellations, set-asides, reassignments, losses (with the loan closed), finds and
deletions on a fresh small library, and checks after every step that:

- every open loan belongs to exactly one existing borrower of the same library, and its copy is
  *prêté*; no copy is *prêté* without exactly one open loan;
- a reservation ready holds a copy of its record that is on the shelf, and no record has both a
  borrower waiting and an unheld copy on the shelf (the first in line always gets it);
- a temporary user never has a new loan or a new reservation after being set aside, and the
  librarian is told exactly once when their last open loan is gone (returned, lost, reassigned).

Each example runs in a savepoint rolled back at its end, so examples do not see each other.
"""

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from sesame.library.borrowers.services import borrower_type_change
from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.reservations import reservation_cancel, reservation_create
from sesame.library.circulation.services import copy_mark, loan_checkout, loan_renew, loan_return
from sesame.library.models import (
    AlertKind,
    Borrower,
    BorrowerType,
    Copy,
    CopyStatus,
    LibrarianAlert,
    Loan,
    Reservation,
    ReservationState,
)
from sesame.library.temporary_users.services import borrower_delete, loans_reassign
from tests.library.circulation.conftest import NOW
from tests.library.factories import TODAY, make_borrower, make_copy, make_library, make_record

pytestmark = pytest.mark.django_db

NAMES = ("MARTIN Lucas", "PETIT Léa", "MARTIN Lucas", "DURAND Paul")
index = st.integers(min_value=0, max_value=20)


class Desk(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.library = make_library()
        titles = ("Le Petit Prince", "Vendredi", "Matin brun")
        self.records = [make_record(self.library, title) for title in titles]
        self.copies = [make_copy(self.library, self.records[i % 3]) for i in range(5)]
        self.borrowers = [make_borrower(self.library, name) for name in NAMES]
        self.step = 0
        self.temporary_since: dict[int, datetime] = {}
        # The seed's situation to start from: Lucas left with two books and was set aside, while
        # his new record (same name) exists; Léa has a book out.
        for borrower, copy in ((0, 0), (0, 1), (1, 2)):
            loan_checkout(library=self.library, borrower=self.borrowers[borrower],
                          barcode=self.copies[copy].barcode, today=TODAY, now=NOW, acting_user=None)
        self.set_aside(0)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers --------------------------------------------------------------------------------

    def _borrower(self, i: int) -> Borrower:
        return self.borrowers[i % len(self.borrowers)]

    def _copy(self, i: int) -> Copy:
        return self.copies[i % len(self.copies)]

    def _clock(self):
        self.step += 1
        return TODAY + timedelta(days=self.step), NOW + timedelta(days=self.step)

    def _try(self, call, **kwargs):
        try:
            return call(**kwargs)
        except CirculationRefused:
            return None

    # --- rules ----------------------------------------------------------------------------------

    @rule(b=index, c=index, anyone=st.booleans())
    def checkout(self, b, c, anyone):
        """Mostly a regular borrower and a copy on the shelf, sometimes anyone and anything."""
        borrowers = self.borrowers if anyone else [x for x in self.borrowers if not x.is_temporary]
        shelf = [x for x in self.copies if Copy.objects.get(pk=x.pk).status == CopyStatus.AVAILABLE]
        borrower = borrowers[b % len(borrowers)] if borrowers else self._borrower(b)
        copy = shelf[c % len(shelf)] if shelf and not anyone else self._copy(c)
        today, now = self._clock()
        self._try(loan_checkout, library=self.library, borrower=borrower, barcode=copy.barcode,
                  today=today, now=now, acting_user=None)

    @rule(c=index, lent_only=st.booleans())
    def return_copy(self, c, lent_only):
        """Mostly a copy that is out (a return that works), sometimes any barcode."""
        lent = [copy for copy in self.copies if Copy.objects.get(pk=copy.pk).status == CopyStatus.ON_LOAN]
        copy = lent[c % len(lent)] if lent_only and lent else self._copy(c)
        today, now = self._clock()
        self._try(loan_return, library=self.library, barcode=copy.barcode, today=today, now=now,
                  acting_user=None)

    @rule(c=index)
    def renew(self, c):
        loan = Loan.objects.filter(copy=self._copy(c), returned_on__isnull=True).first()
        if loan is not None:
            today, now = self._clock()
            self._try(loan_renew, library=self.library, loan=loan, today=today, now=now, acting_user=None)

    @rule(b=index, r=index)
    def reserve(self, b, r):
        _, now = self._clock()
        self._try(reservation_create, library=self.library, borrower=self._borrower(b),
                  record=self.records[r % 3], now=now, acting_user=None)

    @rule(i=index)
    def cancel(self, i):
        active = list(Reservation.objects.filter(library=self.library,
                                                 state__in=["waiting", "ready"]).order_by("pk"))
        if active:
            _, now = self._clock()
            self._try(reservation_cancel, library=self.library, reservation=active[i % len(active)], now=now,
                      acting_user=None)

    @rule(b=index)
    def set_aside(self, b):
        """What the update does to a borrower who left with loans (and only to them)."""
        borrower = self._borrower(b)
        has_loans = Loan.objects.filter(borrower=borrower, returned_on__isnull=True).exists()
        if has_loans and not borrower.is_temporary:
            _, now = self._clock()
            borrower_type_change(borrower=borrower, borrower_type=BorrowerType.TEMPORARY, acting_user=None,
                                 now=now)
            borrower.refresh_from_db()
            self.temporary_since[borrower.pk] = now

    @rule(a=index, b=index, confirm=st.booleans())
    def reassign(self, a, b, confirm):
        """Mostly from a temporary user who has loans, sometimes between any two borrowers."""
        holders = [borrower for borrower in self.borrowers if borrower.is_temporary
                   and Loan.objects.filter(borrower=borrower, returned_on__isnull=True).exists()]
        source = holders[a % len(holders)] if holders and a % 4 else self._borrower(a)
        _, now = self._clock()
        self._try(loans_reassign, library=self.library, from_borrower=source,
                  to_borrower=self._borrower(b), confirm_different_name=confirm, now=now, acting_user=None)

    @rule(c=index, go=st.integers(0, 2))
    def lose(self, c, go):
        if go:  # one time in three: losses end copies' lives, the sequence needs some left
            return
        today, now = self._clock()
        self._try(copy_mark, library=self.library, copy=self._copy(c), status=CopyStatus.LOST,
                  close_loan=True, today=today, now=now, acting_user=None)

    @rule(c=index, status=st.sampled_from([CopyStatus.AVAILABLE, CopyStatus.IN_REPAIR]))
    def mark(self, c, status):
        today, now = self._clock()
        self._try(copy_mark, library=self.library, copy=self._copy(c), status=status, today=today, now=now,
                  acting_user=None)

    @rule(b=index, go=st.integers(0, 3))
    def delete(self, b, go):
        if go:  # one time in four, or borrowers without loans vanish before anything happens
            return
        borrower = self._borrower(b)
        _, now = self._clock()
        if self._try(borrower_delete, library=self.library, borrower=borrower, now=now,
                     acting_user=None) is not None:
            self.borrowers.remove(borrower)
            if len(self.borrowers) < 2:
                self.borrowers.append(make_borrower(self.library, "NOUVEAU Nina"))

    # --- invariants -----------------------------------------------------------------------------

    @invariant()
    def open_loans_and_lent_copies_match(self):
        open_loans = Loan.objects.filter(library=self.library, returned_on__isnull=True)
        for borrower_id, borrower_library, copy_status in open_loans.values_list(
                "borrower_id", "borrower__library_id", "copy__status"):
            assert borrower_id is not None
            assert borrower_library == self.library.pk
            assert copy_status == CopyStatus.ON_LOAN
        lent = Copy.objects.filter(library=self.library, status=CopyStatus.ON_LOAN).annotate(
            open=Count("loans", filter=Q(loans__returned_on__isnull=True)))
        assert [copy.open for copy in lent] == [1] * len(lent)
        assert open_loans.count() == len(lent)

    @invariant()
    def the_queue_is_served(self):
        ready = Reservation.objects.filter(library=self.library, state=ReservationState.READY)
        for record_id, copy_record, copy_status in ready.values_list("record_id", "copy__record_id",
                                                                     "copy__status"):
            assert (copy_record, copy_status) == (record_id, CopyStatus.AVAILABLE)
        held = ready.values("copy_id")
        for record in self.records:
            waiting = Reservation.objects.filter(record=record, state=ReservationState.WAITING).exists()
            on_shelf = Copy.objects.filter(record=record, status=CopyStatus.AVAILABLE).exclude(pk__in=held)
            assert not (waiting and on_shelf.exists())

    @invariant()
    def temporary_users_get_nothing_new(self):
        for borrower_id, since in self.temporary_since.items():
            assert not Loan.objects.filter(borrower_id=borrower_id, copy__library=self.library,
                                           loaned_on__gt=since.date()).exists()
            assert not Reservation.objects.filter(borrower_id=borrower_id, created_at__gt=since).exists()

    @invariant()
    def the_librarian_is_told_when_a_temporary_user_has_no_loan_left(self):
        """Set aside only with loans, so one without any left lost them through a service."""
        for borrower in Borrower.objects.filter(pk__in=list(self.temporary_since)):
            if not Loan.objects.filter(borrower=borrower, returned_on__isnull=True).exists():
                assert LibrarianAlert.objects.filter(borrower=borrower,
                                                    kind=AlertKind.TEMPORARY_USER_CLEARED).count() == 1


def test_circulation_keeps_loans_copies_and_borrowers_consistent():
    run_state_machine_as_test(Desk, settings=settings(max_examples=40, stateful_step_count=30, deadline=None))
