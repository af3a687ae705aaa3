"""Login throttling as a shared piece: each CAS server counts its own failures, within a window
measured by the clock it is given."""

from datetime import UTC, datetime, timedelta

import pytest

from sesame.core.cas_server.conf import cas_settings_read
from sesame.core.cas_server.throttling import login_failure_record, login_is_throttled, login_success_record
from sesame.ent.cas.conf import cas_settings

# The counters live in the shared cache: a table of the database unless Redis is configured.
pytestmark = pytest.mark.django_db

NOW = datetime(2025, 9, 2, 8, 0, 0, tzinfo=UTC)


def other_server():
    return cas_settings_read(prefix="SESAME_OTHER_CAS_", cookie_path="/autre/cas/", cache_namespace="autre")


def fail(times: int, *, config, now=NOW, username="eleve", address="192.0.2.1"):
    for _ in range(times):
        login_failure_record(username=username, address=address, config=config, now=now)


def throttled(*, config, now=NOW, username="eleve", address="192.0.2.1") -> bool:
    return login_is_throttled(username=username, address=address, config=config, now=now)


def test_failures_on_one_server_do_not_lock_another():
    other, ent = other_server(), cas_settings()
    fail(5, config=other)

    assert throttled(config=other) is True
    assert throttled(config=ent) is False


def test_a_success_on_one_server_does_not_clear_another_s_counter():
    other, ent = other_server(), cas_settings()
    fail(5, config=other)

    login_success_record(username="eleve", config=ent)

    assert throttled(config=other) is True


def test_the_lock_lasts_the_window_from_the_first_failure_and_no_longer(settings):
    settings.SESAME_CAS_THROTTLE_WINDOW_SECONDS = 600
    config = cas_settings()
    fail(1, config=config)
    fail(4, config=config, now=NOW + timedelta(seconds=300))

    assert throttled(config=config, now=NOW + timedelta(seconds=599)) is True
    assert throttled(config=config, now=NOW + timedelta(seconds=600)) is False


def test_a_failure_after_the_window_starts_a_new_count():
    config = cas_settings()
    fail(5, config=config)
    later = NOW + timedelta(seconds=config.throttle_window_seconds)

    fail(4, config=config, now=later)

    assert throttled(config=config, now=later) is False
    fail(1, config=config, now=later)
    assert throttled(config=config, now=later) is True
