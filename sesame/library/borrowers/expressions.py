"""Search expressions over borrowers, as BCDI's *équation de recherche* (SPEC §2).

A librarian selects a lot of borrowers with a line such as ``Statut=Elève``,
``Type d'emprunteur=Usager temporaire`` or ``(Classe=3* OU Classe=4*) SAUF Statut=Enseignant``.
The borrower update uses it to say whose absence from the ENT file means they left, so a wrong
expression deletes the wrong people: every malformed line is refused with a French message that
names the character where the problem is, and nothing is guessed.

Grammar (keywords in any case, surrounded by spaces or parentheses)::

    expression := conjunction ("OU" conjunction)*
    conjunction := operand (("ET" | "SAUF") operand)*        # "A SAUF B" = A and not B
    operand    := "(" expression ")" | Field "=" Value

A value runs up to a keyword preceded by a space, a closing parenthesis or the end, so it may
hold spaces (``Classe=3 J2``); quotes (``Emprunteur="DUPONT ET FILS"``, ``""`` for a quote) let
it hold anything. ``*`` stands for any characters; without it the whole value must match.
Field names and values compare as people read them: case, accents, ligatures (œ, æ) and runs
of spaces do not matter.

This module is pure (standard library only) so that it can be used on a page, in a command or
on a plain list of values, and tested without a database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "FIELD_LABELS",
    "Expression",
    "ExpressionError",
    "borrower_values",
    "fold",
    "parse_expression",
]

# The English key of each field, in the order BCDI shows them, with the label it shows.
FIELD_LABELS: dict[str, str] = {
    "status": "Statut",
    "school_class": "Classe",
    "name": "Emprunteur",
    "borrower_type": "Type d'emprunteur",
    "number": "N° emprunteur",
    "ent_identity": "Identité ENT",
    "email": "Mel",
    "birth_date": "Date de naissance",
}

# Every accepted spelling, compared once reduced to letters and digits (see ``_field_key``).
_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "status": ("Statut", "Statuts"),
    "school_class": ("Classe", "Classes"),
    "name": ("Emprunteur", "Nom", "Nom Prénom", "Nom et prénom"),
    "borrower_type": ("Type d'emprunteur", "Type emprunteur", "Type", "Type d'usager"),
    "number": ("N° emprunteur", "Numéro", "No emprunteur", "N° d'emprunteur", "Numéro emprunteur",
               "Numéro d'emprunteur"),
    "ent_identity": ("Identité ENT", "Identité E.", "Identité", "Identifiant ENT"),
    "email": ("Mel", "Courriel", "E-mail", "Mail", "Adresse électronique"),
    "birth_date": ("Date de naissance", "Né le", "Naissance"),
}

KEYWORDS = ("ET", "OU", "SAUF")
MAX_LENGTH = 1000
MAX_DEPTH = 40

_LIGATURES = str.maketrans({
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "’": "'", "‘": "'", "ʼ": "'", "´": "'",
})
_LIGATURE_CHARACTERS = re.compile("[" + "".join(re.escape(chr(code)) for code in _LIGATURES) + "]")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_KEYWORD_AT = re.compile(r"(ET|OU|SAUF)(?=[\s()]|$)", re.IGNORECASE)
# Where an unquoted value (or a field name) stops: a keyword preceded by spaces, or a parenthesis.
_VALUE_STOP = re.compile(r"\s+(?:ET|OU|SAUF)(?=[\s()]|$)|\)", re.IGNORECASE)
_FIELD_STOP = re.compile(r"=|\s+(?:ET|OU|SAUF)(?=[\s()]|$)|[()]", re.IGNORECASE)
_NEEDS_QUOTES = re.compile(r'[()"]|(?:^|\s)(?:ET|OU|SAUF)(?=[\s()]|$)', re.IGNORECASE)


@functools.lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """How people compare words: no case, no accents, œ = oe, one space between words.

    Cached because a borrower base repeats the same statuses and classes thousands of times, and
    because an expression naming a field twice (``Classe=3* OU Classe=4*``) reads it twice.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    if _LIGATURE_CHARACTERS.search(text):
        text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(_COMBINING.sub("", decomposed).split())


def _field_key(label: str) -> str:
    return "".join(character for character in fold(label) if character.isalnum())


_FIELD_BY_KEY: dict[str, str] = {
    _field_key(alias): key for key, aliases in _FIELD_ALIASES.items() for alias in aliases
}


class ExpressionError(ValueError):
    """A malformed expression; ``str()`` is the French message, ``position`` is 0-based."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message


def _incorrect(position: int, detail: str) -> ExpressionError:
    return ExpressionError(f"Équation incorrecte, caractère {position + 1} : {detail}", position)


# --- Syntax tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """``Field=Value``: ``field`` is the English key, ``value`` the text as typed (spaces collapsed)."""

    field: str
    value: str

    def __str__(self) -> str:
        value = self.value
        if _NEEDS_QUOTES.search(value):
            value = '"' + value.replace('"', '""') + '"'
        return f"{FIELD_LABELS[self.field]}={value}"


@dataclass(frozen=True)
class Operation:
    """``left OPERATOR right`` with ``operator`` one of ``KEYWORDS``."""

    operator: str
    left: Node
    right: Node

    def __str__(self) -> str:
        left = _operand_text(self, self.left, right=False)
        right = _operand_text(self, self.right, right=True)
        return f"{left} {self.operator} {right}"


Node = Term | Operation


def _operand_text(parent: Operation, child: Node, *, right: bool) -> str:
    """Parentheses only where precedence or left-to-right order needs them, so the text re-reads
    as the same tree."""
    if isinstance(child, Term):
        return str(child)
    tight_parent = parent.operator != "OU"
    tight_child = child.operator != "OU"
    if (tight_parent and not tight_child) or (right and tight_parent == tight_child):
        return f"({child})"
    return str(child)


# --- Matching -----------------------------------------------------------------------------------


def _compile_term(term: Term) -> Callable[[Mapping[str, str]], bool]:
    """A test on the raw values: folding happens here, only for the fields an evaluation reaches
    (``ET`` and ``SAUF`` stop early), and ``fold``'s cache makes a second read of a field free."""
    key = term.field
    wanted = fold(term.value)
    if "*" not in wanted:
        return lambda values: fold(values.get(key) or "") == wanted
    pattern = re.compile(".*".join(re.escape(part) for part in wanted.split("*")), re.DOTALL)
    fullmatch = pattern.fullmatch
    return lambda values: fullmatch(fold(values.get(key) or "")) is not None


def _compile(node: Node) -> Callable[[Mapping[str, str]], bool]:
    if isinstance(node, Term):
        return _compile_term(node)
    left, right = _compile(node.left), _compile(node.right)
    if node.operator == "ET":
        return lambda values: left(values) and right(values)
    if node.operator == "SAUF":
        return lambda values: left(values) and not right(values)
    return lambda values: left(values) or right(values)


def _fields(node: Node) -> frozenset[str]:
    if isinstance(node, Term):
        return frozenset((node.field,))
    return _fields(node.left) | _fields(node.right)


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed expression, compiled once so that selecting among a whole base is fast."""

    root: Node
    fields: frozenset[str] = field(init=False)
    _matcher: Callable[[Mapping[str, str]], bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _fields(self.root))
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


# --- Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "OP", "TERM", "END"
    position: int
    text: str = ""
    term: Term | None = None


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position, end = 0, len(text)
    while True:
        while position < end and text[position].isspace():
            position += 1
        if position >= end:
            tokens.append(_Token("END", end))
            return tokens
        character = text[position]
        if character in "()":
            tokens.append(_Token(character, position))
            position += 1
            continue
        keyword = _KEYWORD_AT.match(text, position)
        if keyword:
            tokens.append(_Token("OP", position, keyword.group(1).upper()))
            position = keyword.end()
            continue
        token, position = _read_term(text, position)
        tokens.append(token)


def _read_term(text: str, start: int) -> tuple[_Token, int]:
    stop = _FIELD_STOP.search(text, start)
    field_end = stop.start() if stop else len(text)
    label = text[start:field_end].strip()
    if stop is None or stop.group() != "=":
        raise _incorrect(
            start, f"signe « = » manquant dans « {label} » (attendu Champ=Valeur, par exemple Statut=Elève)."
        )
    if not label:
        raise _incorrect(start, "nom de champ manquant avant « = » (par exemple Statut=Elève).")
    key = _FIELD_BY_KEY.get(_field_key(label))
    if key is None:
        raise ExpressionError(
            f"Champ inconnu « {label} » (caractère {start + 1}). "
            f"Champs possibles : {', '.join(FIELD_LABELS.values())}.",
            start,
        )
    value_start = stop.end()
    while value_start < len(text) and text[value_start].isspace():
        value_start += 1
    if value_start < len(text) and text[value_start] == '"':
        value, position = _read_quoted(text, value_start)
    else:
        stop = _VALUE_STOP.search(text, stop.end())
        position = stop.start() if stop else len(text)
        value = text[value_start:position]
    term = Term(key, " ".join(value.split()))
    return _Token("TERM", start, text[start:position].strip(), term), position


def _read_quoted(text: str, opening: int) -> tuple[str, int]:
    parts: list[str] = []
    position = opening + 1
    while True:
        closing = text.find('"', position)
        if closing < 0:
            raise _incorrect(opening, "guillemet ouvrant sans guillemet fermant.")
        parts.append(text[position:closing])
        if text.startswith('"', closing + 1):
            parts.append('"')
            position = closing + 2
            continue
        after = closing + 1
        if after < len(text) and not (text[after].isspace() or text[after] == ")"):
            raise _incorrect(after, "texte collé au guillemet fermant (un espace ou « ) » est attendu).")
        return "".join(parts), after


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def parse(self) -> Node:
        node = self.disjunction()
        token = self.current
        if token.kind == ")":
            raise _incorrect(token.position, "parenthèse fermante sans parenthèse ouvrante.")
        if token.kind != "END":
            raise self.missing_operator(token)
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.current.kind == "OP" and self.current.text == "OU":
            self.index += 1
            node = Operation("OU", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.operand()
        while self.current.kind == "OP" and self.current.text in ("ET", "SAUF"):
            operator = self.current.text
            self.index += 1
            node = Operation(operator, node, self.operand())
        return node

    def operand(self) -> Node:
        token = self.current
        previous = self.tokens[self.index - 1] if self.index else None
        if token.kind == "TERM":
            self.index += 1
            assert token.term is not None
            return token.term
        if token.kind == "(":
            return self.parenthesised(token)
        if previous is not None and previous.kind == "OP":
            if token.kind == "OP":
                raise _incorrect(
                    token.position, f"opérateur « {token.text} » inattendu juste après « {previous.text} »."
                )
            raise _incorrect(
                previous.position,
                f"« {previous.text} » doit être suivi d'un terme (Champ=Valeur) ou d'une parenthèse.",
            )
        if token.kind == "OP":
            where = "en début d'équation" if previous is None else "juste après une parenthèse ouvrante"
            raise _incorrect(token.position, f"opérateur « {token.text} » {where}, sans terme avant lui.")
        if token.kind == ")":
            if previous is not None and previous.kind == "(":
                raise _incorrect(previous.position, "parenthèses vides.")
            raise _incorrect(token.position, "parenthèse fermante sans parenthèse ouvrante.")
        # END right after "(" (the empty text is refused before parsing).
        assert previous is not None
        raise _incorrect(previous.position, "parenthèse ouvrante sans parenthèse fermante.")

    def parenthesised(self, opening: _Token) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _incorrect(opening.position, f"plus de {MAX_DEPTH} parenthèses imbriquées.")
        self.index += 1
        node = self.disjunction()
        token = self.current
        if token.kind == "END":
            raise _incorrect(opening.position, "parenthèse ouvrante sans parenthèse fermante.")
        if token.kind != ")":
            raise self.missing_operator(token)
        self.index += 1
        self.depth -= 1
        return node

    @staticmethod
    def missing_operator(token: _Token) -> ExpressionError:
        shown = token.text if token.kind == "TERM" else token.kind
        return _incorrect(token.position, f"ET, OU ou SAUF attendu avant « {shown} ».")


def parse_expression(text: str) -> Expression:
    """Read an expression, or raise ``ExpressionError`` saying in French what is wrong and where."""
    if not text or not text.strip():
        raise ExpressionError("L'équation est vide.", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"L'équation est trop longue ({len(text)} caractères, {MAX_LENGTH} au plus).", MAX_LENGTH
        )
    return Expression(_Parser(_tokens(text)).parse())
