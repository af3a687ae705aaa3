"""Loan statistics: by month, by level, by class, from every loan row, anonymous ones included.

SPEC §2 keeps anonymous loans "for statistics without the borrower": so the statistics read
only what an anonymous loan keeps — its date and the borrower's class at the time — and making
loans anonymous never changes them. A loan whose snapshot of the class is empty (recorded
before snapshots were taken) falls back to its borrower's current class.

Selectors return plain data; ``bar_chart`` lays a chart out for a server-rendered SVG, so the
pages need no script, and the same numbers are given as a table for those who cannot see it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.models import Library, Loan
from sesame.sync.levels import LEVEL_NAMES, parse_level
from sesame.sync.normalize import fold

MONTHS = 12


@dataclass(frozen=True)
class MonthCount:
    month: date  # its first day
    count: int


@dataclass(frozen=True)
class GroupCount:
    label: str
    count: int


@dataclass(frozen=True)
class LoanStatistics:
    start: date  # first day of the first month
    end: date  # the day the statistics were computed (included)
    total: int
    anonymous: int
    by_month: tuple[MonthCount, ...]
    by_level: tuple[GroupCount, ...]
    by_class: tuple[GroupCount, ...]


def period_start(today: date, months: int = MONTHS) -> date:
    """First day of the month ``months - 1`` months before today's: twelve whole calendar months."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _loans(library: Library, start: date, end: date):
    return Loan.objects.filter(library=library, loaned_on__gte=start, loaned_on__lte=end)


def loans_by_month(*, library: Library, today: date, months: int = MONTHS) -> tuple[MonthCount, ...]:
    """Loans made in each of the last ``months`` months (this one included), empty months too."""
    start = period_start(today, months)
    counts: dict[tuple[int, int], int] = {}
    rows = _loans(library, start, today).values("loaned_on").annotate(n=Count("pk")).order_by()
    for row in rows:
        key = (row["loaned_on"].year, row["loaned_on"].month)
        counts[key] = counts.get(key, 0) + row["n"]
    result = []
    for offset in range(months):
        index = start.year * 12 + start.month - 1 + offset
        month = date(index // 12, index % 12 + 1, 1)
        result.append(MonthCount(month, counts.get((month.year, month.month), 0)))
    return tuple(result)


def class_counts(*, library: Library, start: date, end: date) -> dict[str, int]:
    """Loans per class at the time; the borrower's class when the loan did not record it."""
    school_class = Coalesce(NullIf(F("borrower_class"), Value("")), F("borrower__school_class"), Value(""))
    rows = (_loans(library, start, end).annotate(group=school_class).values("group")
            .annotate(n=Count("pk")).order_by())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["group"]] = counts.get(row["group"], 0) + row["n"]
    return counts


def _class_order(name: str) -> tuple:
    """By level (6e first), unknown levels then no class last, then as a person sorts "6eB" < "6eC"
    and "3e2" < "3e10"."""
    level = parse_level(name)
    natural = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                    for part in re.findall(r"\d+|\D+", fold(name)))
    return (not name, level is None, level or 0, natural)


def by_class(counts: dict[str, int]) -> tuple[GroupCount, ...]:
    """Each class with its loans; loans without a class last, as "Sans classe"."""
    ordered = sorted(counts, key=_class_order)
    return tuple(GroupCount(name or _("Sans classe"), counts[name]) for name in ordered)


def by_level(counts: dict[str, int]) -> tuple[GroupCount, ...]:
    """Every level from 6e to Terminale that has loans, then classes of no known level, then none."""
    levels = [0] * len(LEVEL_NAMES)
    other = without = 0
    for name, count in counts.items():
        level = parse_level(name) if name else None
        if not name:
            without += count
        elif level is None:
            other += count
        else:
            levels[level] += count
    result = [GroupCount(label, count) for label, count in zip(LEVEL_NAMES, levels, strict=True) if count]
    if other:
        result.append(GroupCount(_("Autres classes"), other))
    if without:
        result.append(GroupCount(_("Sans classe"), without))
    return tuple(result)


def loan_statistics(*, library: Library, today: date | None = None) -> LoanStatistics:
    """The statistics page: the last twelve months up to ``today`` (the clock's), in three queries."""
    today = today or clock.today()
    start = period_start(today)
    counts = class_counts(library=library, start=start, end=today)
    totals = _loans(library, start, today).aggregate(
        total=Count("pk"), anonymous=Count("pk", filter=Q(borrower__isnull=True)))
    return LoanStatistics(
        start=start, end=today, total=totals["total"], anonymous=totals["anonymous"],
        by_month=loans_by_month(library=library, today=today),
        by_level=by_level(counts), by_class=by_class(counts),
    )


# --- Charts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One row of a chart, in whole SVG units (a localised "12,5" would break the drawing)."""

    label: str
    value: int
    y: int  # top of the bar
    width: int  # length of the bar
    text_y: int  # baseline of the label and of the value
    value_x: int  # where the value is written, just after the bar


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: labels on the left, bars, the value after each bar.

    Horizontal, so thirty classes or a long class name still read well on a narrow screen.
    """

    width: int
    height: int
    label_x: int  # right edge of the labels
    bar_x: int  # where bars start
    bar_height: int
    bars: tuple[Bar, ...]


CHART_WIDTH = 640
LABEL_WIDTH = 150
VALUE_SPACE = 60  # room after the longest bar for its number
ROW_HEIGHT = 26
BAR_HEIGHT = 18


def bar_chart(items: Sequence[tuple[str, int]]) -> BarChart:
    """Geometry of a chart of ``(label, value)``: the longest bar takes the whole width."""
    top = max((value for _label, value in items), default=0)
    bar_x = LABEL_WIDTH + 8
    room = CHART_WIDTH - bar_x - VALUE_SPACE
    bars = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * ROW_HEIGHT
        width = round(value * room / top) if top else 0
        bars.append(Bar(label=label, value=value, y=y, width=width, text_y=y + 14, value_x=bar_x + width + 6))
    return BarChart(width=CHART_WIDTH, height=8 + len(items) * ROW_HEIGHT, label_x=LABEL_WIDTH, bar_x=bar_x,
                    bar_height=BAR_HEIGHT, bars=tuple(bars))
