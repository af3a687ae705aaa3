"""System checks of the settings the library depends on (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import global_settings, settings
from django.core.checks import Warning

MAIL_KEPT_BACKENDS = {"django.core.mail.backends.dummy.EmailBackend"}


def reservation_mail_sender_check(app_configs=None, **kwargs) -> list[Warning]:
    """library.W001: reservation mail would leave from Django's placeholder address."""
    if settings.EMAIL_BACKEND in MAIL_KEPT_BACKENDS:
        return []
    if settings.DEFAULT_FROM_EMAIL != global_settings.DEFAULT_FROM_EMAIL:
        return []
    return [Warning(
        f"Les courriels « Votre réservation est disponible » partent de "
        f"{global_settings.DEFAULT_FROM_EMAIL!r}, l'adresse par défaut de Django (DEFAULT_FROM_EMAIL) : "
        "les serveurs de messagerie les refusent ou les classent en indésirables, et une réponse "
        "n'arrive à personne.",
        hint="Donnez une adresse de l'établissement ou du CDI dans SESAME_DEFAULT_FROM_EMAIL, par "
             "exemple cdi@college-exemple.fr.",
        id="library.W001",
    )]
