"""One borrower update from the ENT file (seed C), kept for its report and its undo."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sesame.library.models.tenancy import Library


class UpdateRun(models.Model):
    """One borrower update from the ENT file: its analysis, the librarian's decisions, what it did.

    The file itself is kept so the analysis can be recomputed after each decision; ``journal``
    holds the before-image of everything the import changed, which is what "Annuler la dernière
    mise à jour" restores.
    """

    class State(models.TextChoices):
        ANALYSED = "analysed", _("analysée")
        APPLIED = "applied", _("importée")
        UNDONE = "undone", pgettext_lazy("update", "annulée")
        ABANDONED = "abandoned", _("abandonnée")

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="update_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ANALYSED)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_content = models.BinaryField()
    lot_expression = models.CharField(max_length=500, blank=True, default="")
    options = models.JSONField(default=dict)
    resolutions = models.JSONField(default=dict)
    suggestion_decisions = models.JSONField(default=dict)
    base_fingerprint = models.CharField(max_length=64)
    plan = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_fingerprint = models.CharField(max_length=64, blank=True, default="")
    journal = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    report_rtf = models.BinaryField(default=b"")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mise à jour des emprunteurs")
        verbose_name_plural = _("mises à jour des emprunteurs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.library.uai} {self.created_at:%Y-%m-%d %H:%M} ({self.get_state_display()})"
