"""Fixtures shared by the library's page tests: a library and its signed-in librarian."""

import pytest
from django.contrib.auth import get_user_model

from sesame.library.models import Librarian

from .factories import make_library

PASSWORD = "motdepasse-test"


@pytest.fixture
def library(db):
    return make_library()


@pytest.fixture
def librarian(library):
    user = get_user_model().objects.create_user("documentaliste", password=PASSWORD, first_name="Léa",
                                                last_name="LIVRE")
    Librarian.objects.create(library=library, user=user)
    return user


@pytest.fixture
def signed_in(client, librarian):
    client.force_login(librarian)
    return client
