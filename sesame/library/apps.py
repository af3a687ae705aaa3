from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "sesame.library"
    label = "library"
    verbose_name = _("Bibliothèque (CDI)")

    def ready(self) -> None:
        from . import checks as library_checks

        checks.register(library_checks.reservation_mail_sender_check, "email", deploy=True)
