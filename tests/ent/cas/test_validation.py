"""Ticket validation endpoints (CAS 3.0 §2.4–§2.6, §2.8): answers, single use, expiry, binding."""

import pytest

from sesame.ent.cas.models import ServiceTicket
from sesame.interop.cas import ValidationFailure, ValidationSuccess, parse_service_response
from tests.ent.cas.conftest import (
    ESIDOC_PATTERN,
    ESIDOC_URL,
    LOGIN,
    register_service,
    sso_ticket,
    state,
    ticket_from,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

VALIDATE = "/ent/cas/validate"
SERVICE_VALIDATE = "/ent/cas/serviceValidate"
P3 = "/ent/cas/p3/serviceValidate"
PROXY_VALIDATE = "/ent/cas/proxyValidate"
XML_ENDPOINTS = [SERVICE_VALIDATE, P3, PROXY_VALIDATE, "/ent/cas/p3/proxyValidate"]


def answer(response) -> ValidationSuccess | ValidationFailure:
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return parse_service_response(response.content)


def failure(code: str, message: str) -> ValidationFailure:
    return ValidationFailure(code=code, message=message)


def pupil_attributes(pupil) -> dict:
    return {
        "uid": ("eleve",),
        "ENTPersonJointure": (pupil.ent_identity,),
        "ENTPersonProfils": ("National_ELV",),
        "ENTPersonStructRattachRNE": ("9990001X",),
        "ENTEleveClasses": ("6eA",),
        "sn": ("LEFÈVRE",),
        "givenName": ("Chloé",),
    }


@pytest.mark.parametrize("endpoint", XML_ENDPOINTS)
def test_success_gives_the_principal_and_the_attributes(client, school, esidoc, endpoint):
    pupil = school["pupil_6a"]
    ticket = sso_ticket(client, pupil)

    response = client.get(endpoint, {"ticket": ticket, "service": ESIDOC_URL})

    assert response.status_code == 200
    assert answer(response) == ValidationSuccess(user=pupil.ent_identity, attributes=pupil_attributes(pupil))
    st = ServiceTicket.objects.get()
    assert st.consumed_at is not None and st.validated is True


def test_cas1_answers_yes_and_the_principal(client, school, esidoc):
    pupil = school["pupil_6a"]
    ticket = sso_ticket(client, pupil)

    response = client.get(VALIDATE, {"ticket": ticket, "service": ESIDOC_URL})

    assert response.content == f"yes\n{pupil.ent_identity}\n".encode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_cas1_failure_is_no_and_an_empty_line(client, school, esidoc):
    response = client.get(VALIDATE, {"ticket": "ST-unknown", "service": ESIDOC_URL})

    assert response.status_code == 200
    assert response.content == b"no\n\n"


@pytest.mark.parametrize("endpoint", [VALIDATE, *XML_ENDPOINTS])
def test_a_ticket_is_valid_once(client, school, esidoc, endpoint):
    ticket = sso_ticket(client, school["pupil_6a"])
    first = client.get(endpoint, {"ticket": ticket, "service": ESIDOC_URL})
    before = state()

    replay = client.get(endpoint, {"ticket": ticket, "service": ESIDOC_URL})

    assert first.content.startswith(b"yes") or b"authenticationSuccess" in first.content
    if endpoint == VALIDATE:
        assert replay.content == b"no\n\n"
    else:
        assert answer(replay) == failure("INVALID_TICKET", "Ticket inconnu, déjà utilisé ou expiré.")
    assert state() == before


def test_a_failed_first_validation_burns_the_ticket(client, school, esidoc):
    ticket = sso_ticket(client, school["pupil_6a"])
    wrong = client.get(P3, {"ticket": ticket, "service": "https://9990001x.esidoc.fr/autre/"})

    retry = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert answer(wrong) == failure("INVALID_SERVICE", "Ce ticket a été délivré pour un autre service.")
    assert answer(retry) == failure("INVALID_TICKET", "Ticket inconnu, déjà utilisé ou expiré.")
    st = ServiceTicket.objects.get()
    assert st.consumed_at is not None and st.validated is False


def test_a_ticket_for_another_registered_service_is_invalid_service(client, school, esidoc):
    register_service("Autre", r"https://autre\.example/.*")
    ticket = sso_ticket(client, school["pupil_6a"])

    response = client.get(P3, {"ticket": ticket, "service": "https://autre.example/"})

    assert answer(response).code == "INVALID_SERVICE"
    assert ServiceTicket.objects.get().validated is False


def test_the_service_must_match_byte_for_byte(client, school, esidoc):
    ticket = sso_ticket(client, school["pupil_6a"])

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL.upper()})

    assert answer(response).code == "INVALID_SERVICE"


def test_a_ticket_is_valid_for_ten_seconds(client, school, esidoc, clock):
    ticket = sso_ticket(client, school["pupil_6a"])
    clock.advance(10)

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert isinstance(answer(response), ValidationSuccess)


def test_an_expired_ticket_is_refused_and_spent(client, school, esidoc, clock):
    ticket = sso_ticket(client, school["pupil_6a"])
    clock.advance(11)

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert answer(response) == failure("INVALID_TICKET", "Ticket expiré.")
    st = ServiceTicket.objects.get()
    assert st.consumed_at is not None and st.validated is False


def test_the_lifetime_is_a_setting(client, school, esidoc, clock, settings):
    settings.SESAME_CAS_SERVICE_TICKET_SECONDS = 60
    ticket = sso_ticket(client, school["pupil_6a"])
    clock.advance(59)

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert isinstance(answer(response), ValidationSuccess)


def test_renew_validation_refuses_a_single_sign_on_ticket(client, school, esidoc):
    ticket = sso_ticket(client, school["pupil_6a"])

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL, "renew": "true"})

    assert answer(response) == failure(
        "INVALID_TICKET", "Ce ticket ne vient pas d'une nouvelle authentification (renew).")
    assert ServiceTicket.objects.get().consumed_at is not None


def test_renew_validation_accepts_a_ticket_from_the_form(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)
    response = client.post(f"{LOGIN}?service={ESIDOC_URL}&renew=true",
                           {"username": "eleve", "password": PASSWORD})

    validation = client.get(P3, {"ticket": ticket_from(response), "service": ESIDOC_URL, "renew": "true"})

    assert isinstance(answer(validation), ValidationSuccess)


def test_a_proxy_ticket_is_refused_by_service_validate(client, school, esidoc):
    response = client.get(SERVICE_VALIDATE, {"ticket": "PT-1234567890abcdef", "service": ESIDOC_URL})

    assert answer(response) == failure(
        "INVALID_TICKET_SPEC", "Les tickets proxy (PT-) ne sont pas acceptés : ce serveur n'en délivre pas.")


@pytest.mark.parametrize("pgt_url, code", [
    ("https://9990001x.esidoc.fr/pgt", "UNAUTHORIZED_SERVICE_PROXY"),
    ("http://9990001x.esidoc.fr/pgt", "INVALID_PROXY_CALLBACK"),
])
@pytest.mark.parametrize("endpoint", [SERVICE_VALIDATE, PROXY_VALIDATE])
def test_proxying_is_refused_and_the_ticket_spent(client, school, esidoc, endpoint, pgt_url, code):
    ticket = sso_ticket(client, school["pupil_6a"])

    response = client.get(endpoint, {"ticket": ticket, "service": ESIDOC_URL, "pgtUrl": pgt_url})
    retry = client.get(endpoint, {"ticket": ticket, "service": ESIDOC_URL})

    assert answer(response).code == code
    assert answer(retry).code == "INVALID_TICKET"
    assert ServiceTicket.objects.get().validated is False


@pytest.mark.parametrize("params", [{}, {"ticket": ""}, {"service": ESIDOC_URL}])
def test_missing_parameters_are_an_invalid_request(client, school, esidoc, params):
    before = state()

    response = client.get(P3, params)

    assert answer(response) == failure(
        "INVALID_REQUEST", "Paramètres manquants : « ticket » et « service » sont obligatoires.")
    assert state() == before


def test_a_ticket_without_its_service_is_spent_anyway(client, school, esidoc):
    ticket = sso_ticket(client, school["pupil_6a"])

    response = client.get(P3, {"ticket": ticket})

    assert answer(response).code == "INVALID_REQUEST"
    assert ServiceTicket.objects.get().consumed_at is not None


@pytest.mark.parametrize("ticket", ["ST-", "TGT-abc", "ST-a&renew=true", "ST-" + "a" * 300, "garbage"])
def test_malformed_tickets_are_invalid(client, school, esidoc, ticket):
    before = state()

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert answer(response).code == "INVALID_TICKET"
    assert state() == before


def test_a_ticket_granting_ticket_is_not_a_service_ticket(client, school, esidoc):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})

    response = client.get(P3, {"ticket": client.cookies["CASTGC"].value, "service": ESIDOC_URL})

    assert answer(response).code == "INVALID_TICKET"


def test_the_principal_and_attributes_follow_the_registry(client, school):
    register_service("Éditeur", ESIDOC_PATTERN, principal="uid", attributes=["ENTPersonProfils", "mail"])
    teacher = school["teacher"]
    teacher.email = "jb.delafontaine@example.org"
    teacher.save()
    client.force_login(teacher.user)
    ticket = ticket_from(client.get(LOGIN, {"service": ESIDOC_URL}))

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert answer(response) == ValidationSuccess(
        user="enseignant",
        attributes={"ENTPersonProfils": ("National_ENS",), "mail": ("jb.delafontaine@example.org",)},
    )


def test_disabling_a_service_spends_its_outstanding_tickets(client, school, esidoc):
    from sesame.ent.cas.services import registered_service_save

    ticket = sso_ticket(client, school["pupil_6a"])
    esidoc.enabled = False
    registered_service_save(service=esidoc)

    response = client.get(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert answer(response).code == "INVALID_TICKET"


def test_validation_is_a_get(client, school, esidoc):
    ticket = sso_ticket(client, school["pupil_6a"])

    response = client.post(P3, {"ticket": ticket, "service": ESIDOC_URL})

    assert response.status_code == 405
    assert ServiceTicket.objects.get().consumed_at is None


def test_an_unexpected_failure_is_an_internal_error(client, school, esidoc, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr("sesame.ent.cas.validation_views.service_ticket_validate", broken)

    response = client.get(P3, {"ticket": "ST-abc", "service": ESIDOC_URL})
    cas1 = client.get(VALIDATE, {"ticket": "ST-abc", "service": ESIDOC_URL})

    assert response.status_code == 500
    assert answer(response) == failure("INTERNAL_ERROR", "Erreur interne du serveur CAS.")
    assert (cas1.status_code, cas1.content) == (500, b"no\n\n")
