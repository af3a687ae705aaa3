"""Each CAS server reads its own settings, by prefix, with the shared defaults."""

from datetime import timedelta

from sesame.core.cas_server.conf import CasSettings, cas_settings_read
from sesame.ent.cas.conf import cas_settings


def test_a_server_with_no_settings_gets_every_default(settings):
    settings.SESSION_COOKIE_SECURE = False

    config = cas_settings_read(prefix="SESAME_OTHER_CAS_", cookie_path="/autre/cas/", cache_namespace="autre")

    assert config == CasSettings(
        service_ticket_lifetime=timedelta(seconds=10),
        tgt_idle_lifetime=timedelta(hours=2),
        tgt_max_lifetime=timedelta(hours=8),
        throttle_account_failures=5,
        throttle_address_failures=20,
        throttle_window_seconds=900,
        trusted_proxies=frozenset(),
        single_logout_timeout=3.0,
        cookie_path="/autre/cas/",
        cookie_secure=False,
        cache_namespace="autre",
    )


def test_one_server_s_settings_do_not_reach_another(settings):
    settings.SESAME_OTHER_CAS_SERVICE_TICKET_SECONDS = 30
    settings.SESAME_OTHER_CAS_COOKIE_PATH = "/ailleurs/"
    settings.SESAME_CAS_TRUSTED_PROXIES = ["10.0.0.1"]

    other = cas_settings_read(prefix="SESAME_OTHER_CAS_", cookie_path="/autre/cas/", cache_namespace="autre")
    ent = cas_settings()

    assert (other.service_ticket_lifetime, other.cookie_path, other.trusted_proxies) == (
        timedelta(seconds=30), "/ailleurs/", frozenset())
    assert (ent.service_ticket_lifetime, ent.cookie_path, ent.trusted_proxies) == (
        timedelta(seconds=10), "/ent/cas/", frozenset({"10.0.0.1"}))
