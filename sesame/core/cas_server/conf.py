"""CAS server settings, read once per call into a frozen value (no settings mutated at import).

Every setting has a default here and is listed in docs/cas.md:

- ``SESAME_CAS_SERVICE_TICKET_SECONDS`` (10): service ticket lifetime (CAS 3.0 §3.1.1).
- ``SESAME_CAS_TGT_IDLE_SECONDS`` (7200) and ``SESAME_CAS_TGT_MAX_SECONDS`` (28800): idle and hard
  lifetime of a ticket-granting ticket (§3.8.1; the usual 2 h / 8 h policy).
- ``SESAME_CAS_THROTTLE_ACCOUNT_FAILURES`` (5), ``SESAME_CAS_THROTTLE_ADDRESS_FAILURES`` (20),
  ``SESAME_CAS_THROTTLE_WINDOW_SECONDS`` (900): failed logins allowed per account and per address
  within the window before the form refuses to try.
- ``SESAME_CAS_TRUSTED_PROXIES`` (``[]``): addresses of reverse proxies whose ``X-Forwarded-For``
  is believed; nobody else's is.
- ``SESAME_CAS_SINGLE_LOGOUT_TIMEOUT_SECONDS`` (3): timeout of each back-channel log-out request.
- ``SESAME_CAS_COOKIE_PATH`` (``/ent/cas/``): path of the ticket-granting cookie ``CASTGC``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

TGC_COOKIE_NAME = "CASTGC"


@dataclass(frozen=True)
class CasSettings:
    service_ticket_lifetime: timedelta
    tgt_idle_lifetime: timedelta
    tgt_max_lifetime: timedelta
    throttle_account_failures: int
    throttle_address_failures: int
    throttle_window_seconds: int
    trusted_proxies: frozenset[str]
    single_logout_timeout: float
    cookie_path: str
    cookie_secure: bool


def cas_settings() -> CasSettings:
    def get(name: str, default):
        return getattr(settings, name, default)

    return CasSettings(
        service_ticket_lifetime=timedelta(seconds=get("SESAME_CAS_SERVICE_TICKET_SECONDS", 10)),
        tgt_idle_lifetime=timedelta(seconds=get("SESAME_CAS_TGT_IDLE_SECONDS", 2 * 3600)),
        tgt_max_lifetime=timedelta(seconds=get("SESAME_CAS_TGT_MAX_SECONDS", 8 * 3600)),
        throttle_account_failures=get("SESAME_CAS_THROTTLE_ACCOUNT_FAILURES", 5),
        throttle_address_failures=get("SESAME_CAS_THROTTLE_ADDRESS_FAILURES", 20),
        throttle_window_seconds=get("SESAME_CAS_THROTTLE_WINDOW_SECONDS", 15 * 60),
        trusted_proxies=frozenset(get("SESAME_CAS_TRUSTED_PROXIES", [])),
        single_logout_timeout=float(get("SESAME_CAS_SINGLE_LOGOUT_TIMEOUT_SECONDS", 3)),
        cookie_path=get("SESAME_CAS_COOKIE_PATH", "/ent/cas/"),
        cookie_secure=bool(settings.SESSION_COOKIE_SECURE),
    )
