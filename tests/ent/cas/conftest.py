"""Fixtures of the CAS server tests: a registered e-sidoc service, a movable clock, ticket helpers."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session

from sesame.ent.cas.attributes import ATTRIBUTE_NAMES
from sesame.ent.cas.models import RegisteredService, ServiceTicket, TicketGrantingTicket
from sesame.ent.cas.services import registered_service_save

ESIDOC_URL = "https://9990001x.esidoc.fr/home/"
ESIDOC_PATTERN = r"https://9990001x\.esidoc\.fr/.*"
LOGIN = "/ent/cas/login"


class Clock:
    """The CAS clock, moved by hand."""

    def __init__(self) -> None:
        self.current = datetime(2025, 9, 2, 8, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fixed = Clock()
    monkeypatch.setattr("sesame.core.cas_server.clock.now", fixed)
    return fixed


def register_service(name: str, pattern: str, *, attributes=ATTRIBUTE_NAMES, principal="ENTPersonJointure",
                     establishments=(), single_logout=True, enabled=True, order=100) -> RegisteredService:
    return registered_service_save(
        service=RegisteredService(
            name=name, pattern=pattern, released_attributes=list(attributes),
            principal_attribute=principal, single_logout=single_logout, enabled=enabled,
            evaluation_order=order,
        ),
        establishments=list(establishments),
    )


@pytest.fixture
def esidoc(establishment) -> RegisteredService:
    """The school's portal, registered for its establishment, releasing every attribute."""
    return register_service("E-SIDOC 9990001X", ESIDOC_PATTERN, establishments=[establishment])


def ticket_from(response) -> str:
    assert response.status_code == 302, response.status_code
    return parse_qs(urlsplit(response["Location"]).query)["ticket"][0]


def sso_ticket(client, person, service: str = ESIDOC_URL, **params) -> str:
    """A ticket issued through single sign-on: ENT session first, then /login?service=…"""
    client.force_login(person.user)
    return ticket_from(client.get(LOGIN, {"service": service, **params}))


def state() -> dict:
    """What a refusal must leave untouched."""
    return {
        "service_tickets": ServiceTicket.objects.count(),
        "consumed": ServiceTicket.objects.filter(consumed_at__isnull=False).count(),
        "validated": ServiceTicket.objects.filter(validated=True).count(),
        "tgts": TicketGrantingTicket.objects.count(),
        "sessions": Session.objects.count(),
    }


def text(response) -> str:
    """The page as a person reads it (HTML entities decoded)."""
    import html

    return html.unescape(response.content.decode())
