"""ISBN rules (ISO 2108): keys of ISBN-10 and ISBN-13, separators, conversion to ISBN-13.

The module is pure; its refusals carry a code and the expected key, which ``catalogue.rules.isbn_message``
turns into the French sentence the librarian reads.
"""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sesame.library.catalogue import isbn
from sesame.library.catalogue.rules import isbn_message


@pytest.mark.parametrize(("text", "expected"), [
    ("9782070612758", "9782070612758"),            # Le Petit Prince, Gallimard Jeunesse
    ("978-2-07-061275-8", "9782070612758"),
    ("978 2 07 061275 8", "9782070612758"),
    ("ISBN 978-2-07-061275-8", "9782070612758"),
    ("ISBN-13 : 978‑2‑07‑061275‑8", "9782070612758"),  # non-breaking hyphens pasted from a website
    (" 979-10-90636-07-1 ", "9791090636071"),
    ("2070612759", "2070612759"),                  # the same book's ISBN-10
    ("2-07-061275-9", "2070612759"),
    ("0-8044-2957-X", "080442957X"),               # key 10 is written X
    ("0-8044-2957-x", "080442957X"),
])
def test_valid_isbns_are_compacted(text, expected):
    assert isbn.validate(text) == expected
    assert isbn.is_valid(text)


@pytest.mark.parametrize(("text", "code", "count", "expected"), [
    ("978-2-07-061275-9", "check_digit", 0, "8"),
    ("2-07-061275-8", "check_digit", 0, "9"),
    ("0-8044-2957-9", "check_digit", 0, "X"),
    ("978-2-07-06127", "length", 11, ""),
    ("207061275", "length", 9, ""),
    ("977-2-07-061275-8", "prefix", 0, ""),
    ("978-2-07-06X275-8", "x_position", 0, ""),
    ("978207061275X", "x_position", 0, ""),
    ("978-2-07-O61275-8", "characters", 0, ""),    # a letter O typed for a zero
    ("ISBN inconnu", "characters", 0, ""),
])
def test_invalid_isbns_say_why(text, code, count, expected):
    with pytest.raises(isbn.IsbnError) as error:
        isbn.validate(text)

    assert (error.value.code, error.value.count, error.value.expected) == (code, count, expected)
    assert not isbn.is_valid(text)


@pytest.mark.parametrize(("text", "message"), [
    ("978-2-07-061275-9", "ISBN invalide : la clé de contrôle devrait être 8."),
    ("2-07-061275-8", "ISBN invalide : la clé de contrôle devrait être 9."),
    ("0-8044-2957-9", "ISBN invalide : la clé de contrôle devrait être X."),
    ("207061275", "ISBN invalide : un ISBN compte 10 ou 13 chiffres, celui-ci en a 9."),
    ("977-2-07-061275-8", "ISBN invalide : un ISBN à 13 chiffres commence par 978 ou 979."),
    ("978207061275X",
     "ISBN invalide : X ne peut être que la clé (le dernier caractère) d'un ISBN à 10 chiffres."),
    ("978-2-07-O61275-8", "ISBN invalide : seuls les chiffres, les tirets et les espaces sont permis."),
])
def test_refusals_read_in_french(text, message):
    with pytest.raises(isbn.IsbnError) as error:
        isbn.validate(text)

    with translation.override("fr"):
        assert isbn_message(error.value) == message


def test_check_digits():
    assert isbn.check_digit_13("978207061275") == "8"
    assert isbn.check_digit_13("979109063607") == "1"
    assert isbn.check_digit_10("207061275") == "9"
    assert isbn.check_digit_10("080442957") == "X"
    assert isbn.check_digit_10("000000000") == "0"


def test_isbn10_becomes_its_isbn13():
    assert isbn.to_isbn13("2-07-061275-9") == "9782070612758"
    assert isbn.to_isbn13("0-8044-2957-X") == "9780804429573"
    assert isbn.to_isbn13("978-2-07-061275-8") == "9782070612758"


def test_normalize_stores_isbn13_and_leaves_an_empty_field_empty():
    assert isbn.normalize("2-07-061275-9") == "9782070612758"
    assert isbn.normalize("978 2 07 061275 8") == "9782070612758"
    assert isbn.normalize("") == ""
    assert isbn.normalize("  -  ") == ""
    with pytest.raises(isbn.IsbnError):
        isbn.normalize("2-07-061275-8")


def test_search_key_converts_a_whole_isbn10_and_keeps_parts_as_typed():
    assert isbn.search_key("2-07-061275-9") == "9782070612758"
    assert isbn.search_key("978-2-07") == "978207"
    assert isbn.search_key("2-07-061275-8") == "2070612758"  # not valid: compared as typed


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_every_isbn10_with_its_key_is_valid_and_converts_to_a_valid_isbn13(digits):
    body = "".join(map(str, digits))
    isbn10 = body + isbn.check_digit_10(body)

    isbn13 = isbn.to_isbn13(isbn10)

    assert isbn.is_valid(isbn10)
    assert isbn13.startswith("978") and isbn13[3:12] == body and isbn.is_valid(isbn13)


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9).map(lambda d: "978" + "".join(map(str, d))),
       st.integers(0, 12), st.integers(1, 9))
def test_a_single_wrong_digit_of_an_isbn13_is_caught(body, position, change):
    """Weights 1 and 3 are prime to 10: any one digit typed wrong changes the key."""
    valid = body + isbn.check_digit_13(body)
    wrong = valid[:position] + str((int(valid[position]) + change) % 10) + valid[position + 1:]

    with pytest.raises(isbn.IsbnError) as error:
        isbn.validate(wrong)

    assert error.value.code in (("prefix", "check_digit") if position < 3 else ("check_digit",))
