"""Login throttling, per account and per address (ASVS V2.2.1; anchors test 6).

Failed logins are counted in Django's cache (Redis when several nodes serve the ENT), one counter
per account and one per client address, each for a fixed window from its first failure. Past the
limit the form refuses to even check the password until the window ends. The address is
``REMOTE_ADDR``; ``X-Forwarded-For`` is believed only from a configured reverse proxy, never from
anyone else (CVE-2023-4612). Each CAS server counts under its own ``CasSettings.cache_namespace``.

The window ends twice over: the cache forgets a counter when its timeout runs out, and the end
of the window, kept beside the counter, is compared with ``now`` (the CAS clock), so the lock is
measured by the same clock as the tickets and tests move time instead of waiting. A counter whose
end is not known (written before it was kept) ends with the cache alone, as it always did.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .conf import CasSettings

THROTTLED_MESSAGE = _("Trop de tentatives de connexion. Réessayez dans quelques minutes.")
_UNTIL = ":until"  # suffix of the key that holds the end of a counter's window (POSIX seconds)


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


def _ended(until: float | None, now: datetime) -> bool:
    """Whether a window ending at ``until`` (POSIX seconds; None when not known) has ended by ``now``."""
    return until is not None and now.timestamp() >= until


def _failures(values: dict, key: str, *, now: datetime) -> int:
    return 0 if _ended(values.get(key + _UNTIL), now) else values.get(key, 0)


def login_is_throttled(*, username: str, address: str, config: CasSettings, now: datetime) -> bool:
    account, place = _account_key(username, config), _address_key(address, config)
    values = cache.get_many([account, account + _UNTIL, place, place + _UNTIL])
    return (
        _failures(values, account, now=now) >= config.throttle_account_failures
        or _failures(values, place, now=now) >= config.throttle_address_failures
    )


def login_failure_record(*, username: str, address: str, config: CasSettings, now: datetime) -> None:
    window = config.throttle_window_seconds
    for key in (_account_key(username, config), _address_key(address, config)):
        if _ended(cache.get(key + _UNTIL), now):  # ended by the clock, maybe not yet by the cache
            cache.delete_many([key, key + _UNTIL])
        opened = cache.add(key, 0, timeout=window)  # this failure opens a window
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr: this failure opens a new one
            cache.set(key, 1, timeout=window)
            opened = True
        if opened:
            cache.set(key + _UNTIL, now.timestamp() + window, timeout=window)


def login_success_record(*, username: str, config: CasSettings) -> None:
    """A correct password clears the account's counter (not the address's)."""
    key = _account_key(username, config)
    cache.delete_many([key, key + _UNTIL])
