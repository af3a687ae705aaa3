"""Search expressions over borrowers, as BCDI's *équation de recherche* (SPEC §2).

A librarian selects a lot of borrowers with a line such as ``Statut=Elève``,
``Type d'emprunteur=Usager temporaire`` or ``(Classe=3* OU Classe=4*) SAUF Statut=Enseignant``.
The borrower update uses it to say whose absence from the ENT file means they left, so a wrong
expression deletes the wrong people: every malformed line is refused with a French message that
names the character where the problem is, and nothing is guessed.

- ``syntax``: the fields (labels and aliases), the tree (``Term``, ``Operation``) and
  ``ExpressionError``;
- ``reader``: the tokenizer and the parser, ``parse_expression`` (the grammar is there);
- ``compiled``: ``Expression``, compiled once into a test on a borrower's values, and
  ``borrower_values``.

Values compare as people read them, with Sésame's one fold (``sesame.sync.normalize.fold``):
case, accents, ligatures (œ, æ), punctuation and runs of spaces do not matter, so a status
means the same here, in the loan rules and in the update ("Élève-interne" is "Élève interne").
``*`` stands for any characters; without it the whole value must match.

This package is pure (the standard library and the pure ``sesame.sync`` only) so that it can be
used on a page, in a command or on a plain list of values, and tested without a database.
"""

from sesame.sync.normalize import fold

from .compiled import Expression, borrower_values
from .reader import MAX_DEPTH, MAX_LENGTH, parse_expression
from .syntax import FIELD_LABELS, KEYWORDS, ExpressionError, Node, Operation, Term

__all__ = [
    "FIELD_LABELS",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Expression",
    "ExpressionError",
    "Node",
    "Operation",
    "Term",
    "borrower_values",
    "fold",
    "parse_expression",
]
