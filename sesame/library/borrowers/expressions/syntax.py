"""What an expression is made of: the fields it may name, its tree, and its one error.

The fields are BCDI's, under the labels it shows, with the other spellings a librarian types
(``Nom`` for ``Emprunteur``, ``Mél`` for ``Mel``…); a tree prints back as a text that reads as
the same tree, so an expression kept with an update shows exactly what was selected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sesame.sync.normalize import fold

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

# Every accepted spelling, compared once reduced to letters and digits (see ``field_key``).
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
# A value must be quoted to hold one of these: a parenthesis, a quote, or a keyword as a word.
_NEEDS_QUOTES = re.compile(r'[()"]|(?:^|\s)(?:ET|OU|SAUF)(?=[\s()]|$)', re.IGNORECASE)


def field_key(label: str) -> str:
    """A field label reduced to its letters and digits: ``Type d'emprunteur`` is ``typedemprunteur``."""
    return "".join(character for character in fold(label) if character.isalnum())


_FIELD_BY_KEY: dict[str, str] = {
    field_key(alias): key for key, aliases in _FIELD_ALIASES.items() for alias in aliases
}


def field_named(label: str) -> str | None:
    """The English key of the field a librarian typed, or None when no field is called so."""
    return _FIELD_BY_KEY.get(field_key(label))


class ExpressionError(ValueError):
    """A malformed expression; ``str()`` is the French message, ``position`` is 0-based."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message


def incorrect(position: int, detail: str) -> ExpressionError:
    return ExpressionError(f"Équation incorrecte, caractère {position + 1} : {detail}", position)


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


def fields_of(node: Node) -> frozenset[str]:
    """The English keys of the fields a tree names."""
    if isinstance(node, Term):
        return frozenset((node.field,))
    return fields_of(node.left) | fields_of(node.right)
