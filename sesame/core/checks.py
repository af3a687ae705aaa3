"""System checks of the settings every part depends on (``manage.py check``, ``check --deploy``).

They read settings only. The demo and the test suite run with ``DEBUG`` off, the development key
and plain-HTTP cookies, on purpose: what only a deployment must not do is tagged ``deploy`` and
reported by ``check --deploy``, so that ``check`` stays quiet for them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning

from sesame.config.env import DEVELOPMENT_SECRET_KEY

IN_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}
NULL_CACHES = {"django.core.cache.backends.dummy.DummyCache"}


def secret_key_check(app_configs=None, **kwargs) -> list[Error]:
    """sesame.E001: the development key of settings.py in a deployment (``DEBUG`` off)."""
    if settings.DEBUG or settings.SECRET_KEY != DEVELOPMENT_SECRET_KEY:
        return []
    return [Error(
        "SECRET_KEY est la clé de développement de Sésame alors que DEBUG est désactivé : quiconque "
        "la connaît peut forger des sessions et des liens signés.",
        hint="Donnez à SESAME_SECRET_KEY une longue valeur aléatoire, propre à ce déploiement, par "
             "exemple : python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
        id="sesame.E001",
    )]


def _session_and_default_caches() -> dict[str, str]:
    """The caches that hold shared state: ``default`` (login throttling) and the sessions' one."""
    aliases = ["default"]
    if settings.SESSION_ENGINE in ("django.contrib.sessions.backends.cache",
                                   "django.contrib.sessions.backends.cached_db"):
        aliases.append(settings.SESSION_CACHE_ALIAS)
    return {alias: settings.CACHES.get(alias, {}).get("BACKEND", "") for alias in dict.fromkeys(aliases)}


def shared_cache_check(app_configs=None, **kwargs) -> list[Warning]:
    """sesame.W001: a cache each process keeps for itself; sesame.W003: a cache that keeps nothing."""
    problems = []
    for alias, backend in _session_and_default_caches().items():
        if backend in IN_PROCESS_CACHES:
            problems.append(Warning(
                f"Le cache « {alias} » ({backend}) est propre à chaque processus : avec plusieurs "
                "processus (les workers de gunicorn), chacun compte à part les échecs de connexion "
                "(la limite est multipliée d'autant) et garde ses propres copies des sessions en "
                "cache (une étape oubliée, une session fermée encore acceptée par un autre).",
                hint="Gardez le cache par défaut de Sésame (une table de la base, que migrate crée) "
                     "ou donnez un Redis partagé dans REDIS_URL. Si un seul processus sert, ajoutez "
                     "sesame.W001 à SILENCED_SYSTEM_CHECKS.",
                id="sesame.W001",
            ))
        elif backend in NULL_CACHES:
            problems.append(Warning(
                f"Le cache « {alias} » ({backend}) ne garde rien : la limitation des tentatives de "
                "connexion ne compte aucun échec.",
                hint="Gardez le cache par défaut de Sésame (une table de la base, que migrate crée) "
                     "ou donnez un Redis partagé dans REDIS_URL.",
                id="sesame.W003",
            ))
    return problems


def secure_cookies_check(app_configs=None, **kwargs) -> list[Warning]:
    """sesame.W002: session, CSRF and CAS cookies sent over plain HTTP in a deployment."""
    if settings.DEBUG or (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        return []
    return [Warning(
        "Les cookies de session, CSRF et CASTGC (single sign-on) partent aussi en HTTP non chiffré "
        "alors que DEBUG est désactivé : sur un réseau d'établissement, une session se vole en "
        "lisant le trafic.",
        hint="Servez Sésame en HTTPS et mettez SESAME_SECURE_COOKIES=true.",
        id="sesame.W002",
    )]
