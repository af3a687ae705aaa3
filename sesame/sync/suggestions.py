"""Suggestions: a "supprimé + nouveau" pair that is probably one person (SPEC §2, beyond BCDI).

Seed C: people "à la fois supprimés et ajoutés … correspondent le plus souvent à des saisies
différentes du nom et du prénom (orthographe, caractères accentués)", and BCDI's only remedy is
to stop, retype the old records and start again. Sésame proposes those pairs instead, for the
librarian to accept in one click; it never pairs them on its own.

A pair is proposed for one of these reasons, scored 0–100:

* same name, but what a librarian knows stopped the automatic match (birth date, class, status)
  or the borrower carries another ENT identity (rule 1);
* the same words in another order ("Lucas MARTIN"), or with other spaces ("LEGALL" / "LE GALL");
* a word of the name missing on one side ("DUPONT Marie" / "DUPONT Marie Claire");
* a typing slip, scored with ``fuzz.ratio`` on the folded names and on their sorted words, never
  with WRatio, which rates a short name inside a long one far too high (similar-systems §1.14).
  Every word must be its counterpart but for one slip (optimal string alignment distance), so
  that twins "MARTIN Léa" and "MARTIN Lou" are never proposed for each other.

Cost (performance anchors §1.2–1.3): exact keys are dictionary look-ups; the fuzzy pass runs on
the residue only, with ``process.extract`` and a score cut-off, over the whole residue when it is
school-sized (up to ``FULL_SCAN_PAIRS`` pairs, about 0.1 s), and within blocks sharing the first
two letters of the name, of the first name or of the sorted words beyond that.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .matching import BIRTH_DATE_DIFFERS, BIRTH_DATE_SLIP, contradiction_text, contradictions
from .model import ExistingBorrower, IncomingPerson
from .normalize import name_key, sorted_key, spaceless_key

SAME_NAME = "same_name"
SWAPPED = "swapped"
SPACING = "spacing"
PARTIAL_NAME = "partial_name"
NAME_SLIP = "name_slip"

FULL_SCAN_PAIRS = 2_000_000
LONG_WORD = 7  # letters from which a word may carry two slips rather than one
_NAME_SCORES = {SAME_NAME: 100.0, SWAPPED: 95.0, SPACING: 95.0, PARTIAL_NAME: 85.0}
_DATE_EQUAL_BONUS = 5.0
_PENALTIES = {BIRTH_DATE_SLIP: 5.0, BIRTH_DATE_DIFFERS: 20.0, "class_inconsistent": 20.0,
              "status_inconsistent": 20.0, "identity_differs": 10.0}


@dataclass(frozen=True)
class Assessment:
    score: float
    codes: tuple[str, ...]
    detail: str  # what makes the pair alike and what stands against it, in French

    @property
    def reason(self) -> str:
        opening = "Probablement la même personne" if self.score >= 90 else "Peut-être la même personne"
        return f"{opening} : {self.detail}."


@dataclass(frozen=True)
class Candidate:
    person: int
    borrower: ExistingBorrower
    assessment: Assessment

    @property
    def score(self) -> float:
        return self.assessment.score


@dataclass(frozen=True)
class _Names:
    key: str
    sorted: str
    spaceless: str
    words: tuple[str, ...]

    @classmethod
    def of(cls, name: str) -> _Names:
        key = name_key(name)
        return cls(key, sorted_key(key), spaceless_key(key), tuple(key.split()))


def _words_alike(first: Sequence[str], second: Sequence[str]) -> bool:
    """Word by word, at most one slip (two in a long word): a letter wrong, missing, added or two swapped.

    "Léa" / "Lou", "Ethan" / "Nathan", "Emma" / "Anna" are other names, not slips.
    """
    if len(first) != len(second):
        return False
    for a, b in zip(first, second, strict=True):
        allowed = 2 if min(len(a), len(b)) >= LONG_WORD else 1
        if OSA.distance(a, b, score_cutoff=allowed) > allowed:
            return False
    return True


def _name_relation(person: _Names, borrower: _Names) -> tuple[str, float] | None:
    """How the two names relate, and how alike they are (0–100), or None when they do not."""
    if not person.key or not borrower.key:
        return None
    if person.key == borrower.key:
        return SAME_NAME, 100.0
    if person.sorted == borrower.sorted:
        return SWAPPED, _NAME_SCORES[SWAPPED]
    if person.spaceless == borrower.spaceless:
        return SPACING, _NAME_SCORES[SPACING]
    shorter, longer = sorted((person.words, borrower.words), key=len)
    if (len(shorter) >= 2 and len(shorter) < len(longer) and shorter[0] == longer[0]
            and not Counter(shorter) - Counter(longer)):
        return PARTIAL_NAME, _NAME_SCORES[PARTIAL_NAME]
    direct = fuzz.ratio(person.key, borrower.key)
    swapped = fuzz.ratio(person.sorted, borrower.sorted)
    if direct >= swapped and _words_alike(person.words, borrower.words):
        return NAME_SLIP, direct
    if swapped > direct and _words_alike(person.sorted.split(), borrower.sorted.split()):
        return NAME_SLIP, swapped
    return None


def _name_text(code: str, person: IncomingPerson, borrower: ExistingBorrower) -> str:
    both = f"(« {borrower.name} » dans la base, « {person.name} » dans le fichier)"
    return {
        SWAPPED: f"nom et prénom inversés {both}",
        SPACING: f"espacement différent dans le nom {both}",
        PARTIAL_NAME: f"nom ou prénom incomplet {both}",
        NAME_SLIP: f"faute de frappe probable dans le nom {both}",
    }[code]


def assess(person: IncomingPerson, borrower: ExistingBorrower,
           names: tuple[_Names, _Names] | None = None) -> Assessment | None:
    """Score one pair and say why in French; None when the names are not alike at all."""
    person_names, borrower_names = names or (_Names.of(person.name), _Names.of(borrower.name))
    relation = _name_relation(person_names, borrower_names)
    if relation is None:
        return None
    name_code, score = relation
    against = contradictions(person, borrower)
    if person.birth_date and person.birth_date == borrower.birth_date:
        score += _DATE_EQUAL_BONUS
    score -= sum(_PENALTIES[code] for code in against)
    score = round(min(100.0, max(0.0, score)), 1)
    parts = [contradiction_text(code, person, borrower) for code in against]
    if name_code == SAME_NAME:
        text = "même nom, mais " + " ; ".join(parts)
        codes = against
    else:
        text = " ; ".join([_name_text(name_code, person, borrower), *parts])
        codes = (name_code, *against)
    return Assessment(score, codes, text)


def _blocks(values: Sequence[str], block: Callable[[str], str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for position, value in enumerate(values):
        found[block(value)].append(position)
    return found


def _same(value: str) -> str:
    return value


def _shortened(words: tuple[str, ...]) -> list[str]:
    """The name without one of its words, the first (the last name) always kept."""
    if len(words) < 3:
        return []
    return [" ".join(words[:i] + words[i + 1:]) for i in range(1, len(words))]


def _first_letters(value: str) -> str:
    return value[:2]


def _first_name_letters(value: str) -> str:
    return value.rsplit(" ", 1)[-1][:2]


def _fuzzy_pairs(
    people: Sequence[_Names], borrowers: Sequence[_Names], people_dates: Sequence[date | None],
    borrower_dates: Sequence[date | None], floor: float,
) -> set[tuple[int, int]]:
    """Pairs (person, borrower) of positions whose names or sorted words may reach ``floor``.

    A name below the floor can only reach it with the bonus of an equal birth date, so those
    are kept only when the dates agree: that keeps the pairs to assess few.
    """
    cutoff = floor - _DATE_EQUAL_BONUS
    pairs: set[tuple[int, int]] = set()
    if not people or not borrowers:
        return pairs
    if len(people) * len(borrowers) <= FULL_SCAN_PAIRS:
        passes = [("key", None), ("sorted", None)]
    else:
        passes = [("key", _first_letters), ("key", _first_name_letters), ("sorted", _first_letters)]
    for attribute, blocker in passes:
        queries = [getattr(names, attribute) for names in people]
        choices = [getattr(names, attribute) for names in borrowers]
        if blocker is None:
            groups = [(range(len(queries)), list(range(len(choices))))]
        else:
            query_blocks, choice_blocks = _blocks(queries, blocker), _blocks(choices, blocker)
            groups = [(query_blocks[b], choice_blocks[b]) for b in query_blocks if b in choice_blocks]
        for query_positions, choice_positions in groups:
            block_choices = [choices[position] for position in choice_positions]
            for query_position in query_positions:
                hits = process.extract(queries[query_position], block_choices, scorer=fuzz.ratio,
                                       score_cutoff=cutoff, limit=None)
                day = people_dates[query_position]
                for _, score, found in hits:
                    other = choice_positions[found]
                    if score >= floor or (day is not None and day == borrower_dates[other]):
                        pairs.add((query_position, other))
    return pairs


def propose(
    incoming: Sequence[IncomingPerson], people: Sequence[int], borrowers: Sequence[ExistingBorrower],
    floor: float,
) -> list[Candidate]:
    """The best suggestion for each person and borrower, greedily by score, all at least ``floor``."""
    people = [index for index in people if incoming[index].ent_identity]
    if not people or not borrowers:
        return []
    people_names = [_Names.of(incoming[index].name) for index in people]
    borrower_names = [_Names.of(borrower.name) for borrower in borrowers]
    pairs: set[tuple[int, int]] = set()
    for attribute in ("key", "sorted", "spaceless"):
        index = _blocks([getattr(names, attribute) for names in borrower_names], _same)
        for position, names in enumerate(people_names):
            pairs.update((position, other) for other in index.get(getattr(names, attribute), ()))
    by_key = _blocks([names.key for names in borrower_names], _same)
    # A word missing on one side: the longer name without one of its words (never the first).
    shortened: dict[str, list[int]] = defaultdict(list)
    for other, names in enumerate(borrower_names):
        for variant in _shortened(names.words):
            shortened[variant].append(other)
    for position, names in enumerate(people_names):
        pairs.update((position, other) for other in shortened.get(names.key, ()))
        for variant in _shortened(names.words):
            pairs.update((position, other) for other in by_key.get(variant, ()))
    pairs |= _fuzzy_pairs(people_names, borrower_names, [incoming[i].birth_date for i in people],
                          [borrower.birth_date for borrower in borrowers], floor)

    candidates = []
    for position, other in pairs:
        person, borrower = incoming[people[position]], borrowers[other]
        found = assess(person, borrower, (people_names[position], borrower_names[other]))
        if found is not None and found.score >= floor:
            candidates.append(Candidate(people[position], borrower, found))
    candidates.sort(key=lambda c: (-c.score, name_key(incoming[c.person].name), incoming[c.person].position,
                                   c.person, name_key(c.borrower.name), c.borrower.number))
    chosen, used_people, used_borrowers = [], set(), set()
    for candidate in candidates:
        if candidate.person in used_people or candidate.borrower.borrower_id in used_borrowers:
            continue
        chosen.append(candidate)
        used_people.add(candidate.person)
        used_borrowers.add(candidate.borrower.borrower_id)
    return chosen
