"""Names, statuses, dates and levels compared as a librarian compares them (SPEC §2 "Matching")."""

from datetime import date

import pytest

from sesame.sync.levels import class_change_allowed, parse_level
from sesame.sync.normalize import (
    fold,
    incompatible_statuses,
    is_date_slip,
    name_key,
    preferred_spellings,
    sorted_key,
    status_category,
)


@pytest.mark.parametrize(("written", "key"), [
    ("DUPONT, Marie", "dupont marie"),
    ("DUPONT Marie", "dupont marie"),
    ("dupont   marie ", "dupont marie"),
    ("LEFÈVRE Chloé", "lefevre chloe"),
    ("LEFEVRE Chloe", "lefevre chloe"),
    ("N'DIAYE Awa", "n diaye awa"),
    ("N’DIAYE Awa", "n diaye awa"),
    ("N DIAYE Awa", "n diaye awa"),
    ("MARTIN Jean-Baptiste", "martin jean baptiste"),
    ("ŒUVRARD Zoë", "oeuvrard zoe"),
    ("LÆTITIA Ærin", "laetitia aerin"),
    ("STRAßER Jörg", "strasser jorg"),
    ("ÉTIENNE Noël", "etienne noel"),
])
def test_name_key_ignores_what_a_person_ignores(written, key):
    # given a name as it is written in the base or the file
    # when it is folded
    # then accents, case, spaces, hyphens, apostrophes and the comma are gone, the order kept
    assert name_key(written) == key


def test_swapped_order_has_another_key_but_the_same_sorted_words():
    assert name_key("Lucas MARTIN") != name_key("MARTIN Lucas")
    assert sorted_key(name_key("Lucas MARTIN")) == sorted_key(name_key("MARTIN Lucas")) == "lucas martin"


@pytest.mark.parametrize(("status", "category"), [
    ("Élève", "eleve"), ("Elève", "eleve"), ("Eleve", "eleve"), ("ÉLÈVE", "eleve"), ("eleves", "eleve"),
    ("Enseignant", "enseignant"), ("Professeur", "enseignant"), ("Prof", "enseignant"),
    ("Personnel", "personnel"), ("Documentaliste", "documentaliste"), ("", ""),
])
def test_status_category(status, category):
    assert status_category(status) == category


def test_only_pupil_and_teacher_are_incompatible():
    assert incompatible_statuses("Enseignant", "Élève") is True
    assert incompatible_statuses("Eleve", "Professeur") is True
    assert incompatible_statuses("Personnel", "Élève") is False
    assert incompatible_statuses("", "Élève") is False
    assert incompatible_statuses("Elève", "ÉLÈVE") is False


def test_preferred_spelling_is_the_one_the_base_uses_most():
    spellings = preferred_spellings(["Eleve", "Eleve", "Elève", "Professeur", "", "Personnel"])
    assert spellings == {"eleve": "Eleve", "enseignant": "Professeur", "personnel": "Personnel"}


def test_fold_keeps_digits_and_drops_punctuation():
    assert fold("  3e B (groupe 2) ") == "3e b groupe 2"


def test_fold_is_the_one_comparison_of_words_so_a_hyphenated_status_is_one_status():
    """The decision of normalize.py: punctuation is not part of a word, for every comparison."""
    assert fold("Élève-interne") == fold("Élève interne") == fold("ELEVE  INTERNE") == "eleve interne"
    assert fold("d’internat") == fold("d'internat") == "d internat"
    assert fold("Cœur, Ægir & Straße") == "coeur aegir strasse"


@pytest.mark.parametrize(("first", "second", "slip"), [
    (date(2011, 3, 12), date(2012, 3, 12), True),   # one digit of the year
    (date(2011, 3, 12), date(2011, 3, 13), True),   # one digit of the day
    (date(2011, 3, 12), date(2011, 12, 3), True),   # day and month swapped
    (date(2011, 4, 30), date(2011, 4, 3), True),    # 30 typed 03
    (date(2011, 4, 28), date(2011, 4, 1), False),
    (date(2011, 3, 12), date(2011, 5, 7), False),
    (date(2011, 3, 12), date(2011, 3, 12), False),
])
def test_birth_date_slip(first, second, slip):
    assert is_date_slip(first, second) is slip


@pytest.mark.parametrize(("school_class", "level"), [
    ("6eA", 0), ("6 A", 0), ("601", 0), ("6EME B", 0), ("Sixième 2", 0), ("5°B", 1), ("4e C", 2),
    ("3 J2", 3), ("3eB", 3), ("3 PREPA METIERS", 3), ("2nde1", 4), ("2GT3", 4), ("Seconde", 4),
    ("1G2", 5), ("1ère STMG", 5), ("1re", 5), ("TG1", 6), ("Tle ES", 6), ("Terminale", 6), ("T STI2D", 6),
    ("", None), ("1CAP", None), ("BTS SIO 1", None), ("ULIS", None), ("Groupe latin", None),
])
def test_level_from_class_name(school_class, level):
    assert parse_level(school_class) == level


@pytest.mark.parametrize(("last_year", "this_year", "allowed"), [
    ("6eA", "5eB", True), ("5eB", "5eA", True), ("3eB", "2nde1", True), ("1G2", "TG1", True),
    ("3eB", "6eA", False), ("5eA", "3eB", False), ("TG1", "1G2", False),
    ("", "6eA", True), ("3eB", "", True), ("ULIS", "6eA", True),
])
def test_class_change(last_year, this_year, allowed):
    assert class_change_allowed(last_year, this_year) is allowed
