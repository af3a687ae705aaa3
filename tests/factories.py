"""Small builders for directory rows, so each test says only what matters to it."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model

from sesame.ent.models import Establishment, Person
from sesame.ent.services import school_class_ensure

_sequence = itertools.count(1)
PASSWORD = "motdepasse-test"


def make_establishment(uai: str = "9990001X", name: str = "Collège d'essai") -> Establishment:
    return Establishment.objects.create(uai=uai, name=name)


def make_person(
    establishment: Establishment,
    profile: str,
    last_name: str,
    first_name: str,
    *,
    function: str = "",
    class_name: str = "",
    login: str = "",
    birth_date: date | None = date(2013, 5, 4),
) -> Person:
    number = next(_sequence)
    user = get_user_model().objects.create_user(username=login or f"user{number}", password=PASSWORD)
    school_class = None
    if class_name:
        school_class, _ = school_class_ensure(establishment=establishment, name=class_name)
    return Person.objects.create(
        establishment=establishment, user=user, ent_identity=f"TEST{number:06d}",
        last_name=last_name, first_name=first_name, birth_date=birth_date,
        profile=profile, function=function, school_class=school_class,
    )
