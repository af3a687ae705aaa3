"""A departing pupil's reservations through the borrower update and its undo.

Reservations are PROTECT like loans: the import must cancel a departing pupil's wishes (a copy held
for them passes to the next in line) before deleting them, and "Annuler la dernière mise à jour"
must give back exactly the reservations, copies and links there were.
"""

import pytest

from sesame.library.circulation.reservations import reservation_create
from sesame.library.circulation.services import loan_return
from sesame.library.models import Borrower, Copy, CopyStatus, EventAction, Reservation, ReservationState
from sesame.library.update.services import update_analyse, update_apply, update_undo
from tests.library.factories import (
    circulation_dump,
    make_borrower,
    make_copy,
    make_library,
    make_loan,
    person,
    users_file,
)

pytestmark = pytest.mark.django_db


def test_a_departing_pupil_s_held_copy_goes_to_the_next_in_line_and_undo_gives_it_back():
    library = make_library()
    leaving = make_borrower(library, "PETIT Hugo", school_class="3eA")
    staying = make_borrower(library, "ROUX Nina", school_class="4eB")
    copy = make_copy(library)
    lender = make_borrower(library, "DURAND Claire", status="Enseignant")
    make_loan(lender, copy=copy)
    reservation_create(library=library, borrower=leaving, record=copy.record, acting_user=None)
    reservation_create(library=library, borrower=staying, record=copy.record, acting_user=None)
    # The copy is now held for PETIT Hugo
    loan_return(library=library, barcode=copy.barcode, acting_user=None)
    assert Reservation.objects.get(borrower=leaving).state == ReservationState.READY
    before = circulation_dump(library)
    people = [person("ROUX Nina", school_class="3eB"), person("DURAND Claire", status="Enseignant")]

    analysis = update_analyse(library=library, file_name="ent.xml", content=users_file(people),
                              lot_expression="Statut=Elève", acting_user=None)
    update_apply(run=analysis.run, acting_user=None)

    assert not Borrower.objects.filter(pk=leaving.pk).exists()
    held = Reservation.objects.get(borrower=staying)
    assert (held.state, held.copy_id) == (ReservationState.READY, copy.pk)
    assert Copy.objects.get(pk=copy.pk).status == CopyStatus.AVAILABLE

    update_undo(library=library, acting_user=None)

    after = circulation_dump(library)
    # The journal only grows: the lines that were there are untouched, and the update added its own.
    events_before, events_after = before.pop("events"), after.pop("events")
    assert events_after[:len(events_before)] == events_before
    assert [row[4] for row in events_after[len(events_before):]] == [
        EventAction.UPDATE_ANALYSE, EventAction.UPDATE_IMPORT, EventAction.UPDATE_UNDO]
    ignore_updated_at = [name for name in after if name != "borrowers"]
    assert {name: after[name] for name in ignore_updated_at} == {
        name: before[name] for name in ignore_updated_at
    }
    assert [row[:-1] for row in after["borrowers"]] == [row[:-1] for row in before["borrowers"]]
