"""Two server processes on one database: what one of them knows, the other knows.

``make demo`` serves with two gunicorn workers, and a deployment with more; a browser's requests
land on any of them. Two real gunicorn servers (one sync worker each) run here with the project's
settings on one database — a temporary SQLite file, or a temporary PostgreSQL database when
``DATABASE_URL`` names a PostgreSQL server (created and dropped here) — and every step alternates
between them: the borrower update's steps, the log-out, the login throttling.

Each server listens on a socket this test opens and hands over (``--bind fd://``), so no port can
be taken by someone else in between, and a request sent before gunicorn is ready waits in the
socket's queue instead of failing: nothing here waits for a fixed time.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.library.factories import person, users_file

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
UAI = "0693456G"
LIBRARIAN, PASSWORD = "documentaliste", "motdepasse-test"
TEACHER = "enseignant"
THROTTLED = "Trop de tentatives de connexion. Réessayez dans quelques minutes."
REQUEST_TIMEOUT = 120  # seconds; a busy machine is slow, never this slow
START_TIMEOUT = 120

SEED = f"""
import django
django.setup()
from datetime import date
from django.contrib.auth import get_user_model
from sesame.library.models import Borrower, Librarian, Library

library = Library.objects.create(uai={UAI!r}, name="Collège Jean Moulin")
librarian = get_user_model().objects.create_user({LIBRARIAN!r}, password={PASSWORD!r})
Librarian.objects.create(library=library, user=librarian)
get_user_model().objects.create_user({TEACHER!r}, password={PASSWORD!r})
for number, (name, school_class) in enumerate([("MARTIN Lucas", "5eA"), ("BERNARD Emma", "6eA"),
                                               ("PETIT Hugo", "3eA")], start=1):
    Borrower.objects.create(library=library, number=number, name=name, status="Elève",
                            school_class=school_class)
"""


# --- The database: a SQLite file, or a PostgreSQL database of its own ---------------------------


def _postgres_url(base: str, name: str) -> str:
    return urlsplit(base)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path_factory.mktemp('processes') / 'sesame.sqlite3'}"
        return
    import psycopg

    name = f"sesame_processes_{uuid.uuid4().hex[:12]}"
    maintenance = _postgres_url(configured, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_url(configured, name)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    listener: socket.socket
    process: subprocess.Popen
    log: Path

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]


def _environment(database_url: str) -> dict[str, str]:
    """The project's settings (those of the test suite: a fast password hasher), this database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "sesame.config.settings_test",
            "DATABASE_URL": database_url, "SESAME_DEBUG": "false",
            "SESAME_ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"}


def _start(name: str, env: dict[str, str], workdir: Path) -> Server:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    log = workdir / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "sesame.config.wsgi:application",
             "--bind", f"fd://{listener.fileno()}", "--workers", "1", "--timeout", str(REQUEST_TIMEOUT),
             # One control socket per user by default: it would be shared with every other gunicorn.
             "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, pass_fds=[listener.fileno()],
        )
    return Server(name=name, listener=listener, process=process, log=log)


def _wait_until_answering(server: Server) -> None:
    """Poll the server's port until it answers, for a bounded time; fail with its log otherwise."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} stopped ({server.process.returncode}):\n{server.log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        try:
            connection.request("GET", "/bibliotheque/connexion/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):  # not listening yet, or still starting
            pass
        finally:
            connection.close()
        if time.monotonic() > deadline:
            pytest.fail(f"{server.name} did not answer within {START_TIMEOUT} s:\n{server.log.read_text()}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=30)
    server.listener.close()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def servers(database_url, tmp_path_factory):
    """Two gunicorn servers on one migrated, seeded database; stopped even when a test fails."""
    env = _environment(database_url)
    _run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    _run([sys.executable, "-c", SEED], env)
    workdir = tmp_path_factory.mktemp("servers")
    started: list[Server] = []
    try:
        for name in ("server 1", "server 2"):
            started.append(_start(name, env, workdir))
        for server in started:
            _wait_until_answering(server)
        yield started
    finally:
        for server in started:
            _stop(server)


# --- A browser: one cookie jar for both servers (cookies do not depend on the port) -----------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return html.unescape(self.body.decode("utf-8", errors="replace"))

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path

    def csrf_token(self) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert match, f"no form in this page ({self.status})"
        return match.group(1)


@dataclass
class Browser:
    cookies: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (value, path)

    def request(self, server: Server, method: str, path: str, *, fields: dict | None = None,
                files: dict[str, tuple[str, bytes]] | None = None,
                cookies: dict[str, str] | None = None) -> Response:
        if cookies is None:
            cookies = {name: value for name, (value, cookie_path) in self.cookies.items()
                       if path.startswith(cookie_path)}
        headers = {"Host": f"127.0.0.1:{server.port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        body = None
        if files:
            boundary = uuid.uuid4().hex
            body = _multipart(boundary, fields or {}, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
            for header, value in answer.getheaders():
                if header.lower() == "set-cookie":
                    self._keep(value)
        finally:
            connection.close()
        return response

    def _keep(self, header: str) -> None:
        pair, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        options = {key.lower(): val for key, _, val in (a.partition("=") for a in attributes)}
        if options.get("max-age") == "0" or value in ("", '""'):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = (value, options.get("path", "/"))

    def get(self, server: Server, path: str, **kwargs) -> Response:
        return self.request(server, "GET", path, **kwargs)

    def post(self, server: Server, path: str, fields: dict, **kwargs) -> Response:
        return self.request(server, "POST", path, fields=fields, **kwargs)

    def session(self) -> str:
        return self.cookies["sessionid"][0]


def _multipart(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: text/xml\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


LOGIN = "/bibliotheque/connexion/"
DASHBOARD = f"/bibliotheque/{UAI}/"
UPDATE = f"/bibliotheque/{UAI}/emprunteurs/mettre-a-jour/"


def sign_in(browser: Browser, server: Server) -> None:
    form = browser.get(server, LOGIN)
    response = browser.post(server, LOGIN, {"username": LIBRARIAN, "password": PASSWORD,
                                            "csrfmiddlewaretoken": form.csrf_token()})
    assert response.status == 302, response.text


def ent_users_file() -> bytes:
    return users_file([
        person("MARTIN Lucas", school_class="4eA", birth_date=date(2012, 1, 10)),
        person("BERNARD Emma", school_class="5eA", birth_date=date(2013, 6, 1)),
        person("NGUYEN Léa", school_class="6eA", birth_date=date(2014, 2, 2)),
    ])


# --- The tests ---------------------------------------------------------------------------------------


def test_the_borrower_update_steps_go_on_whichever_server_answers(servers):
    one, two = servers
    browser = Browser()
    sign_in(browser, one)
    # Both servers have read the fresh session before the first step changes it.
    assert browser.get(two, DASHBOARD).status == 200
    start = browser.get(one, UPDATE)
    assert start.status == 200 and "Avertissements préalables" in start.text

    launched = browser.post(two, UPDATE, {"backup": "on", "anonymize": "on",
                                          "csrfmiddlewaretoken": start.csrf_token()})
    assert (launched.status, launched.location) == (302, f"{UPDATE}fichier/")

    file_page = browser.get(one, f"{UPDATE}fichier/")
    assert (file_page.status, file_page.location) == (200, ""), "sent back to the first step"
    assert "Télécharger la sauvegarde" in file_page.text and 'name="users_file"' in file_page.text
    backup = browser.get(two, f"{UPDATE}sauvegarde/")
    assert backup.status == 200 and backup.headers["content-type"].startswith("application/json")

    analysed = browser.request(one, "POST", f"{UPDATE}fichier/", fields={
        "lot_expression": "Statut=Elève", "action": "analyse", "csrfmiddlewaretoken": file_page.csrf_token(),
    }, files={"users_file": ("export_ent.xml", ent_users_file())})
    assert analysed.status == 302, analysed.text
    assert re.fullmatch(rf"{UPDATE}\d+/", analysed.location), analysed.location

    analysis = browser.get(two, analysed.location)
    assert analysis.status == 200
    assert "Après l'importation, il y aura :" in analysis.text
    assert "« Statut=Elève » : 3 emprunteurs sélectionnés." in analysis.text


def test_a_session_ended_on_one_server_is_refused_by_the_other(servers):
    one, two = servers
    browser = Browser()
    sign_in(browser, two)
    assert browser.get(one, DASHBOARD).status == 200
    dashboard = browser.get(two, DASHBOARD)
    assert dashboard.status == 200
    old_session = browser.session()

    signed_out = browser.post(one, "/bibliotheque/deconnexion/",
                              {"csrfmiddlewaretoken": dashboard.csrf_token()})
    assert signed_out.status == 302
    assert "sessionid" not in browser.cookies

    for server in (two, one):
        replayed = browser.get(server, DASHBOARD, cookies={"sessionid": old_session})
        assert (replayed.status, replayed.location) == (302, LOGIN), server.name


def test_failed_logins_on_one_server_count_on_the_other(servers):
    one, two = servers
    browser = Browser()
    form = browser.get(one, "/ent/connexion/")
    for server in (one, two, one, two, one):  # five failures: the account's limit, three here, two there
        failed = browser.post(server, "/ent/connexion/", {
            "username": TEACHER, "password": "faux", "csrfmiddlewaretoken": form.csrf_token()})
        assert failed.status == 200 and THROTTLED not in failed.text, server.name

    for server in (two, one):
        refused = browser.post(server, "/ent/connexion/", {
            "username": TEACHER, "password": PASSWORD, "csrfmiddlewaretoken": form.csrf_token()})
        assert refused.status == 200, (server.name, refused.status, refused.location)
        assert THROTTLED in refused.text
    assert "sessionid" not in browser.cookies
