"""Building CAS URLs (CAS 3.0 §2): pure functions, as python-cas has them.

Every parameter value is percent-encoded by ``urlencode`` (CVE-2014-4172: a ticket or service
copied into a validation URL without encoding lets a caller inject parameters such as
``renew=``). The server URL is the CAS base and ends with ``/`` (``https://ent.example/ent/cas/``).
"""

from __future__ import annotations

from urllib.parse import urlencode

__all__ = [
    "login_url",
    "logout_url",
    "service_url_with_ticket",
    "validate_url",
]

_VALIDATION_PATHS = {1: "validate", 2: "serviceValidate", 3: "p3/serviceValidate"}


def _base(server_url: str) -> str:
    return server_url if server_url.endswith("/") else server_url + "/"


def login_url(server_url: str, *, service: str, renew: bool = False, gateway: bool = False) -> str:
    """``/login`` as credential requestor (§2.1.1); ``renew`` wins over ``gateway`` (§2.1.1)."""
    params = [("service", service)]
    if renew:
        params.append(("renew", "true"))
    elif gateway:
        params.append(("gateway", "true"))
    return f"{_base(server_url)}login?{urlencode(params)}"


def logout_url(server_url: str, *, service: str | None = None) -> str:
    """``/logout`` (§2.3.1), with the CAS 3.0 ``service`` parameter (never the legacy ``url``)."""
    url = f"{_base(server_url)}logout"
    return f"{url}?{urlencode([('service', service)])}" if service else url


def validate_url(
    server_url: str, *, ticket: str, service: str, version: int = 3, renew: bool = False
) -> str:
    """``/validate`` (1, §2.4), ``/serviceValidate`` (2, §2.5) or ``/p3/serviceValidate`` (3, §2.8)."""
    try:
        path = _VALIDATION_PATHS[version]
    except KeyError:
        raise ValueError(f"Unknown CAS version: {version!r}") from None
    params = [("ticket", ticket), ("service", service)]
    if renew:
        params.append(("renew", "true"))
    return f"{_base(server_url)}{path}?{urlencode(params)}"


def service_url_with_ticket(service: str, ticket: str) -> str:
    """The service URL with ``ticket=`` added to its query (§2.2.4), fragment kept last.

    The service URL is not re-parsed nor re-encoded: the service must find the URL it registered,
    byte for byte, to validate the ticket (§2.5.1).
    """
    base, hash_mark, fragment = service.partition("#")
    separator = "&" if "?" in base else "?"
    if base.endswith(("?", "&")):
        separator = ""
    return f"{base}{separator}{urlencode([('ticket', ticket)])}{hash_mark}{fragment}"
