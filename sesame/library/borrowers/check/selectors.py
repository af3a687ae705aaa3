"""The reads of "Vérifier avant la première mise à jour": what seed C's advice asks to look at.

Seed C says the first update goes well when the base is clean on two points: the *Statut* field
is homogeneous and never empty (the lot `Statut=Elève` must select every pupil, and only
pupils), and names are typed "NOM Prénom" without a comma and without slips, otherwise the
update "génère des doublons". These selectors find what to look at; the fixes are the services
of ``services.py``.

Statuses are grouped with Sésame's one fold (``sesame.sync.normalize.fold``: case, accents,
ligatures, punctuation): spellings in one group are exactly those that ``Statut=…`` and the loan
rules already treat as equal, so renaming within a group never changes which borrowers a lot
selects nor which loan rule applies. Names are compared with the update's own normalisation
(``name_key`` and its variants), so a pair listed here is a pair the update would also confuse.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from sesame.library.models import Borrower, Library
from sesame.sync.normalize import fold, name_key, sorted_key, spaceless_key

STATUS_MAX_LENGTH = Borrower._meta.get_field("status").max_length
# Two normalised names this similar (Jaro-Winkler, 0-100) may be one person typed with a slip:
# MARTNI / MARTIN scores 98, LEFEBRE / LEFEBVRE 98.5. Jaro-Winkler rather than an edit ratio
# because a swap of two letters, the commonest slip, costs an edit ratio two edits (MARTNI scores
# 91.7 there, below any useful floor), and names that differ that little are rare otherwise.
FUZZY_FLOOR = 92.0
# Jaro-Winkler favours a shared beginning, so siblings reach the floor on the family name alone
# ("martin lucas" / "martin lucie" scores 93). A slip changes a word, it does not replace it:
# each word must stay this close (edit ratio) to the word at the same place ("lucas" / "lucie"
# scores 60, "martni" / "martin" 83).
WORD_FLOOR = 80.0


@dataclass(frozen=True)
class StatusSpelling:
    value: str
    count: int


@dataclass(frozen=True)
class StatusGroup:
    """Spellings of one status as a reader sees it (``Elève``, ``Eleve``, ``élève``, ``Élève``).

    ``preferred`` is the spelling most borrowers have, the natural target of a rename (the
    librarian can choose another); on a tie, the one with the most accents and a capital, as a
    careful typist writes it (``Élève`` rather than ``Eleve``).
    """

    key: str
    spellings: tuple[StatusSpelling, ...]

    @property
    def total(self) -> int:
        return sum(spelling.count for spelling in self.spellings)

    @property
    def preferred(self) -> str:
        return self.spellings[0].value

    @property
    def is_mixed(self) -> bool:
        return len(self.spellings) > 1

    @property
    def others(self) -> tuple[StatusSpelling, ...]:
        return self.spellings[1:]


def _spelling_rank(spelling: StatusSpelling) -> tuple:
    accents = sum(1 for character in spelling.value if not character.isascii())
    return (-spelling.count, -accents, not spelling.value[:1].isupper(), spelling.value)


def status_groups(*, library: Library) -> list[StatusGroup]:
    """Every non-empty status with its count, spellings of one status side by side.

    Groups with several spellings come first (they are what needs a decision), then by size.
    """
    counts = (
        Borrower.objects.filter(library=library).exclude(status="")
        .values_list("status").annotate(count=Count("pk")).order_by()
    )
    grouped: dict[str, list[StatusSpelling]] = defaultdict(list)
    for value, count in counts:
        if value.strip():
            grouped[fold(value)].append(StatusSpelling(value, count))
    groups = [
        StatusGroup(key, tuple(sorted(spellings, key=_spelling_rank)))
        for key, spellings in grouped.items()
    ]
    groups.sort(key=lambda group: (not group.is_mixed, -group.total, group.key))
    return groups


def borrowers_without_status(*, library: Library) -> list[Borrower]:
    """Borrowers whose *Statut* is empty (or only spaces): no lot expression can select them."""
    rows = Borrower.objects.filter(library=library).only("number", "name", "status", "school_class")
    return [borrower for borrower in rows.order_by("name", "number") if not borrower.status.strip()]


def comma_fixed(name: str) -> str:
    """"DUPONT, Marie" as BCDI wants it: "DUPONT Marie" (the comma gone, one space between words)."""
    return " ".join(name.replace(",", " ").split())


@dataclass(frozen=True)
class CommaName:
    borrower: Borrower
    fixed: str


def names_with_comma(*, library: Library) -> list[CommaName]:
    rows = Borrower.objects.filter(library=library, name__contains=",").only("number", "name", "status")
    return [CommaName(borrower, comma_fixed(borrower.name)) for borrower in rows.order_by("name", "number")]


@dataclass(frozen=True)
class DuplicatePair:
    """Two borrowers that are probably one person; ``reason`` says why, in French."""

    first: Borrower
    second: Borrower
    reason: str
    score: float


def _dates_allow(first, second) -> bool:
    """Known and different birth dates mean two people (twins share one, so equal dates do not)."""
    return not (first.birth_date and second.birth_date and first.birth_date != second.birth_date)


def _words_alike(first: str, second: str) -> bool:
    """Every word of one name close to the word at the same place in the other."""
    words, others = first.split(), second.split()
    if len(words) != len(others):
        return True  # a word split or joined: the whole-name score alone decides
    return all(fuzz.ratio(a, b) >= WORD_FLOOR for a, b in zip(words, others, strict=True))


def duplicate_pairs(borrowers: Sequence) -> list[DuplicatePair]:
    """Probable duplicates among objects with ``number``, ``name`` and ``birth_date``.

    Exact keys first (the same folded name, the same words in another order, the same letters
    without spaces), each a dictionary lookup; then Jaro-Winkler only within blocks of names
    starting with the same letter, so 3,000 borrowers cost a few hundred thousand comparisons made
    in C, not nine million. A pair is listed once, with its strongest reason.
    """
    found: dict[tuple[int, int], DuplicatePair] = {}

    def add(first, second, reason: str, score: float) -> None:
        if first.number > second.number:
            first, second = second, first
        pair = (first.number, second.number)
        if pair not in found and _dates_allow(first, second):
            found[pair] = DuplicatePair(first, second, reason, score)

    keys = [name_key(borrower.name) for borrower in borrowers]
    exact_rules = (
        (lambda key: key, _("Même nom, accents, majuscules et ponctuation mis à part.")),
        (sorted_key, _("Mêmes mots dans un autre ordre : nom et prénom inversés ?")),
        (spaceless_key, _("Mêmes lettres, espaces mis à part.")),
    )
    for derive, reason in exact_rules:
        groups: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            if key:
                groups[derive(key)].append(index)
        for members in groups.values():
            for a, b in combinations(members, 2):
                add(borrowers[a], borrowers[b], reason, 100.0)

    blocks: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if key:
            blocks[key[0]].append(index)
    for members in blocks.values():
        if len(members) < 2:
            continue
        names = [keys[index] for index in members]
        for row, name in enumerate(names[:-1]):
            later = names[row + 1:]
            for _match, similarity, offset in process.extract(
                name, later, scorer=JaroWinkler.normalized_similarity, score_cutoff=FUZZY_FLOOR / 100,
                limit=None,
            ):
                score = 100 * similarity
                column = row + 1 + offset
                if names[column] != name and _words_alike(name, names[column]):
                    add(borrowers[members[row]], borrowers[members[column]],
                        _("Noms très proches (ressemblance de %(score)d %%) : faute de frappe probable ?")
                        % {"score": round(score)}, float(score))
    return sorted(found.values(), key=lambda pair: (name_key(pair.first.name), pair.first.number,
                                                    pair.second.number))


def probable_duplicates(*, library: Library) -> list[DuplicatePair]:
    rows = Borrower.objects.filter(library=library).only(
        "number", "name", "status", "school_class", "birth_date", "borrower_type"
    )
    return duplicate_pairs(list(rows.order_by("number")))


@dataclass(frozen=True)
class CheckSummary:
    groups: list[StatusGroup]
    without_status: list[Borrower]
    comma_names: list[CommaName]
    duplicates: list[DuplicatePair]

    @property
    def mixed_groups(self) -> list[StatusGroup]:
        return [group for group in self.groups if group.is_mixed]

    @property
    def statuses(self) -> list[str]:
        """Every spelling in use, most used first: what the librarian picks from."""
        counts = Counter({s.value: s.count for group in self.groups for s in group.spellings})
        return [value for value, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    @property
    def is_clean(self) -> bool:
        return not (self.mixed_groups or self.without_status or self.comma_names or self.duplicates)


def check_summary(*, library: Library) -> CheckSummary:
    return CheckSummary(
        groups=status_groups(library=library),
        without_status=borrowers_without_status(library=library),
        comma_names=names_with_comma(library=library),
        duplicates=probable_duplicates(library=library),
    )


def preferred_pupil_status(groups: Sequence[StatusGroup]) -> str:
    """The spelling the base uses most for pupils, to offer for a borrower who has a class."""
    for group in groups:
        if group.key in ("eleve", "eleves"):
            return group.preferred
    return "Elève"
