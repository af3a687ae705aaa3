"""Catalogue records (*notices*) and their copies (*exemplaires*)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sesame.library.models.tenancy import Library


class Record(models.Model):
    """A catalogue record (*notice*)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="records")
    title = models.CharField(_("titre"), max_length=500)
    authors = models.CharField(_("auteurs"), max_length=500, blank=True, default="")
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True, default="")
    subjects = models.CharField(_("sujets"), max_length=500, blank=True, default="")
    support = models.CharField(_("support"), max_length=60, blank=True, default="")
    call_number = models.CharField(_("cote"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CopyStatus(models.TextChoices):
    AVAILABLE = "disponible", _("disponible")
    ON_LOAN = "prêté", _("prêté")
    LOST = "perdu", _("perdu")
    IN_REPAIR = "en réparation", _("en réparation")
    EXCLUDED = "exclu du prêt", _("exclu du prêt")


class Copy(models.Model):
    """A copy (*exemplaire*) of a record, with its barcode."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="copies")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="copies")
    barcode = models.CharField(_("code-barre"), max_length=40)
    status = models.CharField(_("statut"), max_length=20, choices=CopyStatus.choices,
                              default=CopyStatus.AVAILABLE)

    class Meta:
        verbose_name = _("exemplaire")
        verbose_name_plural = _("exemplaires")
        ordering = ["barcode"]
        constraints = [
            models.UniqueConstraint(fields=["library", "barcode"], name="library_copy_unique_barcode"),
        ]

    def __str__(self) -> str:
        return self.barcode
