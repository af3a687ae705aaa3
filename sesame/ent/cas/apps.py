from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntCasConfig(AppConfig):
    name = "sesame.ent.cas"
    label = "ent_cas"
    verbose_name = _("Serveur CAS de l'ENT")
