"""Loan statistics by month, level and class (SPEC §2: anonymous loans are kept for statistics).

On 2 September 2025 the last twelve months are October 2024 to September 2025. Loans are
counted by the day they were made and the class their borrower had then (the borrower's class
when the loan did not record one), anonymous loans included, another school's never.
"""

import html
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sesame.library.models import Librarian, Loan
from sesame.library.tools.statistics import (
    Bar,
    BarChart,
    GroupCount,
    MonthCount,
    bar_chart,
    by_class,
    by_level,
    class_counts,
    loan_statistics,
    loans_by_month,
    period_start,
)
from tests.library.factories import OTHER_UAI, make_borrower, make_library, make_loan

TODAY = date(2025, 9, 2)


@pytest.fixture
def loans(library):
    """Loans of this year's classes, of a teacher, of ULIS, anonymous ones, and some out of the period."""
    chloe = make_borrower(library, "LEFÈVRE Chloé", school_class="6eA")
    emma = make_borrower(library, "BERNARD Emma", school_class="6eB")
    hugo = make_borrower(library, "PETIT Hugo", school_class="3e10")
    nina = make_borrower(library, "ROUX Nina", school_class="3e2")
    teacher = make_borrower(library, "DURAND Claire", status="Enseignant")
    ulis = make_borrower(library, "MOREAU Jules", school_class="ULIS")
    make_loan(chloe, returned=True, loaned_on=date(2024, 9, 30))  # the month before the period
    make_loan(chloe, returned=True, loaned_on=date(2024, 10, 1))
    make_loan(emma, returned=True, loaned_on=date(2025, 3, 3))
    make_loan(emma, returned=True, loaned_on=date(2025, 3, 31))
    make_loan(hugo, returned=True, loaned_on=date(2025, 1, 6))
    make_loan(nina, loaned_on=date(2025, 9, 2))  # today
    make_loan(teacher, returned=True, loaned_on=date(2025, 6, 2))
    make_loan(ulis, returned=True, loaned_on=date(2025, 6, 9))
    # Last year Hugo was in 4e: the loan keeps the class he had then.
    last_year = make_loan(hugo, returned=True, loaned_on=date(2024, 11, 4))
    Loan.objects.filter(pk=last_year.pk).update(borrower_class="4e1")
    # Recorded without a snapshot: Emma's class today is used.
    no_snapshot = make_loan(emma, returned=True, loaned_on=date(2025, 5, 5))
    Loan.objects.filter(pk=no_snapshot.pk).update(borrower_class="")
    # Anonymous: no borrower, the class of the time.
    anonymous = make_loan(nina, returned=True, loaned_on=date(2025, 2, 10))
    Loan.objects.filter(pk=anonymous.pk).update(borrower=None, borrower_class="5eC")
    anonymous_staff = make_loan(teacher, returned=True, loaned_on=date(2025, 2, 11))
    Loan.objects.filter(pk=anonymous_staff.pk).update(borrower=None)
    make_loan(nina, loaned_on=date(2025, 9, 3), returned=True)  # typed with tomorrow's date: left out
    other = make_library(OTHER_UAI, "Lycée voisin")
    stranger = make_borrower(other, "AUTRE Élève", school_class="6eA")
    make_loan(stranger, returned=True, loaned_on=date(2025, 3, 3))


def test_the_period_is_twelve_whole_months_ending_with_this_one():
    assert period_start(date(2025, 9, 2)) == date(2024, 10, 1)
    assert period_start(date(2025, 12, 31)) == date(2025, 1, 1)
    assert period_start(date(2025, 1, 1)) == date(2024, 2, 1)


def test_loans_by_month_include_empty_months(library, loans):
    assert loans_by_month(library=library, today=TODAY) == (
        MonthCount(date(2024, 10, 1), 1), MonthCount(date(2024, 11, 1), 1), MonthCount(date(2024, 12, 1), 0),
        MonthCount(date(2025, 1, 1), 1), MonthCount(date(2025, 2, 1), 2), MonthCount(date(2025, 3, 1), 2),
        MonthCount(date(2025, 4, 1), 0), MonthCount(date(2025, 5, 1), 1), MonthCount(date(2025, 6, 1), 2),
        MonthCount(date(2025, 7, 1), 0), MonthCount(date(2025, 8, 1), 0), MonthCount(date(2025, 9, 1), 1),
    )


def test_class_counts_use_the_class_of_the_time_then_the_borrowers(library, loans):
    assert class_counts(library=library, start=date(2024, 10, 1), end=TODAY) == {
        "6eA": 1, "6eB": 3, "3e10": 1, "3e2": 1, "4e1": 1, "5eC": 1, "": 2, "ULIS": 1,
    }


def test_classes_are_sorted_by_level_then_as_a_person_reads_them():
    counts = {"3e10": 1, "3e2": 2, "": 4, "ULIS": 5, "6eB": 6, "6eA": 7, "TG1": 8, "2nde1": 9}

    assert by_class(counts) == (
        GroupCount("6eA", 7), GroupCount("6eB", 6), GroupCount("3e2", 2), GroupCount("3e10", 1),
        GroupCount("2nde1", 9), GroupCount("TG1", 8), GroupCount("ULIS", 5), GroupCount("Sans classe", 4),
    )
    assert by_level(counts) == (
        GroupCount("6e", 13), GroupCount("3e", 3), GroupCount("2nde", 9), GroupCount("Terminale", 8),
        GroupCount("Autres classes", 5), GroupCount("Sans classe", 4),
    )


def test_the_statistics_of_the_page(library, loans):
    statistics = loan_statistics(library=library, today=TODAY)

    assert (statistics.start, statistics.end, statistics.total, statistics.anonymous) == (
        date(2024, 10, 1), TODAY, 11, 2)
    assert sum(month.count for month in statistics.by_month) == 11
    assert statistics.by_level == (
        GroupCount("6e", 4), GroupCount("5e", 1), GroupCount("4e", 1), GroupCount("3e", 2),
        GroupCount("Autres classes", 1), GroupCount("Sans classe", 2),
    )
    assert statistics.by_class == (
        GroupCount("6eA", 1), GroupCount("6eB", 3), GroupCount("5eC", 1), GroupCount("4e1", 1),
        GroupCount("3e2", 1), GroupCount("3e10", 1), GroupCount("ULIS", 1), GroupCount("Sans classe", 2),
    )


def test_without_a_day_the_statistics_end_on_the_clocks_today(library, loans, clock):
    clock.set_today(TODAY)

    assert loan_statistics(library=library) == loan_statistics(library=library, today=TODAY)


def test_an_empty_base_has_twelve_empty_months(library):
    statistics = loan_statistics(library=library, today=TODAY)

    assert statistics.total == 0
    assert [month.count for month in statistics.by_month] == [0] * 12
    assert statistics.by_level == statistics.by_class == ()


def test_the_chart_layout_scales_the_longest_bar_to_the_width():
    assert bar_chart([("6e", 4), ("5e", 1), ("4e", 0)]) == BarChart(
        width=640, height=86, label_x=150, bar_x=158, bar_height=18, bars=(
            Bar(label="6e", value=4, y=4, width=422, text_y=18, value_x=586),
            Bar(label="5e", value=1, y=30, width=106, text_y=44, value_x=270),
            Bar(label="4e", value=0, y=56, width=0, text_y=70, value_x=164),
        ))
    assert bar_chart([]) == BarChart(width=640, height=8, label_x=150, bar_x=158, bar_height=18, bars=())


# --- The page ------------------------------------------------------------------------------------


def test_the_page_draws_each_chart_in_svg_with_its_table(signed_in, library, loans, clock):
    clock.set_today(TODAY)

    response = signed_in.get(reverse("library:tools_statistics", kwargs={"uai": library.uai}))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "11 prêts du 01/10/2024 au 02/09/2025 (prêts anonymes compris : 2)." in page
    assert 'aria-current="page">Statistiques des prêts</a>' in page
    assert "<script" not in page
    for chart_id, title in [("par-mois", "Prêts par mois"), ("par-niveau", "Prêts par niveau"),
                            ("par-classe", "Prêts par classe")]:
        assert (f'<svg role="img" aria-labelledby="{chart_id}-svg-titre {chart_id}-svg-desc" '
                'focusable="false"' in page)
        assert f'<title id="{chart_id}-svg-titre">{title}</title>' in page
        assert f"<caption>{title} (tableau)</caption>" in page
    levels = page[page.index('data-testid="table-par-niveau"'):]
    levels = levels[:levels.index("</table>")]
    assert re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', levels) == [
        ("6e", "4"), ("5e", "1"), ("4e", "1"), ("3e", "2"), ("Autres classes", "1"), ("Sans classe", "2"),
        ("Total", "11")]
    months = page[page.index('data-testid="chart-par-mois"'):]
    months = months[:months.index("</svg>")]
    assert months.count("<rect ") == 12
    assert "<title>octobre 2024 : 1</title>" in months
    assert '<rect x="158" y="108" width="422" height="18" fill="#0b4f8a"/>' in months  # February, the most


def test_the_tools_pages_are_for_this_librarys_librarians_only(client, library, loans):
    stranger = get_user_model().objects.create_user("autre", password="x")
    Librarian.objects.create(library=make_library("0752345S", "Autre collège"), user=stranger)
    before = list(Loan.objects.order_by("pk").values_list("pk", "borrower_id"))
    names = ("tools_statistics", "tools_anonymize", "tools_backup", "tools_backup_download")
    paths = ("statistiques/", "prets-anonymes/", "sauvegarde/", "sauvegarde/fichier/")

    for name, path in zip(names, paths, strict=True):
        response = client.get(reverse(f"library:{name}", kwargs={"uai": library.uai}))
        assert response.status_code == 302
        assert response.url == f"/bibliotheque/connexion/?next=/bibliotheque/{library.uai}/outils/{path}"
    client.force_login(stranger)
    for name in names:
        assert client.get(reverse(f"library:{name}", kwargs={"uai": library.uai})).status_code == 403
    response = client.post(reverse("library:tools_anonymize", kwargs={"uai": library.uai}),
                           {"before": "", "expression": "", "expected": "11", "action": "confirm"})

    assert response.status_code == 403
    assert list(Loan.objects.order_by("pk").values_list("pk", "borrower_id")) == before
