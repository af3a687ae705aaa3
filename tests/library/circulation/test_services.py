"""Circulation at the desk (SPEC §2 "Catalogue and circulation"): loans, returns, renewals, loan
rules per status, the reservation queue, copy statuses and the overdue selector.

Every refusal is checked to leave every row of borrowers, copies, loans, reservations, notices
and the desk journal exactly as it was (``circulation_dump``).
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from sesame.library.circulation.alerts import alerts_mark_read
from sesame.library.circulation.reservations import reservation_cancel, reservation_create
from sesame.library.circulation.selectors import alerts, overdue_loans
from sesame.library.circulation.services import copy_mark, loan_checkout, loan_renew, loan_return
from sesame.library.models import (
    AlertKind,
    Copy,
    CopyStatus,
    EventAction,
    LibrarianAlert,
    LibraryEvent,
    Loan,
    ReservationState,
)
from tests.library.circulation.conftest import NOW, refused, status_of
from tests.library.factories import (
    OTHER_UAI,
    TODAY,
    make_borrower,
    make_copy,
    make_library,
    make_loan,
    make_loan_rule,
    make_record,
)

pytestmark = pytest.mark.django_db

@pytest.fixture
def library():
    return make_library()


@pytest.fixture
def pupil(library):
    return make_borrower(library, "MARTIN Lucas", status="Elève", school_class="4eB",
                         email="lucas.martin@example.org")


@pytest.fixture
def librarian():
    return get_user_model().objects.create_user(username="doc", password="x")


# --- Checkout ------------------------------------------------------------------------------------


def test_checkout_lends_the_copy_for_the_default_three_weeks_and_records_who_did_it(
        library, pupil, librarian):
    # Given a copy on the shelf and no loan rule
    copy = make_copy(library)
    # When the librarian lends it
    loan = loan_checkout(library=library, borrower=pupil, barcode=f"  {copy.barcode} ", acting_user=librarian,
                         today=TODAY, now=NOW)
    # Then the loan runs 21 days, keeps status and class, and the copy is lent
    loan.refresh_from_db()
    assert (loan.borrower_id, loan.copy_id, loan.loaned_on, loan.due_on, loan.returned_on) == (
        pupil.pk, copy.pk, TODAY, date(2025, 9, 23), None)
    assert (loan.borrower_status, loan.borrower_class, loan.renewals, loan.closed_as_lost) == (
        "Elève", "4eB", 0, False)
    assert status_of(copy) == CopyStatus.ON_LOAN
    events = LibraryEvent.objects.values_list("action", "actor_id", "borrower_id", "copy_id", "detail")
    assert list(events) == [
        (EventAction.CHECKOUT, librarian.pk, pupil.pk, copy.pk,
         f"{copy.barcode} → n° {pupil.number}, retour le 23/09/2025")]


def test_due_date_follows_the_rule_of_the_borrowers_status_compared_without_accents_or_case(library):
    # Given a rule for teachers, a default rule, and borrowers of both kinds
    make_loan_rule(library, "Enseignant", loan_days=42)
    make_loan_rule(library, "", loan_days=14)
    teacher = make_borrower(library, "DURAND Paul", status="ENSEIGNANT")
    pupil = make_borrower(library, "PETIT Léa", status="Élève")
    # When each borrows
    teacher_loan = loan_checkout(library=library, borrower=teacher, barcode=make_copy(library).barcode,
                                 today=TODAY, now=NOW, acting_user=None)
    pupil_loan = loan_checkout(library=library, borrower=pupil, barcode=make_copy(library).barcode,
                               today=TODAY, now=NOW, acting_user=None)
    # Then the teacher's rule matches "ENSEIGNANT", and the pupil falls back to the default rule
    assert teacher_loan.due_on == TODAY + timedelta(days=42)
    assert pupil_loan.due_on == TODAY + timedelta(days=14)


def test_checkout_beyond_the_status_maximum_is_refused(library, pupil):
    # Given pupils may hold two loans and Lucas holds two
    make_loan_rule(library, "eleve", max_loans=2)
    make_loan(pupil)
    make_loan(pupil)
    copy = make_copy(library)
    # When a third is lent, Then it is refused and nothing changed
    error = refused("max_loans", loan_checkout, library=library, borrower=pupil, barcode=copy.barcode,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == ("Prêt impossible : MARTIN Lucas a déjà 2 prêt(s) en cours "
                             "(maximum 2 pour le statut « Elève »).")


def test_overdue_loans_do_not_block_a_new_loan(library, pupil):
    # Given a loan 40 days old, due 19 days ago
    make_loan(pupil, loaned_on=TODAY - timedelta(days=40))
    # When Lucas borrows another copy, Then the loan is made
    loan = loan_checkout(library=library, borrower=pupil, barcode=make_copy(library).barcode, today=TODAY,
                         now=NOW, acting_user=None)
    assert Loan.objects.filter(borrower=pupil, returned_on__isnull=True).count() == 2
    assert loan.due_on == date(2025, 9, 23)


def test_unknown_barcode_is_refused(library, pupil):
    error = refused("unknown_barcode", loan_checkout, library=library, borrower=pupil, barcode="X999",
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == "Code-barre inconnu : aucun exemplaire « X999 » dans cette bibliothèque."


def test_a_copy_of_another_library_is_unknown_here(library, pupil):
    other = make_library(OTHER_UAI, "Lycée")
    copy = make_copy(other)
    refused("unknown_barcode", loan_checkout, library=library, borrower=pupil, barcode=copy.barcode,
            today=TODAY, now=NOW, acting_user=None)


def test_a_borrower_of_another_library_cannot_borrow_here(library):
    stranger = make_borrower(make_library(OTHER_UAI, "Lycée"), "MARTIN Lucas")
    copy = make_copy(library)
    error = refused("unknown_borrower", loan_checkout, library=library, borrower=stranger,
                    barcode=copy.barcode, today=TODAY, now=NOW, acting_user=None)
    assert error.message == "Cet emprunteur n'existe pas (ou plus) dans cette bibliothèque."


def test_a_lent_copy_cannot_be_lent_again(library, pupil):
    loan = make_loan(make_borrower(library, "PETIT Léa"))
    error = refused("copy_on_loan", loan_checkout, library=library, borrower=pupil, barcode=loan.copy.barcode,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == f"L'exemplaire {loan.copy.barcode} est déjà prêté (retour prévu le 03/09/2025)."


@pytest.mark.parametrize("status", [CopyStatus.LOST, CopyStatus.IN_REPAIR, CopyStatus.EXCLUDED])
def test_a_copy_that_cannot_be_lent_is_refused(library, pupil, status):
    copy = make_copy(library)
    Copy.objects.filter(pk=copy.pk).update(status=status)
    error = refused("copy_not_loanable", loan_checkout, library=library, borrower=pupil, barcode=copy.barcode,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == f"L'exemplaire {copy.barcode} est « {status} » : il ne peut pas être prêté."


def test_the_database_keeps_one_open_loan_per_copy(library, pupil):
    # Given an open loan
    loan = make_loan(pupil)
    # When a second open loan of the same copy is written behind the services' back
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(library=library, copy=loan.copy, borrower=pupil, loaned_on=TODAY, due_on=TODAY)
    # Then only the first exists
    assert Loan.objects.filter(copy=loan.copy).count() == 1


# --- Return and renewal --------------------------------------------------------------------------


def test_return_puts_the_copy_back_on_the_shelf(library, pupil, librarian):
    loan = loan_checkout(library=library, borrower=pupil, barcode=make_copy(library).barcode, today=TODAY,
                         now=NOW, acting_user=None)
    result = loan_return(library=library, barcode=loan.copy.barcode, acting_user=librarian,
                         today=TODAY + timedelta(days=30), now=NOW)
    loan.refresh_from_db()
    assert (result.loan.pk, result.reservation_ready, result.temporary_user_cleared) == (loan.pk, None, False)
    assert loan.returned_on == date(2025, 10, 2)
    assert status_of(loan.copy) == CopyStatus.AVAILABLE
    assert LibraryEvent.objects.filter(action=EventAction.RETURN).get().detail == (
        f"{loan.copy.barcode} rendu par n° {pupil.number}, 9 j de retard")
    assert LibrarianAlert.objects.count() == 0


def test_returning_a_copy_that_is_not_lent_is_refused(library):
    copy = make_copy(library)
    error = refused("not_on_loan", loan_return, library=library, barcode=copy.barcode, today=TODAY, now=NOW,
                    acting_user=None)
    assert error.message == f"L'exemplaire {copy.barcode} n'est pas en prêt : aucun retour à enregistrer."


def test_renewal_extends_from_today_once_then_is_refused(library, pupil):
    # Given a loan made 20 days ago (due in one day) and the default rule (one renewal)
    loan = make_loan(pupil)
    # When renewed today
    renewed = loan_renew(library=library, loan=loan, today=TODAY, now=NOW, acting_user=None)
    # Then it is due 21 days from today, and a second renewal is refused
    assert (renewed.due_on, renewed.renewals) == (TODAY + timedelta(days=21), 1)
    error = refused("max_renewals", loan_renew, library=library, loan=loan, today=TODAY, now=NOW,
                    acting_user=None)
    assert error.message == "Prolongation impossible : ce prêt a déjà été prolongé 1 fois (maximum 1)."


def test_renewal_is_refused_when_someone_waits_for_the_record(library, pupil):
    loan = make_loan(pupil)
    reservation_create(library=library, borrower=make_borrower(library, "PETIT Léa"), record=loan.copy.record,
                       now=NOW, acting_user=None)
    error = refused("reserved", loan_renew, library=library, loan=loan, today=TODAY, now=NOW,
                    acting_user=None)
    assert error.message == ("Prolongation impossible : « Le Petit Prince » est réservé par un autre "
                             "emprunteur.")


def test_a_returned_loan_cannot_be_renewed(library, pupil):
    loan = make_loan(pupil, returned=True)
    refused("not_open", loan_renew, library=library, loan=loan, today=TODAY, now=NOW, acting_user=None)


def test_every_change_at_the_desk_is_journalled_with_who_made_it(library, pupil, librarian):
    # Given a copy and two borrowers
    copy = make_copy(library)
    lea = make_borrower(library, "PETIT Léa")
    # When the librarian lends, renews, takes a reservation and cancels it, records the return
    # and sends the copy to repair
    loan = loan_checkout(library=library, borrower=pupil, barcode=copy.barcode, acting_user=librarian,
                         today=TODAY, now=NOW)
    loan_renew(library=library, loan=loan, acting_user=librarian, today=TODAY, now=NOW)
    reservation = reservation_create(library=library, borrower=lea, record=copy.record, acting_user=librarian,
                                     now=NOW)
    reservation_cancel(library=library, reservation=reservation, acting_user=librarian, now=NOW)
    loan_return(library=library, barcode=copy.barcode, acting_user=librarian, today=TODAY, now=NOW)
    copy_mark(library=library, copy=copy, status=CopyStatus.IN_REPAIR, acting_user=librarian, today=TODAY,
              now=NOW)
    # Then each change wrote one line, in order, naming the librarian
    rows = LibraryEvent.objects.order_by("pk").values_list("action", "actor_id", "borrower_id", "copy_id",
                                                           "detail")
    assert list(rows) == [
        (EventAction.CHECKOUT, librarian.pk, pupil.pk, copy.pk,
         f"{copy.barcode} → n° {pupil.number}, retour le 23/09/2025"),
        (EventAction.RENEW, librarian.pk, pupil.pk, copy.pk, f"{copy.barcode} prolongé au 23/09/2025"),
        (EventAction.RESERVE, librarian.pk, lea.pk, None,
         f"notice {copy.record_id} réservée par n° {lea.number}"),
        (EventAction.RESERVATION_CANCEL, librarian.pk, lea.pk, None,
         f"réservation de la notice {copy.record_id} (n° {lea.number})"),
        (EventAction.RETURN, librarian.pk, pupil.pk, copy.pk, f"{copy.barcode} rendu par n° {pupil.number}"),
        (EventAction.COPY_STATUS, librarian.pk, None, copy.pk,
         f"{copy.barcode} : {CopyStatus.AVAILABLE} → {CopyStatus.IN_REPAIR}"),
    ]


# --- Reservations --------------------------------------------------------------------------------


def test_the_first_in_line_gets_the_returned_copy_and_is_told(library, pupil, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    # Given the only copy is lent and two borrowers queue for it, Léa first
    loan = make_loan(make_borrower(library, "DURAND Paul"))
    record = loan.copy.record
    lea = make_borrower(library, "PETIT Léa", email="lea@example.org")
    first = reservation_create(library=library, borrower=lea, record=record, now=NOW, acting_user=None)
    second = reservation_create(library=library, borrower=pupil, record=record,
                                now=NOW + timedelta(minutes=5), acting_user=None)
    assert (first.state, second.state) == (ReservationState.WAITING, ReservationState.WAITING)
    # When the copy comes back
    with django_capture_on_commit_callbacks(execute=True):
        result = loan_return(library=library, barcode=loan.copy.barcode, today=TODAY,
                             now=NOW + timedelta(days=1), acting_user=None)
    # Then it is held for Léa, who is told; Lucas still waits
    first.refresh_from_db()
    second.refresh_from_db()
    assert result.reservation_ready == first
    assert (first.state, first.copy_id, first.ready_at) == (ReservationState.READY, loan.copy_id,
                                                            NOW + timedelta(days=1))
    assert second.state == ReservationState.WAITING
    assert status_of(loan.copy) == CopyStatus.AVAILABLE
    notice = LibrarianAlert.objects.get()
    assert (notice.kind, notice.borrower_id, notice.is_read) == (AlertKind.RESERVATION_READY, lea.pk, False)
    assert notice.message == ("Réservation disponible : « Le Petit Prince » "
                              f"(exemplaire {loan.copy.barcode}) est mis de côté pour PETIT Léa "
                              f"(n° {lea.number}).")
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["lea@example.org"], "Votre réservation est disponible : Le Petit Prince")]
    # And the held copy cannot be lent to Lucas, but Léa can borrow it, which fulfils her reservation
    error = refused("copy_held", loan_checkout, library=library, borrower=pupil, barcode=loan.copy.barcode,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == (f"L'exemplaire {loan.copy.barcode} est mis de côté pour PETIT Léa "
                             f"(n° {lea.number}) (réservation) : il ne peut pas être prêté à un autre "
                             "emprunteur.")
    loan_checkout(library=library, borrower=lea, barcode=loan.copy.barcode, today=TODAY, now=NOW,
                  acting_user=None)
    first.refresh_from_db()
    assert (first.state, first.closed_at) == (ReservationState.FULFILLED, NOW)
    # And when Léa returns it, Lucas is next
    result = loan_return(library=library, barcode=loan.copy.barcode, today=TODAY, now=NOW + timedelta(days=2),
                         acting_user=None)
    assert result.reservation_ready == second


def test_no_mail_is_sent_when_the_operation_is_rolled_back(library, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    loan = make_loan(make_borrower(library, "DURAND Paul"))
    reservation_create(library=library, borrower=make_borrower(library, "PETIT Léa", email="lea@example.org"),
                       record=loan.copy.record, now=NOW, acting_user=None)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        loan_return(library=library, barcode=loan.copy.barcode, today=TODAY, now=NOW, acting_user=None)
        raise RuntimeError("rolled back")
    assert mailoutbox == []
    assert LibrarianAlert.objects.count() == 0


def test_a_reservation_on_a_record_with_a_copy_on_the_shelf_is_ready_at_once(library, pupil):
    copy = make_copy(library)
    reservation = reservation_create(library=library, borrower=pupil, record=copy.record, now=NOW,
                                     acting_user=None)
    assert (reservation.state, reservation.copy_id, reservation.ready_at) == (
        ReservationState.READY, copy.pk, NOW)
    assert LibrarianAlert.objects.get().kind == AlertKind.RESERVATION_READY


def test_a_second_reservation_of_the_same_record_is_refused(library, pupil):
    record = make_loan(make_borrower(library, "DURAND Paul")).copy.record
    reservation_create(library=library, borrower=pupil, record=record, now=NOW, acting_user=None)
    error = refused("duplicate", reservation_create, library=library, borrower=pupil, record=record, now=NOW,
                    acting_user=None)
    assert error.message == "MARTIN Lucas a déjà une réservation en cours pour « Le Petit Prince »."


def test_reserving_what_one_has_borrowed_is_refused(library, pupil):
    record = make_loan(pupil).copy.record
    error = refused("already_borrowed", reservation_create, library=library, borrower=pupil, record=record,
                    now=NOW, acting_user=None)
    assert error.message == "MARTIN Lucas a déjà « Le Petit Prince » en prêt."


def test_a_record_without_a_loanable_copy_cannot_be_reserved(library, pupil):
    record = make_record(library)
    Copy.objects.filter(pk=make_copy(library, record).pk).update(status=CopyStatus.LOST)
    Copy.objects.filter(pk=make_copy(library, record).pk).update(status=CopyStatus.EXCLUDED)
    error = refused("no_loanable_copy", reservation_create, library=library, borrower=pupil, record=record,
                    now=NOW, acting_user=None)
    assert error.message == "Réservation impossible : « Le Petit Prince » n'a aucun exemplaire prêtable."


def test_cancelling_a_ready_reservation_hands_the_copy_to_the_next_in_line(library, pupil):
    # Given Léa's reservation is ready and Lucas waits
    copy = make_copy(library)
    lea = make_borrower(library, "PETIT Léa")
    ready = reservation_create(library=library, borrower=lea, record=copy.record, now=NOW, acting_user=None)
    waiting = reservation_create(library=library, borrower=pupil, record=copy.record, now=NOW + timedelta(1),
                                 acting_user=None)
    # When Léa cancels
    cancelled = reservation_cancel(library=library, reservation=ready, now=NOW + timedelta(2),
                                   acting_user=None)
    # Then the copy is held for Lucas, and cancelling again is refused
    waiting.refresh_from_db()
    assert (cancelled.state, cancelled.closed_at) == (ReservationState.CANCELLED, NOW + timedelta(2))
    assert (waiting.state, waiting.copy_id) == (ReservationState.READY, copy.pk)
    error = refused("not_active", reservation_cancel, library=library, reservation=ready, now=NOW,
                    acting_user=None)
    assert error.message == "Cette réservation n'est plus en cours."


def test_borrowing_another_copy_releases_the_one_held_for_the_same_borrower(library, pupil):
    # Given two copies: one held for Lucas, Léa waiting behind him
    record = make_record(library)
    held, other = make_copy(library, record), make_copy(library, record)
    mine = reservation_create(library=library, borrower=pupil, record=record, now=NOW, acting_user=None)
    lea = make_borrower(library, "PETIT Léa")
    Copy.objects.filter(pk=other.pk).update(status=CopyStatus.ON_LOAN)  # out, so Léa must wait
    hers = reservation_create(library=library, borrower=lea, record=record, now=NOW + timedelta(1),
                              acting_user=None)
    Copy.objects.filter(pk=other.pk).update(status=CopyStatus.AVAILABLE)
    assert (mine.copy_id, hers.state) == (held.pk, ReservationState.WAITING)
    # When Lucas borrows the other copy
    loan_checkout(library=library, borrower=pupil, barcode=other.barcode, today=TODAY, now=NOW,
                  acting_user=None)
    # Then his reservation is fulfilled with it, and the held copy goes to Léa
    mine.refresh_from_db()
    hers.refresh_from_db()
    assert (mine.state, mine.copy_id) == (ReservationState.FULFILLED, other.pk)
    assert (hers.state, hers.copy_id) == (ReservationState.READY, held.pk)


# --- Copy status ---------------------------------------------------------------------------------


def test_a_held_copy_sent_to_repair_puts_the_reservation_back_in_line_then_serves_it_again(library, pupil):
    copy = make_copy(library)
    reservation = reservation_create(library=library, borrower=pupil, record=copy.record, now=NOW,
                                     acting_user=None)
    copy_mark(library=library, copy=copy, status=CopyStatus.IN_REPAIR, today=TODAY, now=NOW, acting_user=None)
    reservation.refresh_from_db()
    assert (reservation.state, reservation.copy_id, status_of(copy)) == (
        ReservationState.WAITING, None, CopyStatus.IN_REPAIR)
    result = copy_mark(library=library, copy=copy, status=CopyStatus.AVAILABLE, today=TODAY, now=NOW,
                       acting_user=None)
    reservation.refresh_from_db()
    assert result.reservation_ready == reservation
    assert (reservation.state, reservation.copy_id, status_of(copy)) == (
        ReservationState.READY, copy.pk, CopyStatus.AVAILABLE)


def test_a_lent_copy_cannot_go_to_repair_before_its_return(library, pupil):
    loan = make_loan(pupil)
    error = refused("copy_on_loan", copy_mark, library=library, copy=loan.copy, status=CopyStatus.IN_REPAIR,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == (f"Cet exemplaire est prêté à MARTIN Lucas (n° {pupil.number}) : "
                             "enregistrez d'abord son retour.")


def test_the_status_on_loan_is_given_only_by_a_loan(library):
    copy = make_copy(library)
    error = refused("bad_status", copy_mark, library=library, copy=copy, status=CopyStatus.ON_LOAN,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == "Statut « prêté » impossible ici : le statut « prêté » est donné par un prêt."


def test_a_lost_copy_of_a_regular_borrower_closes_the_loan_without_a_deletion_notice(library, pupil):
    loan = make_loan(pupil)
    result = copy_mark(library=library, copy=loan.copy, status=CopyStatus.LOST, close_loan=True, today=TODAY,
                       now=NOW, acting_user=None)
    loan.refresh_from_db()
    assert (loan.returned_on, loan.closed_as_lost, status_of(loan.copy)) == (TODAY, True, CopyStatus.LOST)
    assert (result.closed_loan, result.temporary_user_cleared) == (loan, False)
    assert LibrarianAlert.objects.count() == 0


# --- Overdue loans -------------------------------------------------------------------------------


def test_overdue_loans_by_class(library):
    # Given loans of two classes, some late, one due today, one returned late
    a = make_borrower(library, "ARNAUD Zoé", school_class="4eB")
    b = make_borrower(library, "BLANC Hugo", school_class="3eA")
    late_a = make_loan(a, loaned_on=TODAY - timedelta(days=30))
    late_b = make_loan(b, loaned_on=TODAY - timedelta(days=25))
    make_loan(a, loaned_on=TODAY - timedelta(days=21))  # due today: not late yet
    make_loan(b, loaned_on=TODAY - timedelta(days=60), returned=True)
    # When the overdue loans are listed, for all and for 4eB (typed in lower case)
    everyone = list(overdue_loans(library=library, today=TODAY))
    of_class = list(overdue_loans(library=library, today=TODAY, school_class="4eb"))
    # Then
    assert everyone == [late_a, late_b]
    assert of_class == [late_a]


# --- Notices -------------------------------------------------------------------------------------


def test_notices_are_listed_newest_first_and_marked_read_only_in_their_library(library, pupil):
    # Given two reservations made ready at once (two copies on the shelf), and a notice elsewhere
    first = reservation_create(library=library, borrower=pupil, record=make_copy(library).record, now=NOW,
                               acting_user=None)
    second = reservation_create(library=library, borrower=pupil, record=make_copy(library).record,
                                now=NOW + timedelta(hours=1), acting_user=None)
    other = make_library(OTHER_UAI, "Lycée")
    elsewhere = reservation_create(library=other, borrower=make_borrower(other, "PETIT Léa"),
                                   record=make_copy(other).record, now=NOW, acting_user=None)
    # When the librarian reads them and marks them read (with the other library's id slipped in)
    listed = [(n.borrower_id, n.created_at) for n in alerts(library=library, unread_only=True)]
    ids = [n.pk for n in alerts(library=library)] + [LibrarianAlert.objects.get(library=other).pk]
    changed = alerts_mark_read(library=library, alert_ids=ids)
    # Then
    assert listed == [(pupil.pk, second.ready_at), (pupil.pk, first.ready_at)]
    assert changed == 2
    assert list(alerts(library=library, unread_only=True)) == []
    assert LibrarianAlert.objects.get(library=other).is_read is False
    assert elsewhere.state == ReservationState.READY
