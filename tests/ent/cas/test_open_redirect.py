"""Open-redirect attempts on ``login`` and ``logout`` (CAS 3.0 §2.2.1, §2.3.1; anchors S5, S38)."""

import pytest

from tests.ent.cas.conftest import ESIDOC_URL, LOGIN, state, text

pytestmark = pytest.mark.django_db

VECTORS = [
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:\\\\evil.example/",
    "https://9990001x.esidoc.fr@evil.example/",
    "https://9990001x.esidoc.fr:443@evil.example/",
    "https://9990001x.esidoc.fr.evil.example/",
    "https://9990001x.esidoc.frevil.example/",
    "https://evil.example/https://9990001x.esidoc.fr/",
    "https:%2F%2Fevil.example/",
    "https:/%2Fevil.example/",
    "https://evil.example%2F9990001x.esidoc.fr/",
    "https://9990001x.esidoc.fr%2F@evil.example/",
    "https://9990001x.esidoc.fr%2f.evil.example/",
    "http:///evil.example/",
    "https://9990001x.esidoc.fr/home/\r\nLocation: https://evil.example/",
    "https://9990001x.esidoc.fr/home/\n",
    "https://9990001x.esidoc.fr/home/\t",
    "\thttps://9990001x.esidoc.fr/home/",
    " https://9990001x.esidoc.fr/home/",
    "https://9990001x.esidoc.fr/home/\x00",
    "https://9990001x.esidoc.fr\uff0fevil.example/",
    "https://9990001x.esidoc.fr\u3002evil.example/",
    "javascript:alert(1)//https://9990001x.esidoc.fr/",
    "java\tscript:alert(1)",
    "data:text/html,https://9990001x.esidoc.fr/",
    "ftp://9990001x.esidoc.fr/home/",
    "HTTPS://9990001x.esidoc.fr/home/",
    "evil.example",
    "/ent/",
]


@pytest.mark.parametrize("service", VECTORS)
def test_login_refuses_without_redirect_or_ticket(client, school, esidoc, service):
    client.force_login(school["pupil_6a"].user)
    before = state()

    response = client.get(LOGIN, {"service": service})

    assert response.status_code == 403
    assert "Location" not in response
    assert "Service non autorisé" in text(response)
    assert state() == before


@pytest.mark.parametrize("service", VECTORS[:8])
def test_login_refuses_them_with_gateway_and_without_session(client, school, esidoc, service):
    response = client.get(LOGIN, {"service": service, "gateway": "true"})

    assert response.status_code == 403
    assert "Location" not in response
    assert state() == {"service_tickets": 0, "consumed": 0, "validated": 0, "tgts": 0, "sessions": 0}


@pytest.mark.parametrize("service", VECTORS)
def test_logout_does_not_follow_them(client, school, esidoc, service):
    client.force_login(school["pupil_6a"].user)

    response = client.get("/ent/cas/logout", {"service": service})

    assert response.status_code == 200
    assert "Location" not in response
    assert "L'adresse de retour demandée n'est pas enregistrée" in text(response)


def test_logout_ignores_the_legacy_url_parameter(client, school, esidoc):
    response = client.get("/ent/cas/logout", {"url": ESIDOC_URL})

    assert response.status_code == 200
    assert "Location" not in response


def test_logout_follows_a_registered_service(client, school, esidoc):
    response = client.get("/ent/cas/logout", {"service": ESIDOC_URL})

    assert response.status_code == 302
    assert response["Location"] == ESIDOC_URL
