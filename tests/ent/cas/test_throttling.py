"""Login throttling per account and per address (anchors test 6; CVE-2023-4612 for proxies)."""

import pytest

from tests.ent.cas.conftest import ESIDOC_URL, LOGIN, state, text
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
THROTTLED = "Trop de tentatives de connexion. Réessayez dans quelques minutes."


def attempt(client, username: str, password: str, **extra):
    return client.post(f"{LOGIN}?service={ESIDOC_URL}", {"username": username, "password": password}, **extra)


def test_five_failures_lock_the_account_even_for_the_right_password(client, school, esidoc):
    for _ in range(5):
        assert attempt(client, "eleve", "faux").status_code == 200
    before = state()

    response = attempt(client, "eleve", PASSWORD)

    assert response.status_code == 429
    assert THROTTLED in text(response)
    assert "Location" not in response
    assert state() == before
    assert "_auth_user_id" not in client.session


def test_the_account_lock_holds_from_another_address(client, school, esidoc):
    for _ in range(5):
        attempt(client, "Eleve ", "faux", REMOTE_ADDR="192.0.2.1")

    response = attempt(client, "eleve", PASSWORD, REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 429


def test_other_accounts_are_not_locked_by_one_account(client, school, esidoc):
    for _ in range(5):
        attempt(client, "eleve", "faux", REMOTE_ADDR="192.0.2.1")

    response = attempt(client, "enseignant", PASSWORD, REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 302


def test_twenty_failures_from_one_address_lock_the_address(client, school, esidoc):
    for number in range(20):
        attempt(client, f"inconnu{number}", "faux", REMOTE_ADDR="192.0.2.9")

    locked = attempt(client, "eleve", PASSWORD, REMOTE_ADDR="192.0.2.9")
    elsewhere = attempt(client, "eleve", PASSWORD, REMOTE_ADDR="192.0.2.10")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_the_lock_ends_with_the_window(client, school, esidoc, clock):
    for _ in range(5):
        attempt(client, "eleve", "faux")
    clock.advance(15 * 60 - 1)
    assert attempt(client, "eleve", PASSWORD).status_code == 429

    clock.advance(1)

    assert attempt(client, "eleve", PASSWORD).status_code == 302


def test_a_success_clears_the_account_counter(client, school, esidoc):
    for _ in range(4):
        attempt(client, "eleve", "faux")
    assert attempt(client, "eleve", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "eleve", "faux")

    assert attempt(client, "eleve", PASSWORD).status_code == 302


def test_a_forwarded_for_header_from_a_client_is_not_believed(client, school, esidoc):
    for number in range(20):
        attempt(client, f"inconnu{number}", "faux", REMOTE_ADDR="192.0.2.9",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")

    response = attempt(client, "eleve", PASSWORD, REMOTE_ADDR="192.0.2.9",
                       HTTP_X_FORWARDED_FOR="198.51.100.200")

    assert response.status_code == 429


def test_a_forwarded_for_header_from_a_trusted_proxy_is_believed(client, school, esidoc, settings):
    settings.SESAME_CAS_TRUSTED_PROXIES = ["10.0.0.1"]
    for number in range(20):
        attempt(client, f"inconnu{number}", "faux", REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")

    locked = attempt(client, "eleve", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    other = attempt(client, "eleve", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert locked.status_code == 429
    assert other.status_code == 302
