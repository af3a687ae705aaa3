from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class EntCasConfig(AppConfig):
    name = "sesame.ent.cas"
    label = "ent_cas"
    verbose_name = _("Serveur CAS de l'ENT")

    def ready(self) -> None:
        from . import checks as cas_checks

        checks.register(cas_checks.lifetimes_check, checks.Tags.security)
        checks.register(cas_checks.cookie_path_check, checks.Tags.security, checks.Tags.urls)
