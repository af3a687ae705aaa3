"""ISBN-10 and ISBN-13: normalisation, check digits, conversion (ISO 2108).

Pure: no Django, no database. A refusal is an ``IsbnError`` carrying a ``code`` and the values a
message needs; the wording lives with the pages and the import (``catalogue.rules.isbn_message``),
so this module can be used anywhere, and the interface language stays Django's business.

The catalogue stores one form only, the compact ISBN-13 (``normalize``): an ISBN-10 and its
ISBN-13 name the same book, and one form is what lets a search or an import recognise it
whichever way it was typed or exported.
"""

from __future__ import annotations

import re

# Librarians paste ISBNs from publishers' sites and notices: hyphens of every Unicode kind,
# ordinary, non-breaking and thin spaces, dots used as separators, and an "ISBN" label.
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f.]+")
_LABEL = re.compile(r"^\s*ISBN(?:[\s\-]*1[03])?\s*:?\s*", re.IGNORECASE)
PREFIXES_13 = ("978", "979")


class IsbnError(ValueError):
    """Why a text is not an ISBN.

    ``code`` is one of ``characters`` (something else than digits and separators), ``x_position``
    (an X anywhere but as the key of an ISBN-10), ``length`` (``count`` digits, not 10 or 13),
    ``prefix`` (an ISBN-13 not starting with 978 or 979) and ``check_digit`` (``expected`` is the
    key the other digits call for).
    """

    def __init__(self, code: str, *, value: str, count: int = 0, expected: str = "") -> None:
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = value
        self.count = count
        self.expected = expected


def compact(text: str) -> str:
    """The characters of an ISBN without label and separators: "ISBN 2-07-061275-x" → "207061275X"."""
    return _SEPARATORS.sub("", _LABEL.sub("", text)).upper()


def check_digit_10(first_nine: str) -> str:
    """The key of an ISBN-10: weights 10 down to 2, modulo 11, where 10 is written X."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    key = (11 - total % 11) % 11
    return "X" if key == 10 else str(key)


def check_digit_13(first_twelve: str) -> str:
    """The key of an ISBN-13 (an EAN-13): weights 1 and 3 alternately, modulo 10."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first_twelve))
    return str((10 - total % 10) % 10)


def validate(text: str) -> str:
    """The compact ISBN (10 or 13 characters) if ``text`` is one, else ``IsbnError``."""
    value = compact(text)
    if not re.fullmatch(r"[0-9X]+", value):
        raise IsbnError("characters", value=text)
    if "X" in value[:-1] or (value.endswith("X") and len(value) != 10):
        raise IsbnError("x_position", value=text)
    if len(value) not in (10, 13):
        raise IsbnError("length", value=text, count=len(value))
    if len(value) == 13 and not value.startswith(PREFIXES_13):
        raise IsbnError("prefix", value=text)
    expected = check_digit_10(value[:9]) if len(value) == 10 else check_digit_13(value[:12])
    if value[-1] != expected:
        raise IsbnError("check_digit", value=text, expected=expected)
    return value


def is_valid(text: str) -> bool:
    try:
        validate(text)
    except IsbnError:
        return False
    return True


def to_isbn13(isbn10: str) -> str:
    """The ISBN-13 of a valid ISBN-10: prefix 978, the first nine digits, a new key."""
    value = validate(isbn10)
    if len(value) == 13:
        return value
    body = "978" + value[:9]
    return body + check_digit_13(body)


def normalize(text: str) -> str:
    """What the catalogue stores: "" for an empty field, else the compact ISBN-13.

    ``normalize("2-07-061275-X")`` is ``"9782070612758"``; an invalid ISBN raises ``IsbnError``.
    """
    if not compact(text):
        return ""
    return to_isbn13(text)


def search_key(text: str) -> str:
    """The digits a search compares: a valid ISBN-10 becomes its ISBN-13, anything else compacted.

    A librarian may type part of an ISBN to search; only a whole valid one is converted.
    """
    value = compact(text)
    if len(value) == 10 and is_valid(value):
        return to_isbn13(value)
    return value
