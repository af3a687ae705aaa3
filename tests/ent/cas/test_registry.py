"""The service registry: the administration page, ``ent_add_service``, ``cas_purge_tickets``, the tile."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sesame.ent.cas.models import RegisteredService, ServiceTicket, TicketGrantingTicket
from tests.ent.cas.conftest import ESIDOC_PATTERN, ESIDOC_URL, register_service, sso_ticket, text
from tests.factories import make_establishment

pytestmark = pytest.mark.django_db
REGISTRY = "/ent/cas/services/"
CREATE = "/ent/cas/services/nouveau/"


def form_data(**overrides) -> dict:
    data = {
        "name": "E-SIDOC", "pattern": ESIDOC_PATTERN, "principal_attribute": "ENTPersonJointure",
        "released_attributes": ["ENTPersonJointure", "ENTPersonProfils"], "single_logout": "on",
        "enabled": "on", "evaluation_order": "100",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["director", "admin"])
def test_the_registry_is_in_the_administration_menu(client, school, esidoc, who):
    client.force_login(school[who].user)

    response = client.get(REGISTRY)

    page = text(response)
    assert response.status_code == 200
    assert "Administration › Paramètres › Services CAS" in page
    assert 'href="/ent/cas/services/" aria-current="page"' in response.content.decode()
    assert "E-SIDOC 9990001X" in page and ESIDOC_PATTERN in page


@pytest.mark.parametrize("who", ["pupil_6a", "teacher", "parent", "cpe", "librarian"])
def test_others_are_refused(client, school, who):
    client.force_login(school[who].user)

    response = client.post(CREATE, form_data())

    assert response.status_code == 403
    assert RegisteredService.objects.count() == 0


def test_the_director_registers_a_service_for_the_school(client, school):
    client.force_login(school["director"].user)

    response = client.post(CREATE, form_data(establishments=[school["director"].establishment_id]))

    assert response.status_code == 302
    service = RegisteredService.objects.get()
    assert (service.name, service.pattern, service.released_attributes, service.single_logout) == (
        "E-SIDOC", ESIDOC_PATTERN, ["ENTPersonJointure", "ENTPersonProfils"], True)
    assert [e.uai for e in service.establishments.all()] == ["9990001X"]


def test_a_pattern_for_any_site_is_refused(client, school):
    client.force_login(school["director"].user)

    response = client.post(CREATE, form_data(pattern="https?://.*",
                                             establishments=[school["director"].establishment_id]))

    assert response.status_code == 200
    assert "Ce motif accepte n'importe quel site" in text(response)
    assert RegisteredService.objects.count() == 0


def test_another_establishment_cannot_be_chosen(client, school):
    other = make_establishment("9990002Y", "Autre")
    client.force_login(school["director"].user)

    response = client.post(CREATE, form_data(establishments=[other.pk]))

    assert response.status_code == 200
    assert RegisteredService.objects.count() == 0


def test_a_service_for_every_establishment_is_read_only_here(client, school):
    shared = register_service("Éditeur régional", r"https://editeur\.example/.*")
    client.force_login(school["director"].user)

    listing = client.get(REGISTRY)
    response = client.post(f"/ent/cas/services/{shared.pk}/", form_data(
        establishments=[school["director"].establishment_id]))

    assert "Tous (géré par l'exploitant)" in text(listing)
    assert response.status_code == 403
    assert RegisteredService.objects.get().establishments.count() == 0


def test_editing_spends_outstanding_tickets(client, school, esidoc):
    sso_ticket(client, school["pupil_6a"])
    client.force_login(school["director"].user)

    client.post(f"/ent/cas/services/{esidoc.pk}/", form_data(
        name=esidoc.name, enabled="", establishments=[school["director"].establishment_id]))

    esidoc.refresh_from_db()
    assert esidoc.enabled is False
    assert ServiceTicket.objects.get().consumed_at is not None


def test_the_command_registers_then_updates_a_service(establishment):
    out = StringIO()
    call_command("ent_add_service", "Portail", r"https://portail\.example/.*",
                 "--attributes", "uid,ENTPersonProfils", stdout=out)
    call_command("ent_add_service", "Portail", r"https://portail\.example/cdi/.*",
                 "--uai", "9990001x", "--principal", "uid", "--no-single-logout", stdout=out)

    service = RegisteredService.objects.get()
    assert (service.pattern, service.principal_attribute, service.single_logout) == (
        r"https://portail\.example/cdi/.*", "uid", False)
    assert service.released_attributes == ["ENTPersonJointure", "ENTPersonProfils",
                                           "ENTPersonStructRattachRNE", "ENTEleveClasses", "sn", "givenName"]
    assert out.getvalue().splitlines() == [
        r"Service « Portail » enregistré : motif https://portail\.example/.* ; tous les établissements ; "
        "identifiant ENTPersonJointure ; attributs uid, ENTPersonProfils.",
        r"Service « Portail » mis à jour : motif https://portail\.example/cdi/.* ; 9990001X ; "
        "identifiant uid ; attributs ENTPersonJointure, ENTPersonProfils, ENTPersonStructRattachRNE, "
        "ENTEleveClasses, sn, givenName.",
    ]


@pytest.mark.parametrize("args, message", [
    (["X", "https://.*"], "Ce motif accepte n'importe quel site"),
    (["X", "https://(a"], "Motif invalide"),
    (["X", r"https://a\.fr/.*", "--attributes", "uid,password"], "Attribut inconnu : password."),
    (["X", r"https://a\.fr/.*", "--uai", "0000000A"], "Aucun établissement n'a l'UAI 0000000A."),
])
def test_the_command_refuses_bad_input(establishment, args, message):
    with pytest.raises(CommandError) as error:
        call_command("ent_add_service", *args, stdout=StringIO())

    assert message in str(error.value)
    assert RegisteredService.objects.count() == 0


def test_purge_deletes_only_what_can_no_longer_be_used(client, school, esidoc, clock):
    from sesame.ent.cas.services import service_ticket_validate

    validated = sso_ticket(client, school["pupil_6a"])
    service_ticket_validate(ticket=validated, service=ESIDOC_URL)
    sso_ticket(client, school["pupil_6a"])  # never validated
    clock.advance(11)
    fresh = sso_ticket(client, school["teacher"])
    out = StringIO()

    call_command("cas_purge_tickets", stdout=out)

    assert out.getvalue() == "Tickets CAS supprimés : 1 ticket(s) de service, 0 ticket(s) de session.\n"
    assert sorted(ServiceTicket.objects.values_list("value", flat=True)) == sorted([validated, fresh])
    clock.advance(3 * 3600)
    call_command("cas_purge_tickets", stdout=out)
    assert (TicketGrantingTicket.objects.count(), ServiceTicket.objects.count()) == (0, 0)


def test_the_esidoc_tile_goes_through_cas_when_the_portal_is_registered(client, school, esidoc):
    establishment = school["pupil_6a"].establishment
    establishment.esidoc_url = ESIDOC_URL
    establishment.save()
    client.force_login(school["pupil_6a"].user)

    response = client.get("/ent/services-externes/")

    assert ('href="/ent/cas/login?service=https%3A%2F%2F9990001x.esidoc.fr%2Fhome%2F"'
            in response.content.decode())


def test_the_tile_keeps_the_plain_link_without_a_registered_service(client, school):
    establishment = school["pupil_6a"].establishment
    establishment.esidoc_url = ESIDOC_URL
    establishment.save()
    register_service("Désactivé", ESIDOC_PATTERN, enabled=False)
    client.force_login(school["pupil_6a"].user)

    response = client.get("/ent/services-externes/")

    assert f'href="{ESIDOC_URL}"' in response.content.decode()


def test_the_form_offers_every_attribute_and_the_school_only(client, school, esidoc):
    client.force_login(school["director"].user)

    create = client.get(CREATE)
    edit = client.get(f"/ent/cas/services/{esidoc.pk}/")

    page = text(create)
    assert create.status_code == edit.status_code == 200
    assert "Ajouter un service" in page and "Modifier le service « E-SIDOC 9990001X »" in text(edit)
    for label in ["uid — identifiant de connexion", "ENTPersonJointure — identité ENT",
                  "ENTPersonProfils — profil national", "ENTPersonStructRattachRNE — UAI de l'établissement",
                  "ENTEleveClasses — classe de l'élève", "sn — nom", "givenName — prénom", "mail — courriel"]:
        assert label in page
    assert "Collège d'essai (9990001X)" in page
