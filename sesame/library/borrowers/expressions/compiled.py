"""A parsed expression compiled once into a test on a borrower's values, and what a borrower shows it.

Values are compared with ``sesame.sync.normalize.fold``, the one fold of Sésame: case, accents,
ligatures and punctuation do not matter, words are separated by one space. It is the fold the
loan rules and the update use for statuses, so ``Statut=Élève interne`` selects exactly the
borrowers the loan rule of "Élève-interne" applies to, and the check page's groups of spellings
are exactly what ``Statut=…`` treats as one status.

``*`` stands for any characters. The text between two ``*`` is folded as a value is, keeping a
word boundary at either end: ``Classe=3 *`` asks for a word "3" followed by others, while
``Classe=3*`` also takes "3eA"; ``Date de naissance=*/11/*`` asks for "11" between two words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sesame.sync.normalize import fold

from .syntax import FIELD_LABELS, Node, Term, fields_of

Matcher = Callable[[Mapping[str, str]], bool]


def _piece(text: str, *, first: bool, last: bool) -> str:
    """The text between two ``*``, folded, with a separator at either end kept as one space.

    Letters around it (the ``a`` sentinels) make ``fold`` keep a space where the piece starts or
    ends with punctuation or spaces, then are cut off; at the ends of the value there is no
    word before or after, so no space either.
    """
    folded = fold(f"a{text}a")[1:-1]
    if first:
        folded = folded.lstrip(" ")
    if last:
        folded = folded.rstrip(" ")
    return folded


def _compile_term(term: Term) -> Matcher:
    """A test on the raw values: folding happens here, only for the fields an evaluation reaches
    (``ET`` and ``SAUF`` stop early), and ``fold``'s cache makes a second read of a field free."""
    key = term.field
    if "*" not in term.value:
        wanted = fold(term.value)
        return lambda values: fold(values.get(key) or "") == wanted
    pieces = term.value.split("*")
    last = len(pieces) - 1
    pattern = re.compile(".*".join(re.escape(_piece(piece, first=index == 0, last=index == last))
                                   for index, piece in enumerate(pieces)), re.DOTALL)
    fullmatch = pattern.fullmatch
    return lambda values: fullmatch(fold(values.get(key) or "")) is not None


def _compile(node: Node) -> Matcher:
    if isinstance(node, Term):
        return _compile_term(node)
    left, right = _compile(node.left), _compile(node.right)
    if node.operator == "ET":
        return lambda values: left(values) and right(values)
    if node.operator == "SAUF":
        return lambda values: left(values) and not right(values)
    return lambda values: left(values) or right(values)


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed expression, compiled once so that selecting among a whole base is fast."""

    root: Node
    fields: frozenset[str] = field(init=False)
    _matcher: Matcher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", fields_of(self.root))
        object.__setattr__(self, "_matcher", _compile(self.root))

    def matches(self, values: Mapping[str, str]) -> bool:
        """Whether a borrower, given as ``{field key: text}`` (missing keys are empty), is selected."""
        return self._matcher(values)

    def __str__(self) -> str:
        return str(self.root)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)


def borrower_values(borrower: object) -> dict[str, str]:
    """What an expression sees of a borrower: any object with the ``Borrower`` attribute names.

    Dates are written dd/mm/yyyy, as the librarian reads them, so ``Date de naissance=*2013`` works.
    """
    values: dict[str, str] = {}
    for key in FIELD_LABELS:
        value = getattr(borrower, key, None)
        if value is None:
            values[key] = ""
        elif isinstance(value, date):
            values[key] = value.strftime("%d/%m/%Y")
        else:
            values[key] = str(value)
    return values
