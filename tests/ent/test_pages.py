"""ENT pages: login, header, the Services externes module and who may reach the administration."""

import pytest
from django.urls import reverse

from sesame.ent.models import EsidocExport
from tests.factories import PASSWORD

ADMIN_URLS = [
    reverse("ent:admin_external_services"),
    reverse("ent:esidoc_export"),
]


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)


@pytest.mark.django_db
def test_login_page_signs_in_and_header_shows_name_and_profile(client, school):
    response = client.post(reverse("ent:login"), {"username": "directeur", "password": PASSWORD}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Michel SUPPORT" in page
    assert "DIRECTEUR" in page
    assert "Administration" in page


@pytest.mark.django_db
def test_wrong_password_gives_a_french_message_and_no_session(client, school):
    response = client.post(reverse("ent:login"), {"username": "directeur", "password": "faux"})

    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_quitter_ends_the_ent_session_and_the_single_sign_on(client, school):
    login(client, school["director"])
    home = client.get(reverse("ent:home")).content.decode()
    assert f'action="{reverse("ent:cas:logout")}"' in home

    response = client.post(reverse("ent:cas:logout"))

    assert response.status_code == 200
    assert "Vous êtes déconnecté" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*ADMIN_URLS, reverse("ent:home"), reverse("ent:external_services")])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ent:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pupil_6a", "teacher", "parent", "cpe", "librarian"])
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_only_director_and_admin_reach_the_administration(client, school, who, url):
    login(client, school[who])

    response = client.get(url)

    assert response.status_code == 403
    assert "réservée au directeur et aux administrateurs" in response.content.decode()
    assert "Administration" not in response.content.decode().split("<main")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pupil_6a", "teacher", "parent"])
def test_refused_people_cannot_export_nor_download_nor_change_the_url(client, school, who, establishment):
    login(client, school["director"])
    client.post(reverse("ent:esidoc_export"), {"teachers": "on"})
    export = EsidocExport.objects.get()
    client.logout()
    login(client, school[who])

    export_response = client.post(reverse("ent:esidoc_export"), {"teachers": "on", "staff": "on"})
    download = client.get(reverse("ent:esidoc_export_download", args=[export.pk]))
    change = client.post(reverse("ent:admin_external_services"), {"esidoc_url": "https://evil.example/"})

    assert (export_response.status_code, download.status_code, change.status_code) == (403, 403, 403)
    assert EsidocExport.objects.count() == 1
    establishment.refresh_from_db()
    assert establishment.esidoc_url == ""


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "admin"])
def test_director_and_admin_see_the_export_tree(client, school, who):
    login(client, school[who])

    page = client.get(reverse("ent:esidoc_export")).content.decode()

    for text in ["6EME", "6eA", "6eB", "3EME", "3eA", "Exporter les enseignants",
                 "Exporter les CPE, DIRECTEUR, SECRETAIRE, ADMIN, CDI", "Exporter"]:
        assert text in page
    assert page.index("6EME") < page.index("3EME")


@pytest.mark.django_db
def test_esidoc_tile_appears_for_everyone_once_the_director_sets_the_url(client, school):
    login(client, school["pupil_6a"])
    assert 'data-testid="esidoc-tile"' not in client.get(reverse("ent:external_services")).content.decode()
    client.logout()
    login(client, school["director"])

    response = client.post(reverse("ent:admin_external_services"),
                           {"esidoc_url": "https://9990001x.esidoc.fr/home/", "esidoc_new_window": "on"})
    client.logout()
    login(client, school["parent"])
    page = client.get(reverse("ent:external_services")).content.decode()

    assert response.status_code == 302
    assert 'href="https://9990001x.esidoc.fr/home/"' in page
    assert 'target="_blank"' in page


@pytest.mark.django_db
def test_the_portal_address_is_saved_by_a_service_that_says_who_set_it(client, school, establishment, caplog):
    url = "https://9990001x.esidoc.fr/home/"
    login(client, school["director"])

    with caplog.at_level("INFO", logger="sesame.ent.services"):
        client.post(reverse("ent:admin_external_services"), {"esidoc_url": f" {url} "})

    establishment.refresh_from_db()
    assert (establishment.esidoc_url, establishment.esidoc_new_window) == (url, False)
    logged = [record.getMessage() for record in caplog.records if record.name == "sesame.ent.services"]
    assert logged == [f"E-SIDOC access of {establishment.uai} set to '{url}' (new window: False) "
                      f"by {school['director'].user.username}"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad_url", ["javascript:alert(1)", "pas une adresse", "ftp://0750001a.esidoc.fr/"])
def test_a_bad_portal_url_is_refused_in_french_and_changes_nothing(client, school, establishment, bad_url):
    establishment.esidoc_url = "https://9990001x.esidoc.fr/home/"
    establishment.save()
    login(client, school["director"])

    response = client.post(reverse("ent:admin_external_services"), {"esidoc_url": bad_url})

    assert response.status_code == 200
    assert "Saisissez une adresse web complète" in response.content.decode()
    establishment.refresh_from_db()
    assert establishment.esidoc_url == "https://9990001x.esidoc.fr/home/"


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_throttled_even_with_the_right_one(client, school):
    for _attempt in range(5):
        client.post(reverse("ent:login"), {"username": "directeur", "password": "faux"})

    response = client.post(reverse("ent:login"), {"username": "directeur", "password": PASSWORD})

    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session
