"""Reads that belong to no single capability: what the library's dashboard shows at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from sesame.library.models import Borrower, BorrowerType, Library, Loan, UpdateRun


@dataclass(frozen=True)
class LibrarySummary:
    borrowers: int
    temporary_users: int
    open_loans: int
    last_update: UpdateRun | None  # the last update from the ENT file not abandoned, if any


def library_summary(library: Library) -> LibrarySummary:
    """The dashboard's counts, in four queries."""
    borrowers = Borrower.objects.filter(library=library)
    return LibrarySummary(
        borrowers=borrowers.count(),
        temporary_users=borrowers.filter(borrower_type=BorrowerType.TEMPORARY).count(),
        open_loans=Loan.objects.open().filter(library=library).count(),
        last_update=UpdateRun.objects.filter(library=library).exclude(state=UpdateRun.State.ABANDONED).first(),
    )
