"""*Traitement des emprunteurs mis à l'écart* (seed C7), one test per rule of the seed.

"Il n'est pas possible de faire des prêts ou des réservations à un usager temporaire. Les retours
de prêt sont en revanche possibles. Il est impossible de modifier le champ « Type emprunteur »
… de supprimer la fiche … tant qu'il a encore des prêts en cours." Then the three ways out: the
books come back, are declared lost (the loan is closed), or the loans are handed to the
person's other record; each time the librarian is told when the last loan is gone.
Every refusal is checked to leave every row exactly as it was.
"""

from datetime import timedelta

import pytest

from sesame.library.circulation.reservations import reservation_create, reservations_drop
from sesame.library.circulation.services import copy_mark, loan_checkout, loan_renew, loan_return
from sesame.library.models import (
    AlertKind,
    Borrower,
    BorrowerType,
    CopyStatus,
    EventAction,
    LibrarianAlert,
    LibraryEvent,
    Loan,
    Reservation,
    ReservationState,
)
from sesame.library.temporary_users.selectors import loans_reassign_candidates, temporary_users
from sesame.library.temporary_users.services import borrower_delete, loans_reassign
from tests.library.circulation.conftest import NOW, refused, status_of
from tests.library.factories import (
    OTHER_UAI,
    TODAY,
    make_borrower,
    make_copy,
    make_library,
    make_loan,
)

pytestmark = pytest.mark.django_db

TEMPORARY = BorrowerType.TEMPORARY


def cleared_notices() -> list[tuple]:
    return list(LibrarianAlert.objects.filter(kind=AlertKind.TEMPORARY_USER_CLEARED)
                .values_list("borrower_id", "message"))


def cleared_message(borrower: Borrower) -> str:
    return (f"{borrower.name} (n° {borrower.number}), usager temporaire, n'a plus de prêt en cours : "
            "sa fiche peut maintenant être supprimée.")


@pytest.fixture
def library():
    return make_library()


@pytest.fixture
def paterna(library):
    """The seed's screenshot: "Paterna Christophe", set aside by the update with a loan out."""
    return make_borrower(library, "PATERNA Christophe", status="Elève", school_class="3eB",
                         borrower_type=TEMPORARY)


# --- No loan, no reservation, returns allowed ----------------------------------------------------


def test_a_temporary_user_cannot_borrow(library, paterna):
    copy = make_copy(library)
    error = refused("temporary_user", loan_checkout, library=library, borrower=paterna, barcode=copy.barcode,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == ("Prêt impossible : PATERNA Christophe est un usager temporaire "
                             "(mis à l'écart lors de la mise à jour). Les retours restent possibles.")


def test_a_temporary_user_cannot_reserve(library, paterna):
    record = make_loan(make_borrower(library, "DURAND Paul")).copy.record
    error = refused("temporary_user", reservation_create, library=library, borrower=paterna, record=record,
                    now=NOW, acting_user=None)
    assert error.message == ("Réservation impossible : PATERNA Christophe est un usager temporaire "
                             "(mis à l'écart lors de la mise à jour).")


def test_a_temporary_user_cannot_renew(library, paterna):
    loan = make_loan(paterna)
    error = refused("temporary_user", loan_renew, library=library, loan=loan, today=TODAY, now=NOW,
                    acting_user=None)
    assert error.message.startswith("Prolongation impossible : PATERNA Christophe est un usager temporaire")


def test_a_temporary_user_can_return_and_the_librarian_is_told_only_after_the_last_loan(library, paterna):
    # Given two open loans
    first, last = make_loan(paterna), make_loan(paterna)
    # When the first comes back, Then it is returned and nobody is told yet
    result = loan_return(library=library, barcode=first.copy.barcode, today=TODAY, now=NOW, acting_user=None)
    assert (result.temporary_user_cleared, cleared_notices()) == (False, [])
    assert Loan.objects.get(pk=first.pk).returned_on == TODAY
    # When the last comes back, Then the librarian is told the record can be deleted
    result = loan_return(library=library, barcode=last.copy.barcode, today=TODAY, now=NOW, acting_user=None)
    assert result.temporary_user_cleared is True
    assert cleared_notices() == [(paterna.pk, cleared_message(paterna))]
    assert status_of(last.copy) == CopyStatus.AVAILABLE




# --- No deletion while loans ---------------------------------------------------------------------


def test_a_temporary_user_with_a_loan_cannot_be_deleted(library, paterna):
    make_loan(paterna)
    error = refused("open_loans", borrower_delete, library=library, borrower=paterna, acting_user=None)
    assert error.message == (f"Suppression impossible : PATERNA Christophe (n° {paterna.number}) a encore "
                             "1 prêt(s) en cours. Enregistrez leur retour, déclarez les exemplaires perdus "
                             "ou réattribuez les prêts.")


def test_no_borrower_with_a_loan_can_be_deleted(library):
    lucas = make_borrower(library, "MARTIN Lucas")
    make_loan(lucas)
    error = refused("open_loans", borrower_delete, library=library, borrower=lucas, acting_user=None)
    assert error.message == (f"Suppression impossible : MARTIN Lucas (n° {lucas.number}) a encore 1 prêt(s) "
                             "en cours.")


def test_deleting_a_borrower_without_loans_keeps_the_history_anonymous(library, paterna):
    # Given two returned loans, one of which did not record status and class
    kept = make_loan(paterna, returned=True)
    bare = make_loan(paterna, returned=True)
    Loan.objects.filter(pk=bare.pk).update(borrower_status="", borrower_class="")
    # When the record is deleted
    anonymised = borrower_delete(library=library, borrower=paterna, now=NOW, acting_user=None)
    # Then the person is gone, the loans stay without them, with the status and class of the time
    assert anonymised == 2
    assert not Borrower.objects.filter(pk=paterna.pk).exists()
    rows = Loan.objects.order_by("pk").values_list("pk", "borrower_id", "borrower_status", "borrower_class")
    assert list(rows) == [
        (kept.pk, None, "Elève", "3eB"), (bare.pk, None, "Elève", "3eB")]
    assert list(LibraryEvent.objects.values_list("action", "borrower_id", "detail")) == [
        (EventAction.BORROWER_DELETE, None,
         f"fiche n° {paterna.number} supprimée, 2 prêt(s) rendu(s) anonyme(s)")]


def test_deleting_a_borrower_cancels_their_reservations_and_hands_a_held_copy_on(library):
    # Given Lucas's reservation is ready and Léa waits behind him
    copy = make_copy(library)
    lucas, lea = make_borrower(library, "MARTIN Lucas"), make_borrower(library, "PETIT Léa")
    reservation_create(library=library, borrower=lucas, record=copy.record, now=NOW, acting_user=None)
    hers = reservation_create(library=library, borrower=lea, record=copy.record, now=NOW + timedelta(1),
                              acting_user=None)
    # When Lucas's record is deleted
    borrower_delete(library=library, borrower=lucas, now=NOW, acting_user=None)
    # Then his reservation is gone and the copy is held for Léa
    hers.refresh_from_db()
    assert list(Reservation.objects.values_list("borrower_id", flat=True)) == [lea.pk]
    assert (hers.state, hers.copy_id) == (ReservationState.READY, copy.pk)


def test_dropping_several_borrowers_reservations_hands_the_copy_past_all_of_them(library):
    # Given Lucas's reservation is ready, Léa then Paul wait; Lucas and Léa are being deleted
    copy = make_copy(library)
    lucas, lea, paul = (make_borrower(library, name) for name in ("MARTIN Lucas", "PETIT Léa", "DURAND Paul"))
    for minutes, borrower in enumerate((lucas, lea, paul)):
        reservation_create(library=library, borrower=borrower, record=copy.record,
                           now=NOW + timedelta(minutes=minutes), acting_user=None)
    # When their reservations are dropped together (what a bulk deletion does first)
    dropped = reservations_drop(borrower_ids=[lucas.pk, lea.pk], now=NOW)
    # Then the copy goes to Paul, not to Léa
    assert dropped == 2
    assert list(Reservation.objects.values_list("borrower_id", "state", "copy_id")) == [
        (paul.pk, ReservationState.READY, copy.pk)]


# --- Reassignment --------------------------------------------------------------------------------


def test_candidates_put_the_same_name_first_and_leave_out_itself_and_temporary_users(library, paterna):
    # Given the pupil's new record typed differently, a swapped name, others, and another temporary user
    new = make_borrower(library, "Paterna, christophe", status="Elève", school_class="2nde1")
    swapped = make_borrower(library, "CHRISTOPHE Paterna")
    alice = make_borrower(library, "ABEL Alice")
    make_borrower(library, "PATERNA Christophe", borrower_type=TEMPORARY)
    # When the candidates are listed
    candidates = loans_reassign_candidates(library=library, borrower=paterna)
    # Then the same name comes first (preselected), the swapped name next, then the rest by name
    assert [(c.pk, c.same_name) for c in candidates] == [
        (new.pk, True), (swapped.pk, False), (alice.pk, False)]


def test_without_a_same_name_nothing_is_preselected(library, paterna):
    other = make_borrower(library, "ZOLA Émile")
    assert [(c.pk, c.same_name) for c in loans_reassign_candidates(library=library, borrower=paterna)] == [
        (other.pk, False)]


def test_reassigning_to_the_same_name_moves_open_loans_only_and_tells_the_librarian(library, paterna):
    # Given two open loans and a returned one on the temporary record, and the pupil's new record
    new = make_borrower(library, "PATERNA Christophe", status="Elève", school_class="2nde1")
    open_loans = [make_loan(paterna), make_loan(paterna)]
    returned = make_loan(paterna, returned=True)
    # When the loans are reassigned (the names are the same: no confirmation)
    moved = loans_reassign(library=library, from_borrower=paterna, to_borrower=new, now=NOW, acting_user=None)
    # Then both open loans belong to the new record with their recorded status and class; the
    # history stays; the librarian is told the temporary record can be deleted
    assert moved == 2
    assert sorted(Loan.objects.filter(borrower=new).values_list("pk", "borrower_class")) == sorted(
        (loan.pk, "3eB") for loan in open_loans)
    assert Loan.objects.get(pk=returned.pk).borrower_id == paterna.pk
    assert cleared_notices() == [(paterna.pk, cleared_message(paterna))]
    assert list(LibraryEvent.objects.values_list("action", "borrower_id", "detail")) == [
        (EventAction.LOANS_REASSIGN, new.pk, f"2 prêt(s) de n° {paterna.number} → n° {new.number}")]
    # And the record can now be deleted
    borrower_delete(library=library, borrower=paterna, now=NOW, acting_user=None)
    assert Loan.objects.get(pk=returned.pk).borrower_id is None


def test_reassigning_to_a_different_name_asks_for_confirmation(library, paterna):
    # Given a record spelt differently
    loan = make_loan(paterna)
    other = make_borrower(library, "PATERNAT Christophe")
    # When reassigned without confirmation, Then it is refused and nothing changed
    error = refused("confirm_names", loans_reassign, library=library, from_borrower=paterna,
                    to_borrower=other, now=NOW, acting_user=None)
    assert error.message == ("Les noms sont différents (PATERNA Christophe / PATERNAT Christophe) : "
                             "confirmez la réattribution.")
    # When confirmed, Then the loan moves
    assert loans_reassign(library=library, from_borrower=paterna, to_borrower=other,
                          confirm_different_name=True, now=NOW, acting_user=None) == 1
    assert Loan.objects.get(pk=loan.pk).borrower_id == other.pk


def test_reassigning_to_itself_is_refused(library, paterna):
    make_loan(paterna)
    error = refused("same_borrower", loans_reassign, library=library, from_borrower=paterna,
                    to_borrower=paterna, acting_user=None)
    assert error.message == "Choisissez un autre emprunteur que l'usager temporaire lui-même."


def test_reassigning_to_another_temporary_user_is_refused(library, paterna):
    make_loan(paterna)
    other = make_borrower(library, "PATERNA Christophe", borrower_type=TEMPORARY)
    error = refused("target_temporary", loans_reassign, library=library, from_borrower=paterna,
                    to_borrower=other, acting_user=None)
    assert error.message == (f"PATERNA Christophe (n° {other.number}) est un usager temporaire : "
                             "il ne peut pas recevoir de prêts.")


def test_reassigning_to_a_borrower_of_another_library_is_refused(library, paterna):
    make_loan(paterna)
    stranger = make_borrower(make_library(OTHER_UAI, "Lycée"), "PATERNA Christophe")
    error = refused("unknown_borrower", loans_reassign, library=library, from_borrower=paterna,
                    to_borrower=stranger, acting_user=None)
    assert error.message == "L'emprunteur choisi n'existe pas (ou plus) dans cette bibliothèque."


def test_only_a_temporary_users_loans_are_reassigned(library):
    lucas = make_borrower(library, "MARTIN Lucas")
    make_loan(lucas)
    other = make_borrower(library, "MARTIN Lucas")
    error = refused("not_temporary", loans_reassign, library=library, from_borrower=lucas, to_borrower=other,
                    acting_user=None)
    assert error.message == "Seuls les prêts d'un usager temporaire peuvent être réattribués."


def test_reassigning_without_open_loans_is_refused(library, paterna):
    make_loan(paterna, returned=True)
    new = make_borrower(library, "PATERNA Christophe")
    error = refused("nothing_to_reassign", loans_reassign, library=library, from_borrower=paterna,
                    to_borrower=new, acting_user=None)
    assert error.message == f"PATERNA Christophe (n° {paterna.number}) n'a aucun prêt en cours à réattribuer."


def test_reassignment_and_deletion_are_journalled_with_who_made_them(library, paterna, librarian):
    # Given the temporary user's loan and their new record
    loan = make_loan(paterna)
    new = make_borrower(library, "PATERNA Christophe")
    # When the librarian hands the loan on, then deletes the temporary record
    loans_reassign(library=library, from_borrower=paterna, to_borrower=new, acting_user=librarian, now=NOW)
    borrower_delete(library=library, borrower=paterna, acting_user=librarian, now=NOW)
    # Then both lines name the librarian
    rows = LibraryEvent.objects.order_by("pk").values_list("action", "actor_id", "borrower_id", "detail")
    assert list(rows) == [
        (EventAction.LOANS_REASSIGN, librarian.pk, new.pk,
         f"1 prêt(s) de n° {paterna.number} → n° {new.number}"),
        (EventAction.BORROWER_DELETE, librarian.pk, None,
         f"fiche n° {paterna.number} supprimée, 0 prêt(s) rendu(s) anonyme(s)"),
    ]
    assert Loan.objects.get(pk=loan.pk).borrower_id == new.pk


# --- Lost copies ---------------------------------------------------------------------------------


def test_declaring_a_lent_copy_lost_asks_to_close_the_loan(library, paterna):
    loan = make_loan(paterna)
    error = refused("confirm_close_loan", copy_mark, library=library, copy=loan.copy, status=CopyStatus.LOST,
                    today=TODAY, now=NOW, acting_user=None)
    assert error.message == (f"Cet exemplaire est prêté à PATERNA Christophe (n° {paterna.number}) : "
                             "confirmez la clôture du prêt pour le déclarer perdu.")


def test_closing_the_last_loan_as_lost_tells_the_librarian(library, paterna):
    loan = make_loan(paterna)
    result = copy_mark(library=library, copy=loan.copy, status=CopyStatus.LOST, close_loan=True, today=TODAY,
                       now=NOW, acting_user=None)
    loan.refresh_from_db()
    assert (loan.returned_on, loan.closed_as_lost, status_of(loan.copy)) == (TODAY, True, CopyStatus.LOST)
    assert (result.closed_loan, result.temporary_user_cleared) == (loan, True)
    assert cleared_notices() == [(paterna.pk, cleared_message(paterna))]


# --- The list ------------------------------------------------------------------------------------


def test_temporary_users_are_listed_with_their_open_loans(library, paterna):
    make_loan(paterna, loaned_on=TODAY - timedelta(days=30))
    make_loan(paterna)
    make_loan(paterna, returned=True)
    empty = make_borrower(library, "ABEL Alice", borrower_type=TEMPORARY)
    make_borrower(library, "MARTIN Lucas")
    rows = [(b.pk, b.open_loans, b.last_due_on) for b in temporary_users(library=library)]
    assert rows == [(empty.pk, 0, None), (paterna.pk, 2, TODAY + timedelta(days=1))]
