"""The library's home: the dashboard's counts, for this library only, and the last update not abandoned."""

import re

from django.urls import reverse

from sesame.library.common.selectors import library_summary
from sesame.library.models import BorrowerType, UpdateRun
from tests.library.factories import OTHER_UAI, UAI, make_borrower, make_library, make_loan


def test_the_summary_counts_this_librarys_borrowers_and_open_loans(library):
    pupil = make_borrower(library, "PETIT Hugo", school_class="3eA")
    make_borrower(library, "MARTIN Lucas", borrower_type=BorrowerType.TEMPORARY)
    make_loan(pupil)
    make_loan(pupil, returned=True)
    make_loan(make_borrower(make_library(OTHER_UAI, "Lycée voisin"), "AUTRE Élève"))

    summary = library_summary(library)

    assert (summary.borrowers, summary.temporary_users, summary.open_loans, summary.last_update) == (
        2, 1, 1, None)


def test_the_last_update_shown_is_the_last_one_not_abandoned(library):
    kept = UpdateRun.objects.create(library=library, state=UpdateRun.State.APPLIED)
    UpdateRun.objects.create(library=library, state=UpdateRun.State.ABANDONED)

    assert library_summary(library).last_update == kept


def test_the_dashboard_shows_the_counts(signed_in, library):
    make_loan(make_borrower(library, "PETIT Hugo"))

    response = signed_in.get(reverse("library:dashboard", args=[UAI]))

    assert response.status_code == 200
    assert re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(\d+)</dd>", response.content.decode()) == [
        ("Emprunteurs", "1"), ("Usagers temporaires", "0"), ("Prêts en cours", "1")]
