"""Reads of *Gestion des emprunteurs*: the borrowers with their open loans, a record and its loans.

The search evaluates the BCDI expression in Python over the library's borrowers: a school has a
few thousand at most (ten schools' worth is the largest library planned, performance anchors
§1.3), loaded in one query with their open-loan count, and the expression module is the same one
the update uses to select its lot, so what the librarian sees here is exactly the lot the update
will take.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from sesame.library.borrowers.expressions import Expression, borrower_values
from sesame.library.models import Borrower, Library, Loan


def borrowers_with_open_loans(*, library: Library) -> QuerySet[Borrower]:
    """Every borrower of the library with ``open_loans``, in one query, by name."""
    return (
        Borrower.objects.filter(library=library)
        .annotate(open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)))
        .order_by("name", "number")
    )


def borrowers_selected(*, library: Library, expression: Expression | None) -> list[Borrower]:
    """The borrowers an expression selects (all of them without one), with ``open_loans``."""
    borrowers = list(borrowers_with_open_loans(library=library))
    if expression is None:
        return borrowers
    return [borrower for borrower in borrowers if expression.matches(borrower_values(borrower))]


def borrower_with_open_loans(*, library: Library, number: int) -> Borrower | None:
    """The borrower of that number in this library, with ``open_loans``; None if there is none."""
    return borrowers_with_open_loans(library=library).filter(number=number).first()


def borrower_by_number(*, library: Library, number: int) -> Borrower | None:
    """A fresh copy of the record, as stored (no annotation), for a form to validate into."""
    return Borrower.objects.filter(library=library, number=number).first()


def borrower_open_loans(*, borrower: Borrower) -> QuerySet[Loan]:
    """The borrower's open loans with their copy and record, the first due first."""
    loans = Loan.objects.open().filter(borrower=borrower)
    return loans.select_related("copy__record").order_by("due_on", "pk")


def borrower_returned_count(*, borrower: Borrower) -> int:
    """How many returned loans of the borrower the history keeps."""
    return Loan.objects.returned().filter(borrower=borrower).count()
