"""Login throttling, per account and per address (ASVS V2.2.1; anchors test 6).

Failed logins are counted in Django's cache (Redis when several nodes serve the ENT), one counter
per account and one per client address, each for a fixed window from its first failure. Past the
limit the form refuses to even check the password until the window ends. The address is
``REMOTE_ADDR``; ``X-Forwarded-For`` is believed only from a configured reverse proxy, never from
anyone else (CVE-2023-4612). Each CAS server counts under its own ``CasSettings.cache_namespace``.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .conf import CasSettings

THROTTLED_MESSAGE = _("Trop de tentatives de connexion. Réessayez dans quelques minutes.")


def client_address(request: HttpRequest, *, trusted_proxies: frozenset[str]) -> str:
    """The client's address: the first hop, from the right, that is not a trusted proxy."""
    address = request.META.get("REMOTE_ADDR", "")
    if address not in trusted_proxies:
        return address
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        if hop not in trusted_proxies:
            return hop
    return address


def _account_key(username: str, config: CasSettings) -> str:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:40]
    return f"{config.cache_namespace}:login_failures:account:{digest}"


def _address_key(address: str, config: CasSettings) -> str:
    return f"{config.cache_namespace}:login_failures:address:{address}"


def login_is_throttled(*, username: str, address: str, config: CasSettings) -> bool:
    account, place = _account_key(username, config), _address_key(address, config)
    counts = cache.get_many([account, place])
    return (
        counts.get(account, 0) >= config.throttle_account_failures
        or counts.get(place, 0) >= config.throttle_address_failures
    )


def login_failure_record(*, username: str, address: str, config: CasSettings) -> None:
    for key in (_account_key(username, config), _address_key(address, config)):
        cache.add(key, 0, timeout=config.throttle_window_seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=config.throttle_window_seconds)


def login_success_record(*, username: str, config: CasSettings) -> None:
    """A correct password clears the account's counter (not the address's)."""
    cache.delete(_account_key(username, config))
