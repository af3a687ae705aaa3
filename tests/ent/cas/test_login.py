"""``/ent/cas/login``: the form, single sign-on, renew, gateway, the cookie (CAS 3.0 §2.1, §2.2, §3.6)."""

import pytest
from django.contrib.sessions.models import Session

from sesame.ent.cas.models import ServiceTicket, TicketGrantingTicket
from tests.ent.cas.conftest import ESIDOC_URL, LOGIN, state, text, ticket_from
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_form_is_french_and_names_the_service(client, school, esidoc):
    response = client.get(LOGIN, {"service": ESIDOC_URL})

    page = text(response)
    assert response.status_code == 200
    assert "Connexion à l'ENT" in page
    assert "Connectez-vous pour accéder à « E-SIDOC 9990001X »." in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert state() == {"service_tickets": 0, "consumed": 0, "validated": 0, "tgts": 0, "sessions": 0}


def test_credentials_open_the_ent_session_and_redirect_with_a_ticket(client, school, esidoc):
    response = client.post(f"{LOGIN}?service={ESIDOC_URL}", {"username": "eleve", "password": PASSWORD})

    ticket = ticket_from(response)
    assert response["Location"] == f"{ESIDOC_URL}?ticket={ticket}"
    assert ticket.startswith("ST-") and len(ticket) == 32
    st = ServiceTicket.objects.get()
    assert (st.value, st.service, st.from_new_login, st.consumed_at) == (ticket, ESIDOC_URL, True, None)
    assert st.tgt.user == school["pupil_6a"].user
    assert int(client.session["_auth_user_id"]) == school["pupil_6a"].user.pk  # one login for ENT and CAS


def test_the_ticket_granting_cookie_is_narrow_httponly_samesite_and_a_session_cookie(client, school, esidoc):
    response = client.post(f"{LOGIN}?service={ESIDOC_URL}", {"username": "eleve", "password": PASSWORD})

    cookie = response.cookies["CASTGC"]
    tgt = TicketGrantingTicket.objects.get()
    assert cookie.value == tgt.value
    assert cookie.value.startswith("TGT-") and len(cookie.value) == 47
    assert cookie["path"] == "/ent/cas/"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] == ""
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_the_cookie_is_secure_behind_https(client, school, esidoc, settings):
    settings.SESSION_COOKIE_SECURE = True

    response = client.post(f"{LOGIN}?service={ESIDOC_URL}", {"username": "eleve", "password": PASSWORD})

    assert response.cookies["CASTGC"]["secure"] is True


def test_the_cookie_rotates_at_each_login(client, school, esidoc):
    first = client.post(LOGIN, {"username": "eleve", "password": PASSWORD}).cookies["CASTGC"].value

    second = client.post(f"{LOGIN}?renew=true", {"username": "eleve", "password": PASSWORD})

    assert second.cookies["CASTGC"].value != first
    assert TicketGrantingTicket.objects.count() == 1


def test_an_ent_session_is_single_sign_on_without_a_form(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    ticket = ticket_from(response)
    assert ServiceTicket.objects.get(value=ticket).from_new_login is False
    assert response.cookies["CASTGC"]["path"] == "/ent/cas/"


def test_the_second_service_login_reuses_the_ticket_granting_ticket(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)
    first = client.get(LOGIN, {"service": ESIDOC_URL})

    second = client.get(LOGIN, {"service": ESIDOC_URL})

    assert ticket_from(first) != ticket_from(second)
    assert "CASTGC" not in second.cookies
    assert TicketGrantingTicket.objects.count() == 1
    assert ServiceTicket.objects.filter(tgt=TicketGrantingTicket.objects.get()).count() == 2


def test_without_a_service_a_signed_in_person_is_told_so(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)

    response = client.get(LOGIN)

    assert response.status_code == 200
    assert "Vous êtes connecté" in text(response)
    assert ServiceTicket.objects.count() == 0


def test_renew_shows_the_form_despite_the_session(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)
    before = state()

    response = client.get(LOGIN, {"service": ESIDOC_URL, "renew": "true"})

    assert response.status_code == 200
    assert 'name="password"' in text(response)
    assert state() == before


def test_renew_wins_over_gateway(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)

    response = client.get(LOGIN, {"service": ESIDOC_URL, "renew": "true", "gateway": "true"})

    assert response.status_code == 200
    assert 'name="password"' in text(response)
    assert ServiceTicket.objects.count() == 0


def test_gateway_without_session_goes_back_without_ticket(client, school, esidoc):
    response = client.get(LOGIN, {"service": ESIDOC_URL, "gateway": "true"})

    assert response.status_code == 302
    assert response["Location"] == ESIDOC_URL
    assert state() == {"service_tickets": 0, "consumed": 0, "validated": 0, "tgts": 0, "sessions": 0}


def test_gateway_with_a_session_gives_a_ticket(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)

    response = client.get(LOGIN, {"service": ESIDOC_URL, "gateway": "true"})

    assert response["Location"] == f"{ESIDOC_URL}?ticket={ServiceTicket.objects.get().value}"


def test_a_wrong_password_shows_a_french_message_and_creates_nothing(client, school, esidoc):
    response = client.post(f"{LOGIN}?service={ESIDOC_URL}", {"username": "eleve", "password": "faux"})

    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in text(response)
    assert state() == {"service_tickets": 0, "consumed": 0, "validated": 0, "tgts": 0, "sessions": 0}
    assert "CASTGC" not in response.cookies


def test_an_empty_form_asks_for_both_fields(client, school, esidoc):
    response = client.post(LOGIN, {"username": "", "password": ""})

    assert "Saisissez votre identifiant et votre mot de passe." in text(response)
    assert state()["tgts"] == 0


def test_a_service_of_another_establishment_is_refused_without_ticket(client, school, esidoc):
    from tests.factories import make_establishment, make_person

    other = make_person(make_establishment("9990002Y", "Autre collège"), "ELEVE", "AUTRE", "Élève")
    client.force_login(other.user)
    before = state()

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    assert response.status_code == 403
    assert "Ce service n'est pas ouvert aux personnes de votre établissement." in text(response)
    assert ServiceTicket.objects.count() == before["service_tickets"] == 0


def test_an_account_outside_the_directory_gets_no_ticket(client, school, esidoc, django_user_model):
    client.force_login(django_user_model.objects.create_user("technicien", password=PASSWORD))

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    assert response.status_code == 403
    assert "pas rattaché à l'annuaire" in text(response)
    assert ServiceTicket.objects.count() == 0


def test_a_missing_principal_attribute_gets_no_ticket(client, school):
    from tests.ent.cas.conftest import ESIDOC_PATTERN, register_service

    register_service("Par courriel", ESIDOC_PATTERN, principal="mail")
    client.force_login(school["pupil_6a"].user)  # no e-mail in the directory

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    assert response.status_code == 403
    assert "(mail)" in text(response)
    assert ServiceTicket.objects.count() == 0


def test_an_idle_ticket_granting_ticket_ends_the_sessions(client, school, esidoc, clock):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})
    clock.advance(2 * 3600 + 1)

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    assert response.status_code == 200
    assert 'name="password"' in text(response)
    assert "_auth_user_id" not in client.session
    assert (TicketGrantingTicket.objects.count(), ServiceTicket.objects.count()) == (0, 0)


def test_a_ticket_granting_ticket_ends_after_eight_hours_even_when_used(client, school, esidoc, clock):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})
    for _hour in range(7):
        clock.advance(3600)
        ticket_from(client.get(LOGIN, {"service": ESIDOC_URL}))
    clock.advance(3600)

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert TicketGrantingTicket.objects.count() == 0


def test_a_cookie_of_another_user_is_not_single_sign_on(client, school, esidoc):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})
    stolen = client.cookies["CASTGC"].value
    client.logout()
    client.force_login(school["teacher"].user)
    client.cookies["CASTGC"] = stolen

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    st = ServiceTicket.objects.get(value=ticket_from(response))
    assert st.tgt.user == school["teacher"].user
    assert response.cookies["CASTGC"].value != stolen


def test_a_forged_host_header_gets_400_and_no_ticket(client, school, esidoc):
    client.force_login(school["pupil_6a"].user)
    before = state()

    response = client.get(LOGIN, {"service": ESIDOC_URL}, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert state() == before


def test_neither_ticket_nor_password_reaches_the_logs(client, school, esidoc, caplog):
    caplog.set_level("DEBUG")
    response = client.post(f"{LOGIN}?service={ESIDOC_URL}", {"username": "eleve", "password": PASSWORD})
    ticket = ticket_from(response)
    client.post(LOGIN, {"username": PASSWORD, "password": PASSWORD})  # a password typed as identifier
    validation = client.get("/ent/cas/p3/serviceValidate", {"ticket": ticket, "service": ESIDOC_URL})
    client.get("/ent/cas/p3/serviceValidate", {"ticket": ticket, "service": ESIDOC_URL})

    assert b"authenticationSuccess" in validation.content
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "CAS service ticket validated" in logged
    assert ticket not in logged
    assert PASSWORD not in logged
    assert client.cookies["CASTGC"].value not in logged


def test_sessions_are_counted(client, school, esidoc):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})

    assert Session.objects.count() == 1


def test_another_persons_login_in_the_same_browser_ends_the_previous_single_sign_on(client, school, esidoc):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})

    client.post(f"{LOGIN}?renew=true", {"username": "enseignant", "password": PASSWORD})

    assert list(TicketGrantingTicket.objects.values_list("user", flat=True)) == [school["teacher"].user.pk]


def test_attributes_are_read_at_login(client, school, esidoc):
    from sesame.ent.services import school_class_ensure

    pupil = school["pupil_6a"]
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})
    pupil.school_class, _ = school_class_ensure(establishment=pupil.establishment, name="6eB")
    pupil.save()
    before = ServiceTicket.objects.get(value=ticket_from(client.get(LOGIN, {"service": ESIDOC_URL})))

    client.post(f"{LOGIN}?renew=true", {"username": "eleve", "password": PASSWORD})
    after = ServiceTicket.objects.get(value=ticket_from(client.get(LOGIN, {"service": ESIDOC_URL})))

    assert (before.attributes["ENTEleveClasses"], after.attributes["ENTEleveClasses"]) == (["6eA"], ["6eB"])
