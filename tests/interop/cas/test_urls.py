"""URL building: parameters encoded (CVE-2014-4172), service URLs kept byte for byte."""

import pytest

from sesame.interop.cas import login_url, logout_url, service_url_with_ticket, validate_url

SERVER = "https://ent.example/ent/cas/"


def test_login_url_encodes_the_service():
    assert login_url(SERVER, service="https://a.fr/home/?x=1&y=2") == (
        "https://ent.example/ent/cas/login?service=https%3A%2F%2Fa.fr%2Fhome%2F%3Fx%3D1%26y%3D2")


def test_renew_wins_over_gateway_in_login_urls():
    assert login_url("https://ent.example/ent/cas", service="https://a.fr/", renew=True, gateway=True) == (
        "https://ent.example/ent/cas/login?service=https%3A%2F%2Fa.fr%2F&renew=true")
    assert login_url(SERVER, service="https://a.fr/", gateway=True).endswith("&gateway=true")


def test_logout_url_uses_service_not_the_legacy_url():
    assert logout_url(SERVER) == "https://ent.example/ent/cas/logout"
    assert logout_url(SERVER, service="https://a.fr/") == (
        "https://ent.example/ent/cas/logout?service=https%3A%2F%2Fa.fr%2F")


@pytest.mark.parametrize("version, path", [
    (1, "validate"), (2, "serviceValidate"), (3, "p3/serviceValidate"),
])
def test_validate_urls(version, path):
    assert validate_url(SERVER, ticket="ST-1", service="https://a.fr/", version=version) == (
        f"https://ent.example/ent/cas/{path}?ticket=ST-1&service=https%3A%2F%2Fa.fr%2F")


def test_a_hostile_ticket_cannot_add_parameters():
    url = validate_url(SERVER, ticket="ST-1&renew=false#", service="https://a.fr/", renew=True)

    assert url == ("https://ent.example/ent/cas/p3/serviceValidate?ticket=ST-1%26renew%3Dfalse%23"
                   "&service=https%3A%2F%2Fa.fr%2F&renew=true")


def test_an_unknown_version_is_refused():
    with pytest.raises(ValueError):
        validate_url(SERVER, ticket="ST-1", service="https://a.fr/", version=4)


@pytest.mark.parametrize("service, expected", [
    ("https://a.fr/home/", "https://a.fr/home/?ticket=ST-1"),
    ("https://a.fr/home/?x=1", "https://a.fr/home/?x=1&ticket=ST-1"),
    ("https://a.fr/home/?", "https://a.fr/home/?ticket=ST-1"),
    ("https://a.fr/home/?x=1&", "https://a.fr/home/?x=1&ticket=ST-1"),
    ("https://a.fr/home/#top", "https://a.fr/home/?ticket=ST-1#top"),
    ("https://a.fr/home/?x=%2F#top?y", "https://a.fr/home/?x=%2F&ticket=ST-1#top?y"),
])
def test_the_ticket_is_added_to_the_query(service, expected):
    assert service_url_with_ticket(service, "ST-1") == expected
