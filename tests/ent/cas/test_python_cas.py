"""Interoperability: python-cas, a client nobody here wrote, against the running server.

Tickets are issued over real HTTP (form, CSRF cookie, redirect) by the live server, then
validated by python-cas's ``CASClientV1``/``V2``/``V3`` as a service would.
"""

import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cas import CASClientV1, CASClientV2, CASClientV3

from sesame.ent.cas.models import ServiceTicket
from tests.ent.cas.conftest import ESIDOC_URL
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def issue_over_http(live_server, username: str, service: str = ESIDOC_URL) -> str:
    browser = requests.Session()
    form = browser.get(f"{live_server.url}/ent/cas/login", params={"service": service}, timeout=10)
    assert form.status_code == 200
    response = browser.post(
        form.url,
        data={"username": username, "password": PASSWORD,
              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False, timeout=10,
    )
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)["ticket"][0]


def server(live_server) -> str:
    return f"{live_server.url}/ent/cas/"


def expected_attributes(pupil) -> dict:
    return {
        "uid": "eleve",
        "ENTPersonJointure": pupil.ent_identity,
        "ENTPersonProfils": "National_ELV",
        "ENTPersonStructRattachRNE": "9990001X",
        "ENTEleveClasses": "6eA",
        "sn": "LEFÈVRE",
        "givenName": "Chloé",
    }


def test_cas_client_v3_reads_user_and_attributes(live_server, school, esidoc):
    pupil = school["pupil_6a"]
    ticket = issue_over_http(live_server, "eleve")
    client = CASClientV3(service_url=ESIDOC_URL, server_url=server(live_server))

    user, attributes, pgtiou = client.verify_ticket(ticket)

    assert (user, attributes, pgtiou) == (pupil.ent_identity, expected_attributes(pupil), None)


def test_cas_client_v2_reads_user_and_attributes(live_server, school, esidoc):
    pupil = school["pupil_6a"]
    ticket = issue_over_http(live_server, "eleve")
    client = CASClientV2(service_url=ESIDOC_URL, server_url=server(live_server))

    user, attributes, pgtiou = client.verify_ticket(ticket)

    assert (user, attributes, pgtiou) == (pupil.ent_identity, expected_attributes(pupil), None)


def test_cas_client_v1_reads_the_user(live_server, school, esidoc):
    ticket = issue_over_http(live_server, "enseignant")
    client = CASClientV1(service_url=ESIDOC_URL, server_url=server(live_server))

    assert client.verify_ticket(ticket) == (school["teacher"].ent_identity, None, None)


@pytest.mark.parametrize("client_class", [CASClientV1, CASClientV2, CASClientV3])
def test_a_replayed_ticket_fails_for_every_client(live_server, school, esidoc, client_class):
    ticket = issue_over_http(live_server, "eleve")
    client = client_class(service_url=ESIDOC_URL, server_url=server(live_server))
    client.verify_ticket(ticket)

    user, _attributes, _pgtiou = client.verify_ticket(ticket)

    assert user is None
    assert ServiceTicket.objects.get().validated is True


def test_a_client_of_another_service_gets_nothing(live_server, school, esidoc):
    ticket = issue_over_http(live_server, "eleve")
    thief = CASClientV3(service_url="https://9990001x.esidoc.fr/ailleurs/", server_url=server(live_server))

    user, attributes, _pgtiou = thief.verify_ticket(ticket)

    assert (user, attributes) == (None, {})
    assert ServiceTicket.objects.get().validated is False


def test_two_concurrent_validations_give_exactly_one_success(live_server, school, esidoc):
    ticket = issue_over_http(live_server, "eleve")
    url = f"{live_server.url}/ent/cas/p3/serviceValidate"
    start = threading.Barrier(4)
    answers: list[bytes] = []

    def validate() -> None:
        start.wait(timeout=10)
        params = {"ticket": ticket, "service": ESIDOC_URL}
        answers.append(requests.get(url, params=params, timeout=10).content)

    threads = [threading.Thread(target=validate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert len(answers) == 4
    assert sum(b"authenticationSuccess" in answer for answer in answers) == 1
    assert sum(b'code="INVALID_TICKET"' in answer for answer in answers) == 3
