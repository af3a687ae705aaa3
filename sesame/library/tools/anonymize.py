"""Make loan history anonymous: keep returned loans for statistics, without the borrower (SPEC §2).

Seed C: deleting a borrower deletes their loan history, and BCDI offers "rendre les prêts
anonymes" first so statistics survive. The CNIL's reference for libraries (performance anchors
S35) keeps a loan's details until the end of the fourth month after its return; after that only
depersonalised statistics may remain. This tool does that, for any lot of loans: returned before
a date, of borrowers an expression selects (``Statut=Elève ET Classe=3*``), or both.

An anonymous loan keeps its dates, its copy (so its record), and the borrower's status and
class at the time, copied from the borrower when the loan did not record them; the borrower
link is emptied, so nothing leads back to the person. Open loans are never touched: the base
itself refuses an open loan without a borrower. The desk journal would still tell who borrowed
the copy (its checkout, return and renewal lines name the borrower), so those lines lose the
borrower too; the rest of each line (the copy, the date, who was at the desk) stays. The journal
then gains one line: who made how many loans anonymous, and which ones (the date, the lot).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.borrowers.expressions import (
    Expression,
    ExpressionError,
    borrower_values,
    parse_expression,
)
from sesame.library.common.audit import event_record
from sesame.library.common.errors import LibraryRefused
from sesame.library.common.locking import one
from sesame.library.models import Borrower, EventAction, Library, LibraryEvent, Loan

logger = logging.getLogger(__name__)

RETENTION_MONTHS = 4
_CHUNK = 500
# Journal lines that tie a borrower to a loan of a copy (reservations are about records).
# The journal's lines are written in French whatever the reader's language, as the desk writes them.
ANONYMOUS_IN_JOURNAL = "emprunteur anonyme"
_LOAN_ACTIONS = (EventAction.CHECKOUT, EventAction.RETURN, EventAction.RENEW)


class AnonymizeRefused(LibraryRefused):
    """The loans cannot be made anonymous as asked; ``message`` says why. Nothing changed."""


@dataclass(frozen=True)
class Selection:
    """Which returned loans: returned before ``before`` (if given), of the ``lot`` (if given)."""

    before: date | None = None
    lot: Expression | None = None

    @property
    def lot_text(self) -> str:
        return str(self.lot) if self.lot is not None else ""


@dataclass(frozen=True)
class Preview:
    loans: int
    borrowers: int


def retention_limit(today: date) -> date:
    """The first day of the month four months back: loans returned before it are past the CNIL's
    "end of the fourth month after return" (returned in April → kept until the end of August)."""
    month_index = today.year * 12 + today.month - 1 - RETENTION_MONTHS
    return date(month_index // 12, month_index % 12 + 1, 1)


def anonymize_selection(*, before: date | None = None, expression: str = "") -> Selection:
    """The selection, or a refusal naming what is wrong in the expression."""
    lot = None
    if expression and expression.strip():
        try:
            lot = parse_expression(expression)
        except ExpressionError as error:
            raise AnonymizeRefused(error.message, code="expression") from error
    return Selection(before=before, lot=lot)


def _lot_ids(library: Library, lot: Expression) -> list[int]:
    """Borrowers the expression selects, evaluated as the update does (case and accents ignored)."""
    fields = sorted(lot.fields)
    rows = (Borrower.objects.filter(library=library, loans__returned_on__isnull=False)
            .distinct().order_by("pk").values_list("pk", *fields))
    return [row[0] for row in rows
            if lot.matches(borrower_values(SimpleNamespace(**dict(zip(fields, row[1:], strict=True)))))]


def anonymizable_loans(*, library: Library, selection: Selection) -> list[QuerySet]:
    """The selected loans as querysets, one per slice of borrowers (SQLite bounds a query's values)."""
    loans = Loan.objects.returned().filter(library=library, borrower__isnull=False)
    if selection.before is not None:
        loans = loans.filter(returned_on__lt=selection.before)
    if selection.lot is None:
        return [loans]
    ids = _lot_ids(library, selection.lot)
    return [loans.filter(borrower_id__in=ids[start:start + _CHUNK]) for start in range(0, len(ids), _CHUNK)]


def anonymize_preview(*, library: Library, selection: Selection) -> Preview:
    """How many loans, of how many borrowers, the selection would make anonymous."""
    loans = borrowers = 0
    for queryset in anonymizable_loans(library=library, selection=selection):
        counts = queryset.aggregate(loans=Count("pk"), borrowers=Count("borrower_id", distinct=True))
        loans += counts["loans"]
        borrowers += counts["borrowers"]
    return Preview(loans=loans, borrowers=borrowers)


def loans_anonymize(*, library: Library, selection: Selection, acting_user, expected: int | None = None,
                    now: datetime | None = None) -> int:
    """Make the selected returned loans anonymous, in one transaction; the number made anonymous.

    ``expected`` is the count the librarian confirmed: if returns or deletions changed it since the
    preview, nothing is done, so nobody confirms one number and gets another. Nothing to make
    anonymous is not an error, and changes nothing (no journal line).
    """
    with transaction.atomic():
        one(Library.objects.select_for_update().filter(pk=library.pk))
        querysets = anonymizable_loans(library=library, selection=selection)
        count = sum(queryset.count() for queryset in querysets)
        if expected is not None and count != expected:
            raise AnonymizeRefused(
                _("Le nombre de prêts concernés a changé depuis l'aperçu (%(count)d au lieu de "
                  "%(expected)d) : vérifiez-le à nouveau avant de confirmer.")
                % {"count": count, "expected": expected},
                code="count_changed")
        of_borrower = Borrower.objects.filter(pk=OuterRef("borrower_id"))
        for queryset in querysets:
            _journal_forget(library, list(queryset.values_list("borrower_id", "copy_id", "loaned_on",
                                                               "returned_on")))
            queryset.filter(borrower_status="").update(
                borrower_status=Subquery(of_borrower.values("status")[:1]))
            queryset.filter(borrower_class="").update(
                borrower_class=Subquery(of_borrower.values("school_class")[:1]))
            queryset.update(borrower=None)
        if count:
            _journal(library, selection, count, acting_user=acting_user, now=now or clock.now())
    logger.info("%d loans of library %s made anonymous (returned before %s, lot %r) by %s", count,
                library.uai, selection.before, selection.lot_text, acting_user or "a command")
    return count


def _journal(library: Library, selection: Selection, count: int, *, acting_user, now: datetime) -> None:
    scope = f"rendus avant le {selection.before:%d/%m/%Y}" if selection.before else "rendus"
    lot = f", emprunteurs « {selection.lot_text} »" if selection.lot is not None else ""
    event_record(library=library, action=EventAction.ANONYMISE, acting_user=acting_user, now=now,
                 detail=f"{count} prêt(s) {scope}{lot}",
                 data={"count": count, "before": selection.before.isoformat() if selection.before else None,
                       "lot": selection.lot_text})


def _journal_forget(library: Library, loans: list[tuple]) -> None:
    """Empty the borrower of the journal lines of these loans, and their number from the text.

    A line belongs to a loan when it names the same borrower and copy, on a day from the loan to
    its return. The number is replaced only where the line writes it (``n° 12``), so the rest of
    the text (barcode, due date, days late) is kept as it was.
    """
    spans: dict[tuple[int, int], list[tuple[date, date]]] = {}
    for borrower_id, copy_id, loaned_on, returned_on in loans:
        spans.setdefault((borrower_id, copy_id), []).append((loaned_on, returned_on))
    borrower_ids = sorted({borrower_id for borrower_id, _copy_id in spans})
    forgotten = []
    for start in range(0, len(borrower_ids), _CHUNK):
        chunk = borrower_ids[start:start + _CHUNK]
        numbers = dict(Borrower.objects.filter(pk__in=chunk).values_list("pk", "number"))
        lines = LibraryEvent.objects.filter(library=library, borrower_id__in=chunk,
                                                action__in=_LOAN_ACTIONS)
        for line in lines:
            day = timezone.localtime(line.at).date()
            if any(begin <= day <= end for begin, end in spans.get((line.borrower_id, line.copy_id), ())):
                number = re.compile(rf"n° {numbers[line.borrower_id]}(?!\d)")
                line.detail = number.sub(ANONYMOUS_IN_JOURNAL, line.detail)
                line.borrower_id = None
                forgotten.append(line)
    LibraryEvent.objects.bulk_update(forgotten, ["borrower", "detail"], batch_size=_CHUNK)
