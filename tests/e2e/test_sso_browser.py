"""Seed E in a real Chromium: a pupil signed in to the ENT opens the e-sidoc tile and reaches the
portal with a service ticket, without a second login form (the CAS round trip is invisible)."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cas import CASClientV3

from sesame.ent.cas.models import RegisteredService
from sesame.ent.cas.services import registered_service_save
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_esidoc_tile_opens_the_portal_signed_in(live_server, page, school):
    pupil = school["pupil_6a"]
    establishment = pupil.establishment
    portal = f"{live_server.url}/portail/9990001X/home/"
    establishment.esidoc_url = portal
    establishment.esidoc_new_window = True
    establishment.save()
    registered_service_save(
        service=RegisteredService(name="E-SIDOC 9990001X",
                                  pattern=re.escape(f"{live_server.url}/portail/9990001X/") + ".*",
                                  released_attributes=["ENTPersonProfils", "ENTPersonStructRattachRNE"]),
        establishments=[establishment],
    )
    documents: list[tuple[str, int]] = []
    page.context.on("response", lambda response: documents.append((response.url, response.status))
                    if response.request.resource_type == "document" else None)

    page.goto(f"{live_server.url}/ent/connexion/")
    page.get_by_label("Identifiant").fill("eleve")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_test_id("person-profile").inner_text() == "Élève"
    page.get_by_role("navigation").get_by_role("link", name="Services externes").first.click()
    with page.context.expect_page() as new_window:
        page.get_by_test_id("esidoc-tile").click()
    portal_page = new_window.value
    portal_page.wait_for_load_state()

    assert re.fullmatch(re.escape(portal) + r"\?ticket=ST-[A-Za-z0-9]{29}", portal_page.url)
    assert portal_page.locator("input[type=password]").count() == 0
    cas_pages = [(url, status) for url, status in documents if "/ent/cas/" in url]
    assert cas_pages == [(f"{live_server.url}/ent/cas/login?{urlencode({'service': portal})}", 302)]
    ticket = parse_qs(urlsplit(portal_page.url).query)["ticket"][0]
    client = CASClientV3(service_url=portal, server_url=f"{live_server.url}/ent/cas/")
    assert client.verify_ticket(ticket) == (
        pupil.ent_identity,
        {"ENTPersonProfils": "National_ELV", "ENTPersonStructRattachRNE": "9990001X"},
        None,
    )
