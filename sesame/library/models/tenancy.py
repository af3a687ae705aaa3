"""Library, Librarian: whose base it is and who may manage it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sesame.core.models import EstablishmentIdentity


class Library(EstablishmentIdentity):
    """One establishment's library base (one BCDI base)."""

    class Meta:
        verbose_name = _("bibliothèque")
        verbose_name_plural = _("bibliothèques")
        ordering = ["uai"]


class Librarian(models.Model):
    """Who may manage a library (the "mot de passe de gestion" of BCDI)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="librarians")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="librarian_of")

    class Meta:
        verbose_name = _("gestionnaire")
        verbose_name_plural = _("gestionnaires")
        constraints = [models.UniqueConstraint(fields=["library", "user"], name="library_librarian_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.library}"
