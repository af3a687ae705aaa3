"""System checks of the CAS server's settings (docs/cas.md lists them), from settings alone.

- ``ent_cas.E001``: a service ticket lifetime that is not a positive number of seconds of at most
  five minutes (CAS 3.0 §3.1.1 recommends no longer than five minutes; Sésame's default is 10 s).
- ``ent_cas.E002``: ticket-granting ticket lifetimes that are not positive, or an idle lifetime
  above the hard one (§3.8.1: the idle limit must be able to end a session before the hard one).
- ``ent_cas.E003``: a ``SESAME_CAS_COOKIE_PATH`` the CAS login and logout URLs are not under: the
  browser would never send ``CASTGC`` back, and single sign-on would never happen.
- ``ent_cas.W001``: a cookie path wider than the CAS base (§3.6.1 asks for the narrowest): the
  ticket-granting cookie would go to every page under it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning
from django.urls import NoReverseMatch, reverse

SERVICE_TICKET_MAX_SECONDS = 300
# The same defaults as the server's own reading of its settings (docs/cas.md).
DEFAULTS = {
    "SESAME_CAS_SERVICE_TICKET_SECONDS": 10,
    "SESAME_CAS_TGT_IDLE_SECONDS": 2 * 3600,
    "SESAME_CAS_TGT_MAX_SECONDS": 8 * 3600,
    "SESAME_CAS_COOKIE_PATH": "/ent/cas/",
}
BROWSER_ENDPOINTS = ("ent:cas:login", "ent:cas:logout")


def _raw(name: str):
    return getattr(settings, name, DEFAULTS[name])


def _seconds(name: str) -> float | None:
    value = _raw(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def lifetimes_check(app_configs=None, **kwargs) -> list[Error]:
    problems = []
    ticket = _seconds("SESAME_CAS_SERVICE_TICKET_SECONDS")
    if ticket is None or not 0 < ticket <= SERVICE_TICKET_MAX_SECONDS:
        problems.append(Error(
            f"SESAME_CAS_SERVICE_TICKET_SECONDS vaut {_raw('SESAME_CAS_SERVICE_TICKET_SECONDS')!r} : un "
            f"ticket de service doit vivre plus de 0 et au plus {SERVICE_TICKET_MAX_SECONDS} secondes "
            "(CAS 3.0 §3.1.1 : cinq minutes au plus ; un ticket intercepté dans une adresse reste "
            "utilisable tant qu'il vit).",
            hint="Gardez la valeur par défaut, 10 secondes : un service valide son ticket dès qu'il "
                 "le reçoit.",
            id="ent_cas.E001",
        ))
    idle = _seconds("SESAME_CAS_TGT_IDLE_SECONDS")
    hard = _seconds("SESAME_CAS_TGT_MAX_SECONDS")
    if idle is None or hard is None or idle <= 0 or hard <= 0 or idle > hard:
        problems.append(Error(
            f"SESAME_CAS_TGT_IDLE_SECONDS ({_raw('SESAME_CAS_TGT_IDLE_SECONDS')!r}) et "
            f"SESAME_CAS_TGT_MAX_SECONDS ({_raw('SESAME_CAS_TGT_MAX_SECONDS')!r}) "
            "doivent être des durées positives, l'inactivité tolérée au plus égale à la durée "
            "maximale d'une session unique (CAS 3.0 §3.8.1).",
            hint="Les valeurs par défaut sont 7200 (2 heures sans activité) et 28800 (8 heures en "
                 "tout).",
            id="ent_cas.E002",
        ))
    return problems


def _path_matches(path: str, cookie_path: str) -> bool:
    """RFC 6265 §5.1.4: whether a browser sends a cookie of ``cookie_path`` with a request for ``path``."""
    if path == cookie_path:
        return True
    return path.startswith(cookie_path) and (cookie_path.endswith("/") or path[len(cookie_path)] == "/")


def cookie_path_check(app_configs=None, **kwargs) -> list[Error | Warning]:
    cookie_path = _raw("SESAME_CAS_COOKIE_PATH")
    try:
        endpoints = [reverse(name) for name in BROWSER_ENDPOINTS]
    except NoReverseMatch:  # this node does not serve the CAS server
        return []
    base = endpoints[0].rsplit("/", 1)[0] + "/"
    if not isinstance(cookie_path, str) or not all(_path_matches(url, cookie_path) for url in endpoints):
        return [Error(
            f"SESAME_CAS_COOKIE_PATH vaut {cookie_path!r}, mais le serveur CAS est servi sous {base} "
            f"({', '.join(endpoints)}) : le navigateur ne renverrait jamais le cookie CASTGC, et "
            "aucune connexion unique n'aurait lieu.",
            hint=f"Mettez SESAME_CAS_COOKIE_PATH = {base!r}, là où les URL du CAS sont montées.",
            id="ent_cas.E003",
        )]
    if cookie_path not in (base, base.rstrip("/")):
        return [Warning(
            f"SESAME_CAS_COOKIE_PATH vaut {cookie_path!r}, plus large que {base}, où le serveur CAS "
            "est servi : le cookie CASTGC partirait aussi vers les autres pages (CAS 3.0 §3.6.1 "
            "demande le chemin le plus étroit).",
            hint=f"Mettez SESAME_CAS_COOKIE_PATH = {base!r}.",
            id="ent_cas.W001",
        )]
    return []
