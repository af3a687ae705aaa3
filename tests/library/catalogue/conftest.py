"""The catalogue tests' fixtures: another library, a shelf of records, a copy out on loan."""

import pytest
from django.utils import translation

from sesame.library.models import Copy
from tests.library.factories import OTHER_UAI, make_borrower, make_library, make_loan

from .shelf import make_shelf


@pytest.fixture
def other_library(db):
    return make_library(OTHER_UAI, "Lycée Victor Hugo")


@pytest.fixture
def shelf(library):
    """A few records as a CDI has them, with copies in every status (``shelf.make_shelf``)."""
    return make_shelf(library)


@pytest.fixture
def loaned_copy(library, shelf):
    """Copy 00100005 (L'Œil du loup) out on loan to DUPONT Marie."""
    borrower = make_borrower(library, "DUPONT Marie", school_class="4eA")
    copy = Copy.objects.get(barcode="00100005")
    make_loan(borrower, copy=copy)
    return Copy.objects.get(pk=copy.pk)


@pytest.fixture
def english():
    """For a test that asks for English pages: the language its requests activated is dropped after."""
    yield
    translation.deactivate()
