"""Which service URLs may use the server: URL safety checks and the registry's matching rule.

CAS 3.0 §2.2.1 and §2.3.1: it is STRONGLY RECOMMENDED to filter every ``service`` through the
service registry, and a server MUST deny unauthorised services; §2.3.1 allows a log-out redirect
only to a registered service. Service URLs are where the server sends browsers with a ticket, so
a loose rule is an open redirect and a ticket leak at once (CVE-2022-39369, web2py PR #2591).

The rule, as Apereo's and django-cas-server's registries apply it: a service's pattern is a
regular expression matched against the *whole* URL (``re.fullmatch``, so ``https://a\\.fr/.*``
never matches ``https://a.fr.evil.com/``). Before any pattern is tried, a URL must pass
``check_service_url``: absolute ``http``/``https``, a host, no user information (``@``), no
backslash, no control character, space or non-ASCII character, no ``%`` in the host. Nothing is
normalised: the URL a ticket is issued for is byte for byte the URL the service must validate with.

Patterns are typed by a director and then run on every anonymous ``service=``: they go through
RE2 (``google-re2``), whose matching time is linear in the URL whatever the pattern, so a pattern
such as ``(a+)+$`` cannot freeze the server (Python's backtracking ``re`` takes exponential time on
it). RE2 has no back-references or look-arounds; a pattern using them is refused when it is saved.
A lookup for one establishment runs only the patterns that establishment may use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import re2

__all__ = [
    "InvalidPatternError",
    "ServiceDefinition",
    "UnsafeServiceUrlError",
    "check_service_url",
    "compile_linear",
    "compile_pattern",
    "find_service",
]

MAX_SERVICE_URL_LENGTH = 2048
#: A registry pattern is a host and a path, rarely a hundred characters; RE2 bounds its memory too.
MAX_PATTERN_LENGTH = 500
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 1 << 20  # 1 MiB of automaton per pattern: far above any real service pattern
_RE2_OPTIONS.log_errors = False  # a refused pattern is the director's typing, reported in French


class Pattern(Protocol):
    """What the matching rule needs of a compiled pattern (an RE2 regular expression)."""

    def fullmatch(self, text: str, /): ...
# Probes no service pattern may accept: a pattern matching them opens the realm to any site (S9).
_FOREIGN_PROBES = ("https://sesame-probe.invalid/", "http://sesame-probe.invalid/",
                   "https://sesame-probe.invalid/home/?a=b")


class UnsafeServiceUrlError(ValueError):
    """The service URL is refused before any pattern is tried; ``reason`` says why (in French)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class InvalidPatternError(ValueError):
    """A registry pattern that does not compile, or that accepts any site."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ServiceDefinition:
    """One registered service as the matching rule sees it (a row of the registry, pure)."""

    key: int
    name: str
    pattern: Pattern
    establishments: frozenset[str] = frozenset()  # UAIs; empty means every establishment
    principal_attribute: str = "ENTPersonJointure"
    released_attributes: tuple[str, ...] = ()
    single_logout: bool = True

    def allows(self, establishment: str | None) -> bool:
        return establishment is None or not self.establishments or establishment in self.establishments


def check_service_url(url: str) -> str:
    """Return ``url`` unchanged when it may be matched at all; otherwise ``UnsafeServiceUrlError``."""
    if not url:
        raise UnsafeServiceUrlError("adresse vide")
    if len(url) > MAX_SERVICE_URL_LENGTH:
        raise UnsafeServiceUrlError("adresse trop longue")
    if not url.isascii():
        raise UnsafeServiceUrlError("caractères non ASCII")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise UnsafeServiceUrlError("caractère de contrôle ou espace")
    if "\\" in url:
        raise UnsafeServiceUrlError("barre oblique inverse")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeServiceUrlError("adresse mal formée") from exc
    if parts.scheme not in ("http", "https") or not url.startswith(parts.scheme + "://"):
        raise UnsafeServiceUrlError("l'adresse doit commencer par http:// ou https://")
    if not parts.netloc or not parts.hostname:
        raise UnsafeServiceUrlError("adresse sans nom d'hôte")
    if "@" in parts.netloc:
        raise UnsafeServiceUrlError("identifiants dans l'adresse (@)")
    if "%" in parts.netloc:
        raise UnsafeServiceUrlError("caractère encodé dans le nom d'hôte")
    if port == 0:
        raise UnsafeServiceUrlError("port invalide")
    return url


def compile_linear(pattern: str) -> Pattern:
    """Compile a pattern with RE2 (linear-time matching), or ``InvalidPatternError`` in French."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidPatternError(f"Motif invalide : plus de {MAX_PATTERN_LENGTH} caractères.")
    try:
        return re2.compile(pattern, options=_RE2_OPTIONS)
    except re2.error as exc:
        detail = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise InvalidPatternError(
            f"Motif invalide : {detail} (les références arrière et les assertions avant ou arrière ne sont "
            "pas acceptées)."
        ) from exc


def compile_pattern(pattern: str) -> Pattern:
    """Compile a registry pattern; refuse one that does not compile or that accepts any site."""
    compiled = compile_linear(pattern)
    for probe in _FOREIGN_PROBES:
        if compiled.fullmatch(probe):
            raise InvalidPatternError(
                "Ce motif accepte n'importe quel site : précisez le nom d'hôte, "
                r"par exemple https://0750001a\.esidoc\.fr/.*"
            )
    return compiled


def find_service(
    definitions: Iterable[ServiceDefinition], url: str, *, establishment: str | None = None
) -> ServiceDefinition | None:
    """The first definition, in registry order, whose pattern matches the whole ``url``.

    With ``establishment`` (a UAI), definitions restricted to other establishments are skipped, so
    a school's own entry is found even after a wider one for the same host. ``None`` for an unsafe
    URL, whatever the patterns say.
    """
    try:
        check_service_url(url)
    except UnsafeServiceUrlError:
        return None
    for definition in definitions:
        if definition.allows(establishment) and definition.pattern.fullmatch(url):
            return definition
    return None


def matching_services(definitions: Sequence[ServiceDefinition], url: str) -> list[ServiceDefinition]:
    """Every definition matching ``url`` (any establishment), in registry order."""
    try:
        check_service_url(url)
    except UnsafeServiceUrlError:
        return []
    return [definition for definition in definitions if definition.pattern.fullmatch(url)]
