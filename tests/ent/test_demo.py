"""The demo collège: a deterministic, realistic generator, and ``seed_demo`` that can run twice."""

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from sesame.ent.demo import DEMO_PASSWORD, DEMO_UAI, demo_college
from sesame.ent.models import Level, Person, Profile, SchoolClass, StaffFunction
from sesame.ent.services import level_code_for_class

SCHOOL = demo_college()
ENTRIES = SCHOOL.entries
PUPILS = [e for e in ENTRIES if e.profile == Profile.PUPIL]
PARENTS = [e for e in ENTRIES if e.profile == Profile.PARENT]
EXPECTED_BIRTH_YEAR = {"6EME": 2015, "5EME": 2014, "4EME": 2013, "3EME": 2012}


def parents_of() -> dict[str, list[str]]:
    result = defaultdict(list)
    for parent in PARENTS:
        for child in parent.children_keys:
            result[child].append(parent.source_key)
    return result


def digest(school) -> str:
    return hashlib.sha256(repr(school).encode()).hexdigest()


# The generator ------------------------------------------------------------------------------


def test_the_generator_gives_the_same_school_every_time():
    assert demo_college() == SCHOOL


@pytest.mark.parametrize("hash_seed", ["0", "1"])
def test_the_generator_does_not_depend_on_the_hash_seed(hash_seed):
    script = (
        "import django, hashlib; django.setup(); from sesame.ent.demo import demo_college; "
        "print(hashlib.sha256(repr(demo_college()).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "sesame.config.settings_test"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == digest(SCHOOL)


def test_the_school_is_the_demo_college():
    assert SCHOOL.uai == DEMO_UAI == "9990001X"
    assert "Jean Moulin" in SCHOOL.name


def test_about_600_pupils_in_24_classes_over_the_four_collège_levels():
    classes = Counter(p.class_name for p in PUPILS)

    assert 560 <= len(PUPILS) <= 640
    assert sorted(classes) == sorted(f"{level}{s}" for level in ["6e", "5e", "4e", "3e"] for s in "ABCDEF")
    assert all(20 <= size <= 30 for size in classes.values())
    assert {level_code_for_class(name) for name in classes} == set(EXPECTED_BIRTH_YEAR)


def test_birth_years_follow_the_level_with_a_few_pupils_ahead_or_behind():
    gaps = Counter(
        p.birth_date.year - EXPECTED_BIRTH_YEAR[level_code_for_class(p.class_name)] for p in PUPILS
    )

    assert set(gaps) == {-1, 0, 1}
    assert gaps[0] >= 0.9 * len(PUPILS)


def test_teachers_staff_functions_and_parents():
    teachers = [e for e in ENTRIES if e.profile == Profile.TEACHER]
    staff = [e for e in ENTRIES if e.profile == Profile.STAFF]
    functions = Counter(e.function for e in staff)

    assert 40 <= len(teachers) <= 50
    assert set(functions) == {*StaffFunction.values, ""}
    assert functions[StaffFunction.CPE] == 2
    assert functions[StaffFunction.SECRETARY] == 2
    assert 800 <= len(PARENTS) <= 1000
    assert all(e.email for e in teachers + staff)


def test_every_pupil_has_one_or_two_parents_listed_after_them():
    position = {e.source_key: index for index, e in enumerate(ENTRIES)}
    parents = parents_of()

    assert all(1 <= len(parents[p.source_key]) <= 2 for p in PUPILS)
    assert all(position[child] < position[parent.source_key]
               for parent in PARENTS for child in parent.children_keys)
    assert any(len(parent.children_keys) >= 2 for parent in PARENTS)  # siblings share parents


def test_twins_share_name_birth_date_and_parents():
    parents = parents_of()
    families = defaultdict(list)
    for pupil in PUPILS:
        families[pupil.last_name, pupil.birth_date, tuple(parents[pupil.source_key])].append(pupil)
    twins = [group for group in families.values() if len(group) == 2]

    assert len(twins) >= 2
    assert all(a.first_name != b.first_name for a, b in twins)
    assert any(a.class_name == b.class_name for a, b in twins)
    assert any(a.class_name != b.class_name for a, b in twins)


def test_homonyms_sit_in_different_classes_and_have_different_parents():
    parents = parents_of()
    by_name = defaultdict(list)
    for pupil in PUPILS:
        by_name[pupil.last_name, pupil.first_name].append(pupil)
    homonyms = [group for group in by_name.values()
                if len({p.class_name for p in group}) > 1
                and len({tuple(parents[p.source_key]) for p in group}) == len(group)]

    assert len(homonyms) >= 2


def test_names_carry_the_quirks_of_real_school_files():
    last_names = {e.last_name for e in ENTRIES}
    first_names = {e.first_name for e in ENTRIES}

    assert all(name == name.upper() for name in last_names)
    assert {"DE LA FONTAINE", "LE GALL", "N'DIAYE", "DA SILVA", "O'BRIEN", "D'ALMEIDA",
            "MÜLLER", "LEFÈVRE"} <= last_names
    assert {"Jean-Baptiste", "Marie-Ève", "Chloé", "Zoé", "Maël", "Loïs"} <= first_names
    assert sum(" " in name for name in last_names) >= 5
    assert sum("-" in name for name in first_names) >= 5


def test_a_pupil_goes_by_a_usage_name_none_of_their_parents_has():
    parent_names = {p.source_key: p.last_name for p in PARENTS}
    parents = parents_of()

    assert any(all(parent_names[key] != pupil.last_name for key in parents[pupil.source_key])
               for pupil in PUPILS)


def test_source_keys_and_ent_identities_are_unique_and_opaque():
    everyone = [*ENTRIES, *(account.entry for account in SCHOOL.fixed_accounts)]

    assert len({e.source_key for e in everyone}) == len(everyone)
    assert len({e.ent_identity for e in everyone}) == len(everyone)
    assert all(re.fullmatch(r"DEMO:(eleve|enseignant|personnel|parent|fixed):\w+", e.source_key)
               for e in everyone)
    assert all(re.fullmatch(r"DEM\d{7}", e.ent_identity) for e in everyone)


def test_fixed_accounts_are_the_five_demo_roles():
    accounts = {account.login: account.entry for account in SCHOOL.fixed_accounts}

    assert list(accounts) == ["directeur", "documentaliste", "enseignant", "eleve", "parent"]
    assert accounts["directeur"].function == StaffFunction.DIRECTOR
    assert accounts["documentaliste"].function == StaffFunction.LIBRARIAN
    assert accounts["eleve"].class_name == "4eA"
    assert accounts["parent"].children_keys == (accounts["eleve"].source_key,)
    assert all(e.source_key == f"DEMO:fixed:{login}" for login, e in accounts.items())


# seed_demo and demo_urls --------------------------------------------------------------------


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "people": Person.objects.count(),
        "users": get_user_model().objects.count(),
        "links": Person.children.through.objects.count(),
        "classes": SchoolClass.objects.count(),
        "levels": Level.objects.count(),
        "identities": dict(Person.objects.values_list("source_key", "ent_identity")),
    }


@pytest.mark.django_db
def test_seeding_twice_changes_nothing_and_keeps_identities():
    first = seed()
    before = snapshot()
    second = seed()

    assert snapshot() == before
    assert before["people"] == before["users"] == len(ENTRIES) + len(SCHOOL.fixed_accounts)
    assert before["classes"] == 24
    assert before["identities"] == {
        e.source_key: e.ent_identity for e in [*ENTRIES, *(a.entry for a in SCHOOL.fixed_accounts)]
    }
    assert f"(9990001X) : {before['people']} personnes créées" in first
    assert "0 personnes créées, 0 mises à jour" in second


@pytest.mark.django_db
def test_fixed_accounts_sign_in_with_demo_and_generated_people_cannot():
    seed()

    for account in SCHOOL.fixed_accounts:
        user = authenticate(username=account.login, password=DEMO_PASSWORD)
        assert user is not None, account.login
        assert user.ent_person.source_key == f"DEMO:fixed:{account.login}"
    assert not Person.objects.get(source_key=ENTRIES[0].source_key).user.has_usable_password()

    eleve = Person.objects.get(user__username="eleve")
    parent = Person.objects.get(user__username="parent")
    director = Person.objects.get(user__username="directeur")
    assert eleve.school_class.name == "4eA"
    assert list(parent.children.all()) == [eleve]
    assert director.can_administer
    assert Person.objects.get(user__username="documentaliste").function == StaffFunction.LIBRARIAN


def test_demo_urls_lists_the_pages_and_the_accounts():
    out = StringIO()
    call_command("demo_urls", stdout=out)
    text = out.getvalue()

    assert "http://127.0.0.1:8000/" in text
    assert "http://127.0.0.1:8000/ent/connexion/" in text
    assert "http://127.0.0.1:8000/ent/administration/parametres/services-externes/" in text
    for account in SCHOOL.fixed_accounts:
        assert re.search(rf"^\s+{account.login}\s+{DEMO_PASSWORD}\s+", text, re.MULTILINE)
