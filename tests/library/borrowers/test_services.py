"""The changes to a borrower's record, through the services (SPEC §2, seed C7).

A record is edited by the librarian and its type is set, by anyone, through two services that
refuse with a code and a message and change nothing when they refuse; each change is one line
of the library's journal with who made it.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from sesame.library.borrowers.errors import BorrowerRefused
from sesame.library.borrowers.services import borrower_edit, borrower_type_change
from sesame.library.models import Borrower, BorrowerType, EventAction, LibraryEvent
from tests.library.factories import borrower_rows, circulation_dump, make_borrower

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 9, 2, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))
TEMPORARY = BorrowerType.TEMPORARY


def refused(code: str, call, **kwargs) -> BorrowerRefused:
    """Call a service that must refuse with ``code``; assert that no row changed at all."""
    before = circulation_dump()
    with pytest.raises(BorrowerRefused) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert circulation_dump() == before
    return caught.value


def journal() -> list[tuple]:
    return list(LibraryEvent.objects.order_by("pk").values_list("action", "actor_id", "borrower_id", "detail",
                                                                 "data"))


@pytest.fixture
def lea(db):
    return get_user_model().objects.create_user("documentaliste", first_name="Léa", last_name="LIVRE")


@pytest.fixture
def paterna(library):
    """The seed's screenshot: "Paterna Christophe", set aside by the update with a loan out."""
    return make_borrower(library, "PATERNA Christophe", status="Elève", school_class="3eB",
                         borrower_type=TEMPORARY)


# --- The type (seed C7) ----------------------------------------------------------------------------


def test_the_type_of_a_temporary_user_cannot_be_changed(paterna):
    error = refused("temporary_type", borrower_type_change, borrower=paterna,
                    borrower_type=BorrowerType.REGULAR, acting_user=None)
    assert error.message == "Le type d'emprunteur d'un usager temporaire ne peut pas être modifié."


def test_the_type_of_a_regular_borrower_can_be_changed_and_who_did_it_is_recorded(library, lea):
    lucas = make_borrower(library, "MARTIN Lucas")
    changed = borrower_type_change(borrower=lucas, borrower_type=TEMPORARY, acting_user=lea, now=NOW)
    assert Borrower.objects.get(pk=lucas.pk).borrower_type == TEMPORARY == changed.borrower_type
    assert list(LibraryEvent.objects.values_list("action", "actor_id", "at", "detail")) == [
        (EventAction.BORROWER_TYPE, lea.pk, NOW, f"n° {lucas.number} : Usager → Usager temporaire")]


def test_setting_the_type_a_borrower_already_has_records_nothing(library):
    lucas = make_borrower(library, "MARTIN Lucas")
    before = circulation_dump()

    borrower_type_change(borrower=lucas, borrower_type=BorrowerType.REGULAR, acting_user=None)

    assert circulation_dump() == before


def test_an_unknown_type_is_refused(library):
    lucas = make_borrower(library, "MARTIN Lucas")
    error = refused("bad_type", borrower_type_change, borrower=lucas, borrower_type="Ami", acting_user=None)
    assert error.message == "Type d'emprunteur inconnu : « Ami »."


# --- The record ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "borrower_type", "message"), [
    ("roux", BorrowerType.REGULAR, "Le type d'emprunteur d'un usager temporaire ne peut pas être modifié."),
    ("roux", "Lecteur", "Le type d'emprunteur d'un usager temporaire ne peut pas être modifié."),
    (None, None, "Aucun emprunteur n'a le numéro 999 dans cette bibliothèque."),
])
def test_the_edit_service_refuses_on_its_own_too(base, library, who, borrower_type, message):
    before = borrower_rows()
    number = base[who].number if who else 999

    with pytest.raises(BorrowerRefused) as refusal:
        borrower_edit(library=library, number=number, name="X", status="", school_class="", birth_date=None,
                      email="", borrower_type=borrower_type, acting_user=None)

    assert refusal.value.message == message
    assert borrower_rows() == before
    assert journal() == []


def test_an_edit_records_the_fields_it_changed_and_who_made_it_never_the_name(base, library, lea):
    dupont = base["dupont"]

    saved = borrower_edit(library=library, number=dupont.number, name="DUPONT Marie-Hélène", status="Élève",
                          school_class="3eA", birth_date=date(2011, 3, 14), email="", acting_user=lea,
                          now=NOW)

    assert (saved.name, saved.status, saved.birth_date) == ("DUPONT Marie-Hélène", "Élève", date(2011, 3, 14))
    assert journal() == [(EventAction.BORROWER_EDIT, lea.pk, dupont.pk,
                          f"n° {dupont.number} : nom, statut, date de naissance",
                          {"fields": ["name", "status", "birth_date"]})]


def test_an_edit_that_changes_the_type_records_the_type_and_the_fields(base, library, lea):
    leroy = base["leroy"]

    borrower_edit(library=library, number=leroy.number, name=leroy.name, status="Elève", school_class="3eB",
                  birth_date=None, email="", borrower_type=TEMPORARY, acting_user=lea, now=NOW)

    assert [(action, actor, detail) for action, actor, _, detail, _ in journal()] == [
        (EventAction.BORROWER_TYPE, lea.pk, f"n° {leroy.number} : Usager → Usager temporaire"),
        (EventAction.BORROWER_EDIT, lea.pk, f"n° {leroy.number} : statut"),
    ]
    assert Borrower.objects.get(pk=leroy.pk).borrower_type == TEMPORARY


def test_an_edit_that_changes_nothing_writes_nothing(base, library):
    dupont = base["dupont"]
    before = circulation_dump()

    borrower_edit(library=library, number=dupont.number, name=dupont.name, status=dupont.status,
                  school_class=dupont.school_class, birth_date=None, email="",
                  borrower_type=BorrowerType.REGULAR, acting_user=None, now=NOW)

    assert circulation_dump() == before
