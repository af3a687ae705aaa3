"""What the circulation pages read: borrowers and records found at the desk, loans, reservations,
alerts, overdue loans. Reads only: every change goes through ``services.py`` or
``reservations.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, QuerySet

from sesame.core import clock
from sesame.library.models import (
    ACTIVE_RESERVATION_STATES,
    Borrower,
    Copy,
    EventAction,
    LibrarianAlert,
    Library,
    LibraryEvent,
    Loan,
    Record,
    Reservation,
    ReservationState,
)
from sesame.sync.normalize import fold

SEARCH_LIMIT = 50  # a name typed at the desk rarely matches more; the page asks for more words


# --- Borrowers and records found at the desk ------------------------------------------------------


def borrower_by_number(*, library: Library, number: int) -> Borrower | None:
    return Borrower.objects.filter(library=library, number=number).first()


def borrowers_matching(
    *, library: Library, text: str, rows: Iterable[Borrower] | None = None,
) -> list[Borrower]:
    """Borrowers whose number is ``text``, or whose name holds every word of it (50 at most).

    Names are compared folded (accents, case, hyphens and apostrophes ignored), as the update
    compares them, so "lefevre chloe" finds "LEFÈVRE Chloé". The database cannot fold that way
    on SQLite, so the names are folded here: a school has a few thousand borrowers (the bound
    this is meant for), and only their numbers and names are read, then the matching rows.
    A number is looked up in the database. ``rows`` narrows the search to borrowers already
    read (the reassignment candidates); by default every borrower of the library, in name order.
    """
    if not text:
        return []
    number = int(text) if text.isdigit() and len(text) <= 9 else None
    words = fold(text).split()
    if rows is not None:
        rows = list(rows)
        if number is not None:
            return [row for row in rows if row.number == number]
        return [row for row in rows if words and all(word in fold(row.name) for word in words)][:SEARCH_LIMIT]
    everyone = Borrower.objects.filter(library=library).order_by("name", "number")
    if number is not None:
        return list(everyone.filter(number=number))
    if not words:
        return []
    names = everyone.values_list("pk", "name").iterator(chunk_size=2000)
    wanted = [pk for pk, name in names if all(word in fold(name) for word in words)][:SEARCH_LIMIT]
    return list(Borrower.objects.filter(pk__in=wanted).order_by("name", "number"))


def records_matching(*, library: Library, text: str) -> list[Record]:
    """The record of the copy with this barcode, else the records whose title holds every word
    (folded as names are; a school's catalogue is a few thousand titles, read as two columns)."""
    if not text:
        return []
    copy = Copy.objects.filter(library=library, barcode=text).select_related("record").first()
    if copy is not None:
        return [copy.record]
    words = fold(text).split()
    if not words:
        return []
    titles = Record.objects.filter(library=library).order_by("title", "pk").values_list("pk", "title")
    wanted = [pk for pk, title in titles if all(word in fold(title) for word in words)][:SEARCH_LIMIT]
    return list(Record.objects.filter(pk__in=wanted).order_by("title", "pk"))


def record_of(*, library: Library, record_id: int) -> Record | None:
    return Record.objects.filter(library=library, pk=record_id).first()


def copy_by_barcode(*, library: Library, barcode: str) -> Copy | None:
    return Copy.objects.filter(library=library, barcode=barcode).select_related("record").first()


# --- Loans -----------------------------------------------------------------------------------------


def open_loans_of(borrower: Borrower) -> QuerySet:
    """A borrower's open loans, the soonest due first, with copy and record."""
    return (Loan.objects.open().filter(borrower=borrower).select_related("copy__record")
            .order_by("due_on", "pk"))


def returned_loan_count(borrower: Borrower) -> int:
    return Loan.objects.returned().filter(borrower=borrower).count()


def loan_of(*, library: Library, loan_id: int) -> Loan | None:
    return Loan.objects.filter(library=library, pk=loan_id).select_related("borrower", "copy__record").first()


def open_loan_of_copy(copy: Copy) -> Loan | None:
    """The copy's open loan, read without a lock (the page that asks before declaring it lost)."""
    return Loan.objects.open().filter(copy=copy).select_related("borrower").first()


def returns_of_day(*, library: Library, day: date, limit: int) -> list[LibraryEvent]:
    """The day's last returns at the desk, newest first (what the return page lists)."""
    return list(LibraryEvent.objects.filter(library=library, action=EventAction.RETURN, at__date=day)
                .select_related("borrower", "copy__record").order_by("-at", "-pk")[:limit])


def overdue_loans(
    *, library: Library, today: date | None = None, school_class: str | None = None,
) -> QuerySet:
    """Open loans past their due date (the *lettres de relance*), by borrower then due date.

    ``school_class`` selects the borrowers' current class (where the letter is handed out),
    compared without regard to case; borrower, copy and record come with each loan.
    """
    today = today or clock.today()
    loans = (Loan.objects.open().filter(library=library, due_on__lt=today)
             .select_related("borrower", "copy__record"))
    if school_class:
        loans = loans.filter(borrower__school_class__iexact=school_class.strip())
    return loans.order_by("borrower__name", "borrower__number", "due_on", "pk")


def overdue_classes(*, library: Library, today: date) -> list[str]:
    """The classes with an overdue loan, for the page's class filter (case-blind order)."""
    classes = (overdue_loans(library=library, today=today).order_by()
               .values_list("borrower__school_class", flat=True).distinct())
    return sorted({value for value in classes if value}, key=str.casefold)


# --- Reservations ----------------------------------------------------------------------------------


def ready_reservations_of(borrower: Borrower) -> QuerySet:
    """The copies held for this borrower, to hand over at the desk."""
    return (Reservation.objects.filter(borrower=borrower, state=ReservationState.READY)
            .select_related("record", "copy").order_by("ready_at", "pk"))


def held_reservations(*, library: Library) -> QuerySet:
    """Every copy held for someone, to put aside, the oldest first."""
    return (Reservation.objects.filter(library=library, state=ReservationState.READY)
            .select_related("borrower", "record", "copy").order_by("ready_at", "pk"))


def waiting_queues(*, library: Library) -> QuerySet:
    """Records with borrowers waiting: ``record_id``, ``record__title``, ``waiting`` (count)."""
    return (Reservation.objects.filter(library=library, state=ReservationState.WAITING)
            .values("record_id", "record__title").annotate(waiting=Count("pk")).order_by("record__title"))


def record_queue(record: Record) -> QuerySet:
    """A record's active reservations in queue order (position = order of creation)."""
    return (Reservation.objects.filter(record=record, state__in=ACTIVE_RESERVATION_STATES)
            .select_related("borrower", "copy").order_by("created_at", "pk"))


def record_copies(record: Record) -> QuerySet:
    return record.copies.order_by("barcode")


def reservation_of(*, library: Library, reservation_id: int) -> Reservation | None:
    return (Reservation.objects.filter(library=library, pk=reservation_id)
            .select_related("borrower", "record").first())


# --- Alerts ----------------------------------------------------------------------------------------


def alerts(*, library: Library, unread_only: bool = False) -> QuerySet:
    """The library's alerts, newest first, with the borrower they concern (None once deleted)."""
    rows = LibrarianAlert.objects.filter(library=library).select_related("borrower")
    return rows.filter(is_read=False) if unread_only else rows


def unread_alerts(*, library: Library, limit: int) -> tuple[list[LibrarianAlert], int]:
    """The newest unread alerts (``limit`` at most) and how many are unread in all."""
    rows = alerts(library=library, unread_only=True).order_by("-created_at", "-pk")
    shown = list(rows[:limit])
    return shown, len(shown) if len(shown) < limit else rows.count()


def unread_alert_ids(*, library: Library) -> list[int]:
    return list(alerts(library=library, unread_only=True).values_list("pk", flat=True))
