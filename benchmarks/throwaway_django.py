"""Django on a throwaway database, for the benchmarks that need the ORM (run as scripts).

SQLite in a temporary folder by default; with ``postgres=True`` a fresh database on the server
of ``DATABASE_URL`` (dropped afterwards). ``DATABASE_URL`` must be set before Django reads its
settings, which is why this module, not the scripts, sets Django up.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def _server_url(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def _on_server(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sesame.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


@contextmanager
def throwaway_database(*, prefix: str, postgres: bool) -> Iterator[str]:
    """Set Django up on a new empty database; yields a line saying which one."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as workdir:
        server = name = ""
        if postgres:
            server = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES)
            name = prefix.replace("-", "_") + "_" + Path(workdir).name.replace("-", "_").lower()
            _on_server(server, f'CREATE DATABASE "{name}"')
            url = _server_url(server, name)
        else:
            url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        try:
            _setup_django(url)
            from django.db import connection

            yield f"{connection.vendor} ({'temporaire' if postgres else url})"
        finally:
            if postgres:
                from django.db import connections

                connections.close_all()
                _on_server(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
