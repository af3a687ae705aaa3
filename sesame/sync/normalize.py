"""Names and statuses compared as a person compares them (SPEC §2 "Matching", seed C).

Seed C: BCDI inserts by "comparant la chaîne de caractères présente dans le champ Emprunteur et
celle présente sur le fichier XML", and staff typed by hand "génèrent des doublons" over accents,
case, spaces, hyphens and "Nom, Prénom" with a comma. A librarian reading both lists sees those
as the same name, so the match key ignores them; it keeps the order of the words, because a
swapped "Prénom NOM" is a guess, not a certainty (it becomes a suggestion).

Statuses are free text in the base ("kept homogeneous", SPEC §2) and spelt differently by each
ENT (`Élève`, `Elève`, `Eleve`): the category is what matters for matching, the spelling is what
the base shows, so both are kept apart here.

``fold`` is Sésame's one way of comparing words, on purpose: the loan rules, the borrower
search expressions (``Statut=…``, the update's lot), the check page's groups of spellings, the
desk and catalogue searches and the MARC import all compare through it, so "Élève-interne",
"Élève interne" and "ELEVE INTERNE" are one status everywhere. Punctuation is dropped with case
and accents, because a reader does not see it as part of a word (hyphens, apostrophes, the comma
of "NOM, Prénom", ISBD's " / " in a title); a search for the comma itself is the check page's
"noms avec une virgule", not an expression. Its ligature table is the only one the library
compares with (the ENT, a separate system, keeps its own in ``sesame/ent/services.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

PUPIL = "eleve"
TEACHER = "enseignant"

# Letters that NFKD leaves whole but that a French reader spells out.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o",
                            "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i"})
# Anything that is neither a letter nor a digit separates words: hyphens, apostrophes (straight or
# typographic), commas, dots, underscores, runs of spaces.
_SEPARATORS = re.compile(r"[\W_]+")

_STATUS_WORDS = {
    "eleve": PUPIL, "eleves": PUPIL,
    "enseignant": TEACHER, "enseignants": TEACHER, "enseignante": TEACHER, "enseignantes": TEACHER,
    "professeur": TEACHER, "professeurs": TEACHER, "professeure": TEACHER, "prof": TEACHER,
    "profs": TEACHER,
}


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Lower-case words without accents or punctuation, separated by one space.

    ``fold("DUPONT, Marie-Hélène")`` is ``"dupont marie helene"``; ``fold("N'DIAYE")`` and
    ``fold("N DIAYE")`` are both ``"n diaye"``; ``fold("ŒUVRAY Zoë")`` is ``"oeuvray zoe"``.
    Cached: the same names come back on every run and in every pass.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_SEPARATORS.sub(" ", bare).split())


def name_key(name: str) -> str:
    """The exact-match key of a name: its folded words, in order."""
    return fold(name)


def sorted_key(key: str) -> str:
    """The same words in alphabetical order: equal for "MARTIN Lucas" and "Lucas MARTIN"."""
    return " ".join(sorted(key.split()))


def spaceless_key(key: str) -> str:
    """The key without spaces: equal for "LE GALL Yann" and "LEGALL Yann"."""
    return key.replace(" ", "")


def status_category(status: str) -> str:
    """The category of a status: ``"eleve"``, ``"enseignant"``, else the folded text ("" if empty).

    Only pupil and teacher need synonyms: those are the categories the seed's rule ("un statut ne
    passe pas d'Enseignant à Élève") and the lot expression (`Statut=Elève`) are about.
    """
    folded = fold(status)
    return _STATUS_WORDS.get(folded, folded)


def incompatible_statuses(base_status: str, file_status: str) -> bool:
    """A pupil does not become a teacher, nor a teacher a pupil (SPEC §2 "Matching")."""
    pair = {status_category(base_status), status_category(file_status)}
    return pair == {PUPIL, TEACHER}


def preferred_spellings(statuses: Iterable[str]) -> dict[str, str]:
    """For each category, the spelling the base uses most (ties: the first in alphabetical order).

    New borrowers take it, so that a base kept homogeneous ("toutes les fiches des enseignants
    devraient être saisies avec la même valeur", seed C) stays so whatever the ENT writes.
    """
    counts = Counter(status.strip() for status in statuses if status.strip())
    best: dict[str, tuple[int, str]] = {}
    for spelling, count in counts.items():
        category = status_category(spelling)
        current = best.get(category)
        if current is None or (-count, spelling) < (-current[0], current[1]):
            best[category] = (count, spelling)
    return {category: spelling for category, (_, spelling) in best.items()}


def format_date(value: date | None) -> str:
    """dd/mm/yyyy as BCDI and the users file write it; "" when unknown."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def parse_date(text: str) -> date | None:
    """The inverse of ``format_date`` ("" gives None)."""
    if not text:
        return None
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def is_date_slip(first: date, second: date) -> bool:
    """One wrong digit, two neighbouring digits swapped, or day and month swapped.

    What a hurried typist does to a birth date: 12/03/2011 for 12/03/2012, 03/04 for 30/04,
    03/12 for 12/03.
    """
    if first == second:
        return False
    if (first.day, first.month) == (second.month, second.day) and first.year == second.year:
        return True
    left, right = format_date(first).replace("/", ""), format_date(second).replace("/", "")
    wrong = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    if len(wrong) == 1:
        return True
    i = wrong[0]
    return len(wrong) == 2 and wrong[1] == i + 1 and (left[i], left[i + 1]) == (right[i + 1], right[i])
