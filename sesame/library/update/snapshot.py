"""Reads of the borrower base that the update needs, in a constant number of queries.

The update core works on a snapshot (plain dataclasses), never on the ORM; the fingerprint lets
the import refuse a plan when the base changed after the librarian saw the analysis, and lets
the undo refuse when anything was touched after the import. Both come from the same two queries
(the borrowers as tuples, their loans counted per borrower), read once: building thousands of
model instances, or grouping borrowers joined to their loans, costs more than the whole plan
(performance anchors §1.3, items 2–3).
"""

import hashlib
from collections.abc import Iterator
from types import SimpleNamespace

from django.db.models import Count, Max, Q

from sesame.library.borrowers.expressions import Expression, borrower_values
from sesame.library.models import Borrower, Copy, Library, Loan, Reservation
from sesame.sync import ExistingBorrower

_SNAPSHOT_FIELDS = (
    "pk", "number", "name", "status", "school_class", "birth_date", "email", "ent_identity",
    "borrower_type",
)
_NO_LOANS = (0, 0, None)


def _loan_counts(library: Library) -> dict[int, tuple[int, int, int | None]]:
    """Per borrower: open loans, all loans, and the newest loan's id (a new loan changes it)."""
    rows = (
        Loan.objects.filter(library=library, borrower__isnull=False)
        .values("borrower_id")
        .annotate(open=Count("pk", filter=Q(returned_on__isnull=True)), all=Count("pk"), last=Max("pk"))
        .order_by()
    )
    return {row["borrower_id"]: (row["open"], row["all"], row["last"]) for row in rows}


def _base_rows(library: Library) -> Iterator[tuple[tuple, tuple[int, int, int | None]]]:
    """Each borrower's columns, in id order, with its loan counts."""
    loans = _loan_counts(library)
    for row in Borrower.objects.filter(library=library).order_by("pk").values_list(*_SNAPSHOT_FIELDS):
        yield row, loans.get(row[0], _NO_LOANS)


def base_state(*, library: Library, lot: Expression | None) -> tuple[list[ExistingBorrower], str]:
    """The snapshot and the fingerprint of the base from one read, so they describe the same base."""
    snapshot = []
    digest = hashlib.sha256()
    lot_fields = sorted(lot.fields) if lot is not None else []
    for row, counts in _base_rows(library):
        digest.update(repr([*row, *counts]).encode())
        digest.update(b"\n")
        values = dict(zip(_SNAPSHOT_FIELDS, row, strict=True))
        # The expression reads only the fields it names: formatting the others (dates) for every
        # borrower would cost more than the selection itself.
        in_lot = lot is not None and lot.matches(
            borrower_values(SimpleNamespace(**{field: values[field] for field in lot_fields}))
        )
        snapshot.append(ExistingBorrower(
            borrower_id=values.pop("pk"), open_loans=counts[0], in_lot=in_lot, **values,
        ))
    # The import may cancel a departing pupil's reservations and hand a held copy on; its undo
    # puts them back, so any later change to reservations or copy statuses must be noticed.
    for rows in (
        Reservation.objects.filter(library=library).order_by("pk")
        .values_list("pk", "state", "borrower_id", "copy_id"),
        Copy.objects.filter(library=library).order_by("pk").values_list("pk", "status"),
    ):
        digest.update(repr(list(rows)).encode())
    return snapshot, digest.hexdigest()


def borrower_snapshot(*, library: Library, lot: Expression | None) -> list[ExistingBorrower]:
    """Every borrower of the library with its open-loan count and whether the lot selects it."""
    return base_state(library=library, lot=lot)[0]


def library_fingerprint(*, library: Library) -> str:
    """A digest of every borrower and of the loans attached to each, as they are now."""
    return base_state(library=library, lot=None)[1]


def lot_count(*, library: Library, lot: Expression) -> int:
    """How many borrowers an expression selects (shown beside "Emprunteurs à mettre à jour")."""
    return sum(1 for borrower in borrower_snapshot(library=library, lot=lot) if borrower.in_lot)
