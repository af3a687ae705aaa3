"""The catalogue's reads: the search, a record with its copies, what holds a copy, the next barcode.

Every read is scoped to one library: a record or a copy of another library is "not found", never
shown. Nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.catalogue.rules import SEARCH_FIELDS
from sesame.library.models import Copy, CopyStatus, Library, Loan, Record, Reservation, ReservationState
from sesame.sync.normalize import fold


def record_of(library: Library, record_id: int) -> Record | None:
    """The library's record with this number, or None (another library's record is not found)."""
    return Record.objects.filter(library=library, pk=record_id).first()


def copy_of(library: Library, copy_id: int) -> Copy | None:
    """The library's copy with this id and its record, or None."""
    return Copy.objects.filter(library=library, pk=copy_id).select_related("record").first()


def open_loan_of(copy: Copy) -> Loan | None:
    """The loan the copy is out on, with its borrower, or None."""
    return Loan.objects.open().filter(copy=copy).select_related("borrower").first()


def hold_of(copy: Copy) -> Reservation | None:
    """The reservation the copy is set aside for, with its borrower, or None."""
    return (Reservation.objects.filter(copy=copy, state=ReservationState.READY)
            .select_related("borrower").first())


@dataclass(frozen=True)
class CopyRow:
    """A copy of a record as its page lists it: the open loan or the reservation holding it."""

    copy: Copy
    loan: Loan | None
    hold: Reservation | None


def copies_of(record: Record) -> list[CopyRow]:
    """The record's copies by barcode, each with what holds it, in three queries."""
    loans = {loan.copy_id: loan for loan in Loan.objects.open().filter(
        copy__record=record).select_related("borrower")}
    holds = {hold.copy_id: hold for hold in Reservation.objects.filter(
        copy__record=record, state=ReservationState.READY).select_related("borrower")}
    return [CopyRow(copy, loans.get(copy.pk), holds.get(copy.pk))
            for copy in record.copies.order_by("barcode")]


def next_barcode(library: Library) -> str:
    """The barcode after the library's highest numeric one, zero-padded alike ("" if none).

    What a librarian labelling new books would take next; only a suggestion for the form.
    """
    numeric = [code for code in Copy.objects.filter(library=library).values_list("barcode", flat=True)
               if code.isdigit()]
    if not numeric:
        return ""
    top = max(numeric, key=int)
    return str(int(top) + 1).zfill(len(top))


def catalogue_ids(library: Library) -> list[int]:
    """Every record of the library, by title then id: the search page without words."""
    return list(Record.objects.filter(library=library).order_by("title", "pk").values_list("pk", flat=True))


def records_with_counts(ids: list[int]) -> list[Record]:
    """These records in this order, each with ``copy_count`` and ``available_count``: one page of results."""
    records = Record.objects.filter(pk__in=ids).annotate(
        copy_count=Count("copies"),
        available_count=Count("copies", filter=Q(copies__status=CopyStatus.AVAILABLE)),
    )
    by_id = {record.pk: record for record in records}
    return [by_id[pk] for pk in ids if pk in by_id]


def record_search(*, library: Library, text: str, field: str = "all") -> list[int]:
    """The ids of the records matching ``text``, by title then id.

    Every word must appear in the chosen field, as a reader compares words (case, accents,
    ligatures and punctuation ignored): "oeil loup" finds "L'Œil du loup". An ISBN is compared
    digits to digits, an ISBN-10 as its ISBN-13, so either finds the record.

    The comparison runs in Python over the library's records: a CDI has a few thousand to a few
    tens of thousands, and neither SQLite nor PostgreSQL without an extension folds accents.
    """
    if field not in SEARCH_FIELDS:
        field = "all"
    rows = Record.objects.filter(library=library).values_list(
        "pk", "title", "authors", "isbn", "subjects", "publisher", "call_number")
    words = fold(text).split()
    digits = isbn_rules.search_key(text)
    looks_like_isbn = bool(re.fullmatch(r"[0-9X]{4,13}", digits))
    matches = []
    for pk, title, authors, isbn, subjects, publisher, call_number in rows:
        if field == "isbn":
            hit = bool(digits) and digits in isbn
        else:
            haystack = {
                "title": title, "authors": authors, "subjects": subjects,
                "all": f"{title} {authors} {subjects} {publisher} {call_number}",
            }[field]
            folded = fold(haystack)
            hit = all(word in folded for word in words)
            if not hit and field == "all" and looks_like_isbn:
                hit = digits in isbn
        if hit:
            matches.append((fold(title), pk))
    matches.sort()
    return [pk for _, pk in matches]
