"""CAS server settings, read once per call into a frozen value (no settings mutated at import).

Each CAS server names its settings with its own prefix (the ENT's is ``SESAME_CAS_``) and passes
what is its own: its cookie path and the namespace of its cache keys. Every setting has a default
here; a server's documentation lists them under its prefix (docs/cas.md for the ENT):

- ``<prefix>SERVICE_TICKET_SECONDS`` (10): service ticket lifetime (CAS 3.0 §3.1.1).
- ``<prefix>TGT_IDLE_SECONDS`` (7200) and ``<prefix>TGT_MAX_SECONDS`` (28800): idle and hard
  lifetime of a ticket-granting ticket (§3.8.1; the usual 2 h / 8 h policy).
- ``<prefix>THROTTLE_ACCOUNT_FAILURES`` (5), ``<prefix>THROTTLE_ADDRESS_FAILURES`` (20),
  ``<prefix>THROTTLE_WINDOW_SECONDS`` (900): failed logins allowed per account and per address
  within the window before the form refuses to try.
- ``<prefix>TRUSTED_PROXIES`` (``[]``): addresses of reverse proxies whose ``X-Forwarded-For``
  is believed; nobody else's is.
- ``<prefix>SINGLE_LOGOUT_TIMEOUT_SECONDS`` (3): timeout of each back-channel log-out request.
- ``<prefix>COOKIE_PATH`` (the server's base path): path of the ticket-granting cookie ``CASTGC``.

The cookie is Secure when Django's ``SESSION_COOKIE_SECURE`` is on.
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
    cache_namespace: str  # prefix of this server's cache keys (login failures); not a setting


def cas_settings_read(*, prefix: str, cookie_path: str, cache_namespace: str) -> CasSettings:
    """The settings of one CAS server: ``<prefix>SERVICE_TICKET_SECONDS`` and so on, each with the
    default above; ``cookie_path`` is the default of ``<prefix>COOKIE_PATH``, and
    ``cache_namespace`` keeps this server's login failures apart from another server's."""

    def get(name: str, default):
        return getattr(settings, prefix + name, default)

    return CasSettings(
        service_ticket_lifetime=timedelta(seconds=get("SERVICE_TICKET_SECONDS", 10)),
        tgt_idle_lifetime=timedelta(seconds=get("TGT_IDLE_SECONDS", 2 * 3600)),
        tgt_max_lifetime=timedelta(seconds=get("TGT_MAX_SECONDS", 8 * 3600)),
        throttle_account_failures=get("THROTTLE_ACCOUNT_FAILURES", 5),
        throttle_address_failures=get("THROTTLE_ADDRESS_FAILURES", 20),
        throttle_window_seconds=get("THROTTLE_WINDOW_SECONDS", 15 * 60),
        trusted_proxies=frozenset(get("TRUSTED_PROXIES", [])),
        single_logout_timeout=float(get("SINGLE_LOGOUT_TIMEOUT_SECONDS", 3)),
        cookie_path=get("COOKIE_PATH", cookie_path),
        cookie_secure=bool(settings.SESSION_COOKIE_SECURE),
        cache_namespace=cache_namespace,
    )
