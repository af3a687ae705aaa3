"""The operator's admin pages for the library tables load, and loans cannot be edited there."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .factories import make_borrower, make_library, make_loan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["library", "librarian", "loanrule", "borrower", "record", "copy", "loan",
                                   "reservation"])
def test_each_library_table_has_an_admin_list(client, model):
    make_loan(make_borrower(make_library(), "DUPONT Marie"))
    client.force_login(get_user_model().objects.create_superuser("exploitant", password="x"))

    response = client.get(reverse(f"admin:library_{model}_changelist"))

    assert response.status_code == 200


def test_a_loan_cannot_be_changed_or_deleted_from_the_admin(client):
    loan = make_loan(make_borrower(make_library(), "DUPONT Marie"))
    client.force_login(get_user_model().objects.create_superuser("exploitant", password="x"))

    change = client.post(reverse("admin:library_loan_change", args=[loan.pk]), {"due_on": "2030-01-01"})
    delete = client.post(reverse("admin:library_loan_delete", args=[loan.pk]), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    due_on = loan.due_on
    loan.refresh_from_db()
    assert loan.due_on == due_on
