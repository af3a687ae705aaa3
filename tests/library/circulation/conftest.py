"""What the circulation's tests share (and the temporary users' ones, which import it): the desk's
fixed time, the refusal check, and the small school the page tests work in."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from sesame.library.circulation.errors import CirculationRefused
from sesame.library.models import BorrowerType, Copy, Loan
from tests.library.factories import UAI, circulation_dump, make_borrower, make_copy, make_loan, make_record

NOW = datetime(2025, 9, 2, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))
TEMPORARY = BorrowerType.TEMPORARY


def refused(code: str, call, **kwargs) -> CirculationRefused:
    """Call a service that must refuse with ``code``; assert that no row changed at all."""
    before = circulation_dump()
    with pytest.raises(CirculationRefused) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert circulation_dump() == before
    return caught.value


def status_of(copy: Copy) -> str:
    return Copy.objects.get(pk=copy.pk).status


# --- The page tests' school -----------------------------------------------------------------------


def lend(borrower, copy, *, days_ago: int) -> Loan:
    """A loan made ``days_ago`` days before today (due 21 days after it)."""
    return make_loan(borrower, copy=copy, loaned_on=timezone.localdate() - timedelta(days=days_ago))


def url(name: str, *args) -> str:
    return reverse(f"library:{name}", args=[UAI, *args])


def date_fr(value) -> str:
    return value.strftime("%d/%m/%Y")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def base(library, today):
    """Pupils of two classes, a teacher, and PATERNA Christophe set aside by the update (seed C7)
    with one overdue book, while his new record (same name) has none."""
    people = {
        "dupont": make_borrower(library, "DUPONT Marie", school_class="3eA"),
        "lefevre": make_borrower(library, "LEFÈVRE Chloé", school_class="3eA"),
        "martin": make_borrower(library, "MARTIN Lucas", school_class="4eB"),
        "durand": make_borrower(library, "DURAND Claire", status="Enseignant"),
        "paterna": make_borrower(library, "PATERNA Christophe", school_class="3eC", borrower_type=TEMPORARY),
        "paterna_new": make_borrower(library, "Paterna Christophe", school_class="2nde1"),
    }
    records = {
        "prince": make_record(library, "Le Petit Prince"),
        "miserables": make_record(library, "Les Misérables"),
        "coeur": make_record(library, "Le Cœur cousu"),
    }
    copies = {
        "prince1": make_copy(library, records["prince"]),
        "prince2": make_copy(library, records["prince"]),
        "miserables": make_copy(library, records["miserables"]),
        "coeur": make_copy(library, records["coeur"]),
    }
    return {"people": people, "records": records, "copies": copies, "today": today}


@pytest.fixture
def in_english(signed_in):
    """The signed-in librarian after choosing English in the footer (kept for the visit)."""
    signed_in.post(reverse("set_language"), {"language": "en", "next": url("circulation_desk")})
    return signed_in


@pytest.fixture(autouse=True)
def _french_afterwards():
    """A page read in English leaves English active in the test's thread: French again after it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
