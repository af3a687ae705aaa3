"""Borrowers (*emprunteurs*) as BCDI keeps them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sesame.library.models.tenancy import Library


class BorrowerType(models.TextChoices):
    REGULAR = "Usager", _("Usager")
    TEMPORARY = "Usager temporaire", _("Usager temporaire")


class Borrower(models.Model):
    """An *emprunteur*: "NOM Prénom" in one string, as BCDI keeps it."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="borrowers")
    number = models.PositiveIntegerField(_("N° emprunteur"))
    name = models.CharField(_("emprunteur"), max_length=200)
    status = models.CharField(_("statut"), max_length=60, blank=True, default="")
    school_class = models.CharField(_("classe"), max_length=40, blank=True, default="")
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.CharField(_("courriel"), max_length=254, blank=True, default="")
    borrower_type = models.CharField(
        _("type d'emprunteur"), max_length=20, choices=BorrowerType.choices, default=BorrowerType.REGULAR
    )
    # The hidden "Identité ENT": stored by the update, it makes the next update unambiguous.
    ent_identity = models.CharField(_("identité ENT"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("emprunteur")
        verbose_name_plural = _("emprunteurs")
        ordering = ["name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["library", "number"], name="library_borrower_unique_number"),
            models.UniqueConstraint(
                fields=["library", "ent_identity"], condition=~Q(ent_identity=""),
                name="library_borrower_unique_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (n° {self.number})"

    @property
    def is_temporary(self) -> bool:
        return self.borrower_type == BorrowerType.TEMPORARY
