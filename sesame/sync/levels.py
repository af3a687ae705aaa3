"""School levels read from class names, for the rule "a pupil of 3e does not become a pupil of 6e".

SPEC §2 ("Matching"): the base holds last year's class and the file this year's. Between two
updates a pupil stays at the same level (repeating a year, or a second update in the same year)
or moves up one: 6e → 5e → 4e → 3e → 2nde → 1ère → Terminale. Anything else (3e → 6e, 5e → 3e)
means two different people with the same name, or a mistake somebody must look at.

Class names are free text chosen by each school ("6eA", "6 A", "601", "3 J2", "2nde1", "1G2",
"TG1", "Terminale STMG"). A name whose level cannot be read with confidence (CAP and BTS years,
"ULIS", an empty class) gives None, and None never blocks a match: the rule only speaks when it
knows.
"""

from __future__ import annotations

from functools import lru_cache

from .normalize import fold

LEVEL_NAMES = ("6e", "5e", "4e", "3e", "2nde", "1ère", "Terminale")

_WORDS = (
    ("sixieme", 0), ("cinquieme", 1), ("quatrieme", 2), ("troisieme", 3),
    ("seconde", 4), ("premiere", 5), ("terminale", 6),
)
# Two-year courses numbered 1 and 2 whose numbers are years, not levels (1CAP → 2CAP).
_NOT_LEVELS = ("cap", "bts", "cpge", "ulis")
_DIGIT_LEVELS = {"6": 0, "5": 1, "4": 2, "3": 3, "2": 4, "1": 5}


@lru_cache(maxsize=4096)
def parse_level(school_class: str) -> int | None:
    """0 for 6e … 6 for Terminale, or None when the class name does not say.

    >>> [parse_level(name) for name in ("6eA", "6 A", "601", "3 J2", "2nde1", "1G2", "TG1")]
    [0, 0, 0, 3, 4, 5, 6]
    """
    text = fold(school_class).replace(" ", "")
    if not text or any(word in text for word in _NOT_LEVELS):
        return None
    for word, level in _WORDS:
        if text.startswith(word):
            return level
    if text[0] in _DIGIT_LEVELS:
        return _DIGIT_LEVELS[text[0]]
    if text[0] == "t":  # "TG1", "TSTMG", "Tle ES", "Term S": every other class name is read above
        return 6
    return None


def class_change_allowed(last_class: str, this_class: str) -> bool:
    """Same level or the next one; True when either level is unknown."""
    before, after = parse_level(last_class), parse_level(this_class)
    if before is None or after is None:
        return True
    return after in (before, before + 1)
