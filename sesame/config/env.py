"""The one place that reads the environment.

Every production difference (database, secret key, allowed hosts, debug) comes from an
environment variable, so the same code runs the demo, the tests and a regional deployment.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The key the demo and the tests run with; ``check --deploy`` refuses it (sesame.E001).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"  # noqa: S105


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_config() -> dict:
    """SQLite file beside the checkout by default; anything dj-database-url reads otherwise."""
    default_url = f"sqlite:///{BASE_DIR / 'var' / 'sesame.sqlite3'}"
    url = os.environ.get("DATABASE_URL", default_url)
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers go on while an update writes; IMMEDIATE avoids lock upgrades mid-transaction.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        # Keep connections: opening one costs about a millisecond, and closing the last one
        # checkpoints the write-ahead log, on every request otherwise.
        config["CONN_MAX_AGE"] = 600
    return config


CACHE_TABLE = "sesame_cache"


def cache_config() -> dict:
    """Redis when ``REDIS_URL`` is set, else a table of the database (``migrate`` creates it).

    Either way every process and every node sees the same cache: the login throttling counts a
    failure on one gunicorn worker for all of them. A cache kept in each process's memory would not.
    """
    url = os.environ.get("REDIS_URL")
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    # Room for the throttling counters of a school's rush hour before any is culled.
    return {"BACKEND": "sesame.core.cache.DatabaseCache", "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000}}


def session_engine() -> str:
    """Sessions live in the database, which every process reads; with Redis, Redis answers first.

    A session read from a cache that only one process sees would be stale on the others (a step
    of the borrower update forgotten, a signed-out session still accepted).
    """
    if os.environ.get("REDIS_URL"):
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"
