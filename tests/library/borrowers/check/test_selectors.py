"""Probable duplicates among borrowers, on plain rows: the pairing rules of the check page (seed C).

Seed C warns that names typed by hand "génèrent des doublons"; the check lists the pairs the
update would also confuse, and must not list siblings nor homonyms with different birth dates.
"""

import random
from datetime import date

import pytest

from sesame.library.borrowers.check.selectors import duplicate_pairs


class Row:
    def __init__(self, number, name, birth_date=None):
        self.number, self.name, self.birth_date = number, name, birth_date


def reasons(rows) -> list[tuple[int, int, str]]:
    return [(pair.first.number, pair.second.number, pair.reason) for pair in duplicate_pairs(rows)]


@pytest.mark.parametrize(("first", "second"), [
    ("MARTIN Lucas", "MARTIN Lucie"),  # siblings: a first name is not a slip
    ("MARTIN Léa", "MARTIN Léo"),
    ("DU PONT DE NEMOURS Lisa", "DU PONT DE NEMOURS Loïs"),  # long family name, different first names
    ("BERNARD Emma", "BERTRAND Emma"),
    ("LEROY Hugo", "LEROUX Hugo"),
])
def test_different_people_with_close_names_are_not_duplicates(first, second):
    assert reasons([Row(1, first), Row(2, second)]) == []


@pytest.mark.parametrize(("first", "second", "score"), [
    ("MARTIN Lucas", "MARTNI Lucas", 98),  # two letters swapped: the commonest slip
    ("KLEIN Emma", "KLIEN Emma", 97),
    ("DUBOIS Emma", "DUBOYS Emma", 96),
    ("GARCIA Inès", "GARCIA Iness", 98),
])
def test_a_typing_slip_makes_a_probable_duplicate(first, second, score):
    assert reasons([Row(1, first), Row(2, second)]) == [
        (1, 2, f"Noms très proches (ressemblance de {score} %) : faute de frappe probable ?")]


def test_known_and_different_birth_dates_separate_homonyms_but_equal_ones_do_not():
    rows = [
        Row(1, "NGUYEN Thomas", date(2014, 2, 1)), Row(2, "NGUYEN Thomas", date(2012, 9, 30)),
        Row(3, "DA SILVA Inès", date(2012, 5, 5)), Row(4, "DA SILVA, Inès", date(2012, 5, 5)),
        Row(5, "LE GALL Maël", None), Row(6, "LEGALL Maël", date(2013, 1, 2)),
    ]

    assert reasons(rows) == [
        (3, 4, "Même nom, accents, majuscules et ponctuation mis à part."),
        (5, 6, "Mêmes lettres, espaces mis à part."),
    ]


def test_three_records_of_one_person_give_every_pair_once():
    rows = [Row(1, "PETIT Hugo"), Row(2, "PETIT, Hugo"), Row(3, "Hugo PETIT"), Row(4, "PETTI Hugo")]

    assert [(a, b) for a, b, _ in reasons(rows)] == [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4)]


def test_duplicates_in_a_large_base_are_found_within_blocks():
    rng = random.Random(7)
    letters = "ABCDEFGHIJKLMNOPRSTVZ"
    rows = [Row(n, "".join(rng.choice(letters) for _ in range(8)) + f" Prénom{n}", date(2012, 1, 1))
            for n in range(1, 3001)]
    rows.append(Row(3001, rows[41].name.upper(), None))

    assert [(a, b) for a, b, _ in reasons(rows)] == [(42, 3001)]
