"""Benchmark of the ENT's CAS server against django-cas-server, both under gunicorn on loopback.

    .venv/bin/python benchmarks/bench_cas.py [--clients 4] [--round-trips 600] [--validations 600]
                                             [--workers 2] [--repeat 3] [--database sqlite|postgres]

For each server, in a fresh temporary directory with its own SQLite database (WAL, immediate
transactions, the same for both) — or, with ``--database postgres``, its own temporary
PostgreSQL database with persistent connections, dropped at the end: migrate, seed one person
and one registered service, start gunicorn (sync workers) on 127.0.0.1, sign each client in once
through the login form, then measure, with a small bounded pool of client threads:

- single sign-on round trips per second: ``GET /login?service=…`` with the session and
  ticket-granting cookies (a 302 carrying a fresh ticket), then ``GET /p3/serviceValidate``
  (an ``authenticationSuccess`` with attributes). Every answer is checked;
- validations per second: tickets issued beforehand, then only ``/p3/serviceValidate`` (both
  servers keep tickets 60 seconds here, so that none expires while the others are issued).

Both servers run side by side and the runs alternate between them (best of ``--repeat``), so a
busy moment of the machine does not favour one. django-cas-server is the PyPI package, configured
in ``benchmarks/cas_compare/``. The goal for
Sésame is at least three times its round trips per second. Figures depend on the machine: compare
the ratio, not the absolute numbers, and run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVICE = "http://127.0.0.1:9/bench/home/"
USERNAME = "bench"
PASSWORD = "bench-password-1234"  # noqa: S105 — a throwaway account in a temporary database


@dataclass
class Server:
    name: str
    cas_base: str  # path of the CAS base, ending with "/"
    wsgi: str
    env: dict[str, str]
    manage: list[str]
    seed: str  # Python run with Django set up
    port: int = 0
    process: subprocess.Popen | None = None
    figures: dict[str, float] = field(default_factory=dict)


SEED_SESAME = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
from sesame.ent.models import Establishment, Person
e = Establishment.objects.create(uai="9990001X", name="Collège de mesure")
u = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})
Person.objects.create(establishment=e, user=u, ent_identity="BENCH0001", last_name="MESURE",
                      first_name="Zoé", profile="ELEVE")
call_command("ent_add_service", "Banc", r"http://127\\.0\\.0\\.1:9/bench/.*",
             "--attributes", "uid,ENTPersonJointure,ENTPersonProfils,ENTPersonStructRattachRNE,sn,givenName")
"""

SEED_DJANGO_CAS_SERVER = f"""
from django.contrib.auth import get_user_model
from cas_server.models import ReplaceAttributName, ServicePattern
get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r}, first_name="Zoé",
                                     last_name="MESURE", email="zoe@example.org")
pattern = ServicePattern.objects.create(name="Banc", pattern=r"^http://127\\.0\\.0\\.1:9/bench/.*$")
for name in ("username", "first_name", "last_name", "email", "is_staff", "date_joined"):
    ReplaceAttributName.objects.create(name=name, service_pattern=pattern)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A browser-like HTTP client: one connection per request (gunicorn's sync workers close
    them), cookies kept by name, no redirect followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def postgres_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return parts._replace(path=f"/{name}").geturl()


def create_databases(base: str, stem: str) -> list[str]:
    import psycopg

    names = [f"{stem}_sesame", f"{stem}_reference"]
    with psycopg.connect(base, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    return names


def drop_databases(base: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def login(server: Server) -> Client:
    """Sign in once through the form, as a person would (CSRF cookie and hidden fields)."""
    client = Client(server.port)
    path = f"{server.cas_base}login?{urlencode({'service': SERVICE})}"
    status, _headers, page = client.request("GET", path)
    assert status == 200, status
    form = {name: value for name, value in re.findall(rb'name="(\w+)" value="([^"]*)"', page)}
    fields = {key.decode(): value.decode() for key, value in form.items()}
    fields.update({"username": USERNAME, "password": PASSWORD, "service": SERVICE})
    fields.setdefault("csrfmiddlewaretoken", client.cookies["csrftoken"])
    status, headers, _ = client.request("POST", path, fields)
    assert status == 302 and "ticket=" in headers["location"], (status, headers)
    return client


def issue(server: Server, client: Client) -> str:
    status, headers, _ = client.request("GET", f"{server.cas_base}login?{urlencode({'service': SERVICE})}")
    assert status == 302, status
    return parse_qs(urlsplit(headers["location"]).query)["ticket"][0]


def validate(server: Server, client: Client, ticket: str) -> None:
    query = urlencode({"ticket": ticket, "service": SERVICE})
    status, _headers, body = client.request("GET", f"{server.cas_base}p3/serviceValidate?{query}")
    assert status == 200 and b"authenticationSuccess" in body and b"attributes" in body, body[:300]


def run_parallel(clients: list[Client], count: int, work: Callable[[int, Client], None]) -> float:
    """Run ``count`` units of work over the clients (one thread each); return units per second."""
    per_client = [count // len(clients) + (1 if i < count % len(clients) else 0) for i in range(len(clients))]
    errors: list[BaseException] = []

    def loop(index: int, client: Client) -> None:
        try:
            for unit in range(per_client[index]):
                work(index * count + unit, client)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(i, c)) for i, c in enumerate(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return count / elapsed


def prepare(server: Server, workdir: Path, workers: int) -> None:
    env = {**os.environ, **server.env}
    log = (workdir / f"{server.name}.log").open("wb")
    subprocess.run([*server.manage, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True,
                   stdout=log, stderr=log)
    subprocess.run([*server.manage, "shell", "-c", server.seed], env=env, cwd=ROOT, check=True,
                   stdout=log, stderr=log)
    server.port = free_port()
    server.process = subprocess.Popen(
        [str(BIN / "gunicorn"), server.wsgi, "--bind", f"127.0.0.1:{server.port}", "--workers",
         str(workers), "--log-level", "warning", "--pythonpath", str(ROOT / "benchmarks")],
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _h, _b = Client(server.port).request("GET", f"{server.cas_base}login")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not start; see {workdir / (server.name + '.log')}")


def measure(server: Server, pool: list[Client], *, round_trips: int, validations: int) -> None:
    """One run of both measures; each server keeps its best figure over the runs."""
    run_parallel(pool, len(pool) * 10, lambda _n, c: validate(server, c, issue(server, c)))  # warm-up
    figures = {"round trips/s": run_parallel(
        pool, round_trips, lambda _n, c: validate(server, c, issue(server, c)))}
    tickets: dict[int, list[str]] = {id(c): [] for c in pool}
    run_parallel(pool, validations, lambda _n, c: tickets[id(c)].append(issue(server, c)))
    figures["validations/s"] = run_parallel(
        pool, validations, lambda _n, c: validate(server, c, tickets[id(c)].pop()))
    for name, value in figures.items():
        server.figures[name] = max(value, server.figures.get(name, 0.0))


def stop(server: Server) -> None:
    if server.process is not None:
        server.process.terminate()
        server.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--round-trips", type=int, default=600, help="measured round trips (default 600)")
    parser.add_argument("--validations", type=int, default=600, help="measured validations (default 600)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, databases)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per server, best kept (default 3)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="server where the two temporary databases are created")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-cas-"))
    python = str(BIN / "python")
    if args.database == "postgres":
        names = create_databases(args.postgres_url, workdir.name.replace("-", "_"))
        sesame_db = {"DATABASE_URL": postgres_url(args.postgres_url, names[0])}
        reference_db = {"BENCH_CAS_DATABASE_URL": postgres_url(args.postgres_url, names[1])}
    else:
        names = []
        sesame_db = {"DATABASE_URL": f"sqlite:///{workdir / 'sesame.sqlite3'}"}
        reference_db = {"BENCH_CAS_DB": str(workdir / "django-cas-server.sqlite3")}
    servers = [
        Server(
            name="sesame", cas_base="/ent/cas/", wsgi="sesame.config.wsgi:application",
            env={"DJANGO_SETTINGS_MODULE": "sesame.config.settings", "SESAME_DEBUG": "false",
                 "SESAME_CAS_SERVICE_TICKET_SECONDS": "60",
                 "SESAME_ALLOWED_HOSTS": "127.0.0.1,localhost", **sesame_db},
            manage=[python, "manage.py"], seed=SEED_SESAME,
        ),
        Server(
            name="django-cas-server", cas_base="/cas/", wsgi="cas_compare.wsgi:application",
            env={"DJANGO_SETTINGS_MODULE": "cas_compare.settings",
                 "PYTHONPATH": str(ROOT / "benchmarks"), **reference_db},
            manage=[python, "-m", "django"], seed=SEED_DJANGO_CAS_SERVER,
        ),
    ]
    print(f"CAS benchmark ({args.database}): {args.workers} gunicorn workers per server, "
          f"{args.clients} clients, {args.round_trips} round trips and {args.validations} validations "
          f"per run, best of {args.repeat} alternating runs; work dir {workdir}")
    try:
        pools = {}
        for server in servers:
            prepare(server, workdir, args.workers)
            pools[server.name] = [login(server) for _ in range(args.clients)]
        # Runs alternate between the servers, so that a busy moment of the machine hurts both.
        for _run in range(args.repeat):
            for server in servers:
                measure(server, pools[server.name], round_trips=args.round_trips,
                        validations=args.validations)
        for server in servers:
            print(f"  {server.name:<18} " + "   ".join(
                f"{value:8.1f} {name}" for name, value in server.figures.items()))
    finally:
        for server in servers:
            stop(server)
        if names:
            drop_databases(args.postgres_url, names)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    sesame, reference = servers
    for name in sesame.figures:
        ratio = sesame.figures[name] / reference.figures[name]
        print(f"  ratio Sésame / django-cas-server, {name}: {ratio:.2f}×")
    goal = sesame.figures["round trips/s"] / reference.figures["round trips/s"]
    print(f"  goal (round trips ≥ 3×): {'reached' if goal >= 3 else 'NOT reached'}")


if __name__ == "__main__":
    main()
