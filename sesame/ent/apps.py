from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntConfig(AppConfig):
    name = "sesame.ent"
    label = "ent"
    verbose_name = _("ENT")
