"""Login throttling as a shared piece: each CAS server counts its own failures."""

from sesame.core.cas_server.conf import cas_settings_read
from sesame.core.cas_server.throttling import login_failure_record, login_is_throttled, login_success_record
from sesame.ent.cas.conf import cas_settings


def other_server():
    return cas_settings_read(prefix="SESAME_OTHER_CAS_", cookie_path="/autre/cas/", cache_namespace="autre")


def test_failures_on_one_server_do_not_lock_another():
    other, ent = other_server(), cas_settings()
    for _ in range(5):
        login_failure_record(username="eleve", address="192.0.2.1", config=other)

    assert login_is_throttled(username="eleve", address="192.0.2.1", config=other) is True
    assert login_is_throttled(username="eleve", address="192.0.2.1", config=ent) is False


def test_a_success_on_one_server_does_not_clear_another_s_counter():
    other, ent = other_server(), cas_settings()
    for _ in range(5):
        login_failure_record(username="eleve", address="192.0.2.1", config=other)

    login_success_record(username="eleve", config=ent)

    assert login_is_throttled(username="eleve", address="192.0.2.1", config=other) is True
