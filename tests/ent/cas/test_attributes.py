"""The national profile codes of ``ENTPersonProfils`` (SPEC §1)."""

import pytest

from sesame.ent.cas.attributes import national_profile, person_attributes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who, code", [
    ("pupil_6a", "National_ELV"), ("teacher", "National_ENS"), ("parent", "National_TUT"),
    ("librarian", "National_DOC"), ("director", "National_DIR"), ("cpe", "National_EVS"),
    ("admin", "National_ETA"),
])
def test_each_profile_has_its_national_code(school, who, code):
    assert national_profile(school[who]) == code


def test_a_secretary_and_staff_without_function_are_eta(establishment):
    from tests.factories import make_person

    secretary = make_person(establishment, "PERSONNEL", "SEC", "Rita", function="SECRETAIRE")
    agent = make_person(establishment, "PERSONNEL", "AGENT", "Paul")

    assert (national_profile(secretary), national_profile(agent)) == ("National_ETA", "National_ETA")


def test_empty_values_are_left_out(school):
    teacher = school["teacher"]

    assert person_attributes(teacher, username="enseignant") == {
        "uid": ("enseignant",),
        "ENTPersonJointure": (teacher.ent_identity,),
        "ENTPersonProfils": ("National_ENS",),
        "ENTPersonStructRattachRNE": ("9990001X",),
        "sn": ("DE LA FONTAINE",),
        "givenName": ("Jean-Baptiste",),
    }
