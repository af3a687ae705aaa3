"""Reading an expression: the text cut into tokens, then parsed by precedence into a tree.

Grammar (keywords in any case, surrounded by spaces or parentheses)::

    expression := conjunction ("OU" conjunction)*
    conjunction := operand (("ET" | "SAUF") operand)*        # "A SAUF B" = A and not B
    operand    := "(" expression ")" | Field "=" Value

A value runs up to a keyword preceded by a space, a closing parenthesis or the end, so it may
hold spaces (``Classe=3 J2``); quotes (``Emprunteur="DUPONT ET FILS"``, ``""`` for a quote) let
it hold anything. Every malformed line is refused with a French message that names the
character where the problem is: nothing is guessed, since the update's lot decides who leaves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .compiled import Expression
from .syntax import FIELD_LABELS, ExpressionError, Node, Operation, Term, field_named, incorrect

MAX_LENGTH = 1000
MAX_DEPTH = 40

_KEYWORD_AT = re.compile(r"(ET|OU|SAUF)(?=[\s()]|$)", re.IGNORECASE)
# Where an unquoted value (or a field name) stops: a keyword preceded by spaces, or a parenthesis.
_VALUE_STOP = re.compile(r"\s+(?:ET|OU|SAUF)(?=[\s()]|$)|\)", re.IGNORECASE)
_FIELD_STOP = re.compile(r"=|\s+(?:ET|OU|SAUF)(?=[\s()]|$)|[()]", re.IGNORECASE)



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
        raise incorrect(
            start, f"signe « = » manquant dans « {label} » (attendu Champ=Valeur, par exemple Statut=Elève)."
        )
    if not label:
        raise incorrect(start, "nom de champ manquant avant « = » (par exemple Statut=Elève).")
    key = field_named(label)
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
            raise incorrect(opening, "guillemet ouvrant sans guillemet fermant.")
        parts.append(text[position:closing])
        if text.startswith('"', closing + 1):
            parts.append('"')
            position = closing + 2
            continue
        after = closing + 1
        if after < len(text) and not (text[after].isspace() or text[after] == ")"):
            raise incorrect(after, "texte collé au guillemet fermant (un espace ou « ) » est attendu).")
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
            raise incorrect(token.position, "parenthèse fermante sans parenthèse ouvrante.")
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
                raise incorrect(
                    token.position, f"opérateur « {token.text} » inattendu juste après « {previous.text} »."
                )
            raise incorrect(
                previous.position,
                f"« {previous.text} » doit être suivi d'un terme (Champ=Valeur) ou d'une parenthèse.",
            )
        if token.kind == "OP":
            where = "en début d'équation" if previous is None else "juste après une parenthèse ouvrante"
            raise incorrect(token.position, f"opérateur « {token.text} » {where}, sans terme avant lui.")
        if token.kind == ")":
            if previous is not None and previous.kind == "(":
                raise incorrect(previous.position, "parenthèses vides.")
            raise incorrect(token.position, "parenthèse fermante sans parenthèse ouvrante.")
        # END right after "(" (the empty text is refused before parsing).
        assert previous is not None
        raise incorrect(previous.position, "parenthèse ouvrante sans parenthèse fermante.")

    def parenthesised(self, opening: _Token) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise incorrect(opening.position, f"plus de {MAX_DEPTH} parenthèses imbriquées.")
        self.index += 1
        node = self.disjunction()
        token = self.current
        if token.kind == "END":
            raise incorrect(opening.position, "parenthèse ouvrante sans parenthèse fermante.")
        if token.kind != ")":
            raise self.missing_operator(token)
        self.index += 1
        self.depth -= 1
        return node

    @staticmethod
    def missing_operator(token: _Token) -> ExpressionError:
        shown = token.text if token.kind == "TERM" else token.kind
        return incorrect(token.position, f"ET, OU ou SAUF attendu avant « {shown} ».")


def parse_expression(text: str) -> Expression:
    """Read an expression, or raise ``ExpressionError`` saying in French what is wrong and where."""
    if not text or not text.strip():
        raise ExpressionError("L'équation est vide.", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"L'équation est trop longue ({len(text)} caractères, {MAX_LENGTH} au plus).", MAX_LENGTH
        )
    return Expression(_Parser(_tokens(text)).parse())
