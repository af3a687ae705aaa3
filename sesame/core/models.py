"""Abstract models shared by the parts of Sésame (each part keeps its own tables)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sesame.interop.uai import normalize_uai

from .validators import validate_uai


class EstablishmentIdentity(models.Model):
    """What names an establishment everywhere: its UAI (stored upper-case) and its name.

    The ENT's establishment and the library's base are different tables in different parts, but
    they are found by the same code typed the same ways (``0750001a `` is ``0750001A``).
    """

    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["uai"]

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"

    def save(self, *args, **kwargs):
        self.uai = normalize_uai(self.uai)
        super().save(*args, **kwargs)
