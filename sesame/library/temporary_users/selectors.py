"""What the temporary users' pages read (seed C7): the list, one of them, who may receive their loans."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from sesame.library.models import Borrower, BorrowerType, Library, Loan
from sesame.sync.normalize import name_key, sorted_key, spaceless_key


def temporary_users(*, library: Library) -> QuerySet:
    """The borrowers of ``Type d'emprunteur=Usager temporaire``, by name, with ``open_loans``
    (count) and ``last_due_on`` (the latest due date of their open loans, None without)."""
    open_loans = Loan.objects.open().filter(borrower=OuterRef("pk"))
    return (
        Borrower.objects.filter(library=library, borrower_type=BorrowerType.TEMPORARY)
        .annotate(open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)),
                  last_due_on=Subquery(open_loans.order_by("-due_on").values("due_on")[:1]))
        .order_by("name", "number")
    )


def temporary_user_by_number(*, library: Library, number: int) -> Borrower | None:
    """The temporary user with this number, with ``open_loans`` and ``last_due_on``, or None."""
    return temporary_users(library=library).filter(number=number).first()


def loans_reassign_candidates(*, library: Library, borrower: Borrower) -> list[Borrower]:
    """Who may receive a temporary user's loans, the most likely first.

    Borrowers with the same name (compared as the update compares names: accents, case,
    punctuation ignored) come first and carry ``same_name = True``: the page preselects the
    first of the list when it has ``same_name`` (seed C7: "S'il existe … un emprunteur avec le
    même nom, sa fiche sera sélectionnée par défaut"). Then names with the words swapped or
    spaced differently, then everyone else by name. Never the borrower itself nor a temporary
    user (they may not receive loans). Every borrower of the school is read: a few thousand.
    """
    key = name_key(borrower.name)
    near = (sorted_key(key), spaceless_key(key))
    rows = (Borrower.objects.filter(library=library).exclude(pk=borrower.pk)
            .exclude(borrower_type=BorrowerType.TEMPORARY).order_by("name", "number"))

    def rank(candidate: Borrower) -> int:
        other = name_key(candidate.name)
        if other == key:
            return 0
        return 1 if sorted_key(other) == near[0] or spaceless_key(other) == near[1] else 2

    ranked = sorted(rows, key=rank)  # stable: by name within each rank
    for candidate in ranked:
        candidate.same_name = name_key(candidate.name) == key
    return ranked
