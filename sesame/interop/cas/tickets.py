"""Ticket rules of CAS 3.0 §3: format, randomness, lifetime.

- Format (§3.1.1, §3.7): a prefix (``ST-`` for service tickets, ``TGT-`` for ticket-granting
  tickets and cookies, §3.6) followed by characters of ``[A-Za-z0-9-]`` only.
- Randomness (§3.1.1 "not guessable", OWASP ASVS 3.2.2): the random part comes from ``secrets``
  and carries at least 128 bits. A service ticket is 32 characters long in all, the length every
  client MUST accept (§3.1.1): 29 random characters of 62, 172 bits.
- Lifetime (§3.1.1): a service ticket SHOULD expire when it is not validated in time; five minutes
  at most is RECOMMENDED, ten seconds is Apereo's default and Sésame's. The clock is a parameter,
  so tests move time instead of sleeping.
- Single use (§3.1.1, "whether or not validation was successful") is enforced where tickets are
  stored; this module only gives the rules.
"""

from __future__ import annotations

import math
import re
import secrets
import string
from datetime import datetime, timedelta

__all__ = [
    "MAX_TICKET_LENGTH",
    "PROXY_TICKET_PREFIX",
    "SERVICE_TICKET_PREFIX",
    "TICKET_GRANTING_TICKET_PREFIX",
    "is_expired",
    "is_well_formed",
    "new_ticket",
]

SERVICE_TICKET_PREFIX = "ST-"
PROXY_TICKET_PREFIX = "PT-"
TICKET_GRANTING_TICKET_PREFIX = "TGT-"
MAX_TICKET_LENGTH = 256  # §3.1.1: clients SHOULD accept service tickets of up to 256 characters.

_ALPHABET = string.ascii_letters + string.digits  # §3.7 allows "-" too; it is kept for the prefix.
_ENTROPY_BYTES = {SERVICE_TICKET_PREFIX: 21, PROXY_TICKET_PREFIX: 21, TICKET_GRANTING_TICKET_PREFIX: 32}
_MIN_ENTROPY_BYTES = 16  # 128 bits
_TICKET_CHARSET = re.compile(r"[A-Za-z0-9-]+")


def _random_part(entropy_bytes: int) -> str:
    """Characters drawn uniformly by ``secrets``: enough of them for ``8 * entropy_bytes`` bits."""
    length = math.ceil(8 * entropy_bytes / math.log2(len(_ALPHABET)))
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_ticket(prefix: str, *, entropy_bytes: int | None = None) -> str:
    """A fresh ticket ``<prefix><random>``, e.g. ``ST-`` + 29 characters (32 in all, 172 bits)."""
    if not prefix or not _TICKET_CHARSET.fullmatch(prefix):
        raise ValueError(f"Invalid ticket prefix: {prefix!r}")
    size = entropy_bytes if entropy_bytes is not None else _ENTROPY_BYTES.get(prefix, 32)
    if size < _MIN_ENTROPY_BYTES:
        raise ValueError("A CAS ticket needs at least 128 random bits.")
    ticket = prefix + _random_part(size)
    if len(ticket) > MAX_TICKET_LENGTH:
        raise ValueError("A CAS ticket is at most 256 characters long.")
    return ticket


def is_well_formed(value: str, prefix: str) -> bool:
    """Whether ``value`` could be a ticket of this kind: prefix, §3.7 charset, at most 256 characters."""
    return (
        value.startswith(prefix)
        and len(value) > len(prefix)
        and len(value) <= MAX_TICKET_LENGTH
        and _TICKET_CHARSET.fullmatch(value) is not None
    )


def is_expired(issued_at: datetime, now: datetime, lifetime: timedelta) -> bool:
    """A ticket is valid for ``lifetime`` after it was issued, boundary included (§3.1.1)."""
    return now - issued_at > lifetime
