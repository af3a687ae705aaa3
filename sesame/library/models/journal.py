"""What the librarian is told, and the journal of who did what."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sesame.library.models.borrowers import Borrower
from sesame.library.models.catalogue import Copy
from sesame.library.models.tenancy import Library


class NoticeKind(models.TextChoices):
    RESERVATION_READY = "reservation_ready", _("réservation disponible")
    TEMPORARY_USER_CLEARED = "temporary_cleared", _("usager temporaire sans prêt")


class LibraryNotice(models.Model):
    """Something the librarian is told (seed C7: "BCDI vous en informera"), listed in the app.

    When the notice concerns a borrower who has an e-mail address (a reservation now ready),
    the borrower is also written to; the notice stays as the librarian's record of it.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    kind = models.CharField(_("type"), max_length=20, choices=NoticeKind.choices)
    message = models.TextField(_("message"))
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notices")
    is_read = models.BooleanField(_("lu"), default=False)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["library", "is_read", "created_at"])]

    def __str__(self) -> str:
        return self.message


class CirculationAction(models.TextChoices):
    CHECKOUT = "checkout", _("prêt")
    RETURN = "return", _("retour")
    RENEW = "renew", _("prolongation")
    RESERVE = "reserve", _("réservation")
    RESERVATION_CANCEL = "reservation_cancel", _("réservation annulée")
    COPY_STATUS = "copy_status", _("statut d'exemplaire")
    LOANS_REASSIGN = "loans_reassign", _("prêts réattribués")
    BORROWER_TYPE = "borrower_type", _("type d'emprunteur")
    BORROWER_DELETE = "borrower_delete", _("fiche supprimée")


class CirculationEvent(models.Model):
    """Who did what at the desk: one row per change made by a circulation service.

    ``detail`` names copies and borrower numbers, never a person, so the journal keeps nothing
    of a borrower once their record is deleted (the ``borrower`` link then becomes empty).
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="circulation_events")
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=CirculationAction.choices)
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    copy = models.ForeignKey(Copy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(_("détail"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("opération de circulation")
        verbose_name_plural = _("opérations de circulation")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.detail}"
