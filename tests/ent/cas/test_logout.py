"""``/ent/cas/logout``: the end of single sign-on and the back-channel log-out (CAS 3.0 §2.3, §3.8.1)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from sesame.ent.cas.models import ServiceTicket, TicketGrantingTicket
from sesame.interop.cas import parse_logout_request
from tests.ent.cas.conftest import ESIDOC_URL, LOGIN, register_service, sso_ticket, text, ticket_from
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGOUT = "/ent/cas/logout"


class LogoutReceiver:
    """A tiny service on 127.0.0.1 that records the log-out requests it receives."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                receiver.requests.append((self.path, parse_qs(self.rfile.read(length).decode())))
                self.send_response(200)
                self.end_headers()
                receiver.arrived.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = LogoutReceiver()
    yield receiver
    receiver.close()


def test_logout_ends_the_ent_session_the_tgt_and_its_unvalidated_tickets(client, school, esidoc):
    ticket = sso_ticket(client, school["pupil_6a"])
    client.cookies["CASTGC"] = TicketGrantingTicket.objects.get().value

    response = client.get(LOGOUT)

    assert response.status_code == 200
    assert "Vous êtes déconnecté" in text(response)
    assert "_auth_user_id" not in client.session
    assert (TicketGrantingTicket.objects.count(), ServiceTicket.objects.count()) == (0, 0)
    assert response.cookies["CASTGC"].value == "" and response.cookies["CASTGC"]["path"] == "/ent/cas/"
    validation = client.get("/ent/cas/p3/serviceValidate", {"ticket": ticket, "service": ESIDOC_URL})
    assert b'code="INVALID_TICKET"' in validation.content


def test_after_logout_login_asks_for_the_password_again(client, school, esidoc):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})
    client.get(LOGOUT)

    response = client.get(LOGIN, {"service": ESIDOC_URL})

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert ServiceTicket.objects.count() == 0


def test_single_logout_reaches_the_services_that_validated_a_ticket(
    client, school, receiver, django_capture_on_commit_callbacks
):
    portal = f"{receiver.base}/portail/home/"
    register_service("Portail", rf"{receiver.base.replace('.', '[.]')}/portail/.*")
    register_service("Sans SLO", rf"{receiver.base.replace('.', '[.]')}/muet/.*", single_logout=False)
    client.post(f"{LOGIN}?service={portal}", {"username": "eleve", "password": PASSWORD})
    validated = ServiceTicket.objects.get().value
    client.get("/ent/cas/serviceValidate", {"ticket": validated, "service": portal})
    ticket_from(client.get(LOGIN, {"service": portal}))  # issued, never validated
    silent = ticket_from(client.get(LOGIN, {"service": f"{receiver.base}/muet/"}))
    client.get("/ent/cas/serviceValidate", {"ticket": silent, "service": f"{receiver.base}/muet/"})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.get(LOGOUT)

    assert len(callbacks) == 1
    assert receiver.arrived.wait(timeout=10)
    assert len(receiver.requests) == 1
    path, form = receiver.requests[0]
    assert path == "/portail/home/"
    assert parse_logout_request(form["logoutRequest"][0].encode()) == validated


def test_an_unreachable_service_does_not_stop_the_logout(client, school, django_capture_on_commit_callbacks):
    portal = "http://127.0.0.1:9/portail/"
    register_service("Éteint", r"http://127\.0\.0\.1:9/portail/.*")
    ticket = sso_ticket(client, school["pupil_6a"], service=portal)
    client.get("/ent/cas/serviceValidate", {"ticket": ticket, "service": portal})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(LOGOUT)

    assert response.status_code == 200
    assert TicketGrantingTicket.objects.count() == 0


def test_logout_without_session_is_harmless(client, school, esidoc):
    response = client.get(LOGOUT)

    assert response.status_code == 200
    assert "Vous êtes déconnecté" in text(response)


def test_logout_redirects_to_a_registered_service_after_ending_the_session(client, school, esidoc):
    client.post(LOGIN, {"username": "eleve", "password": PASSWORD})

    response = client.get(LOGOUT, {"service": ESIDOC_URL})

    assert response["Location"] == ESIDOC_URL
    assert "_auth_user_id" not in client.session
    assert TicketGrantingTicket.objects.count() == 0
