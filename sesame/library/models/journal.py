"""What the librarian is told, and the journal of who did what."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sesame.library.models.borrowers import Borrower
from sesame.library.models.catalogue import Copy
from sesame.library.models.tenancy import Library


class AlertKind(models.TextChoices):
    RESERVATION_READY = "reservation_ready", _("réservation disponible")
    TEMPORARY_USER_CLEARED = "temporary_cleared", _("usager temporaire sans prêt")


class LibrarianAlert(models.Model):
    """Something the librarian is told (seed C7: "BCDI vous en informera"), listed in the app.

    When the alert concerns a borrower who has an e-mail address (a reservation now ready),
    the borrower is also written to; the alert stays as the librarian's record of it. (The French
    pages call it an *avis*; "notice" is kept for catalogue records, as BCDI says.)
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    kind = models.CharField(_("type"), max_length=20, choices=AlertKind.choices)
    message = models.TextField(_("message"))
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="alerts")
    is_read = models.BooleanField(_("lu"), default=False)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["library", "is_read", "created_at"])]

    def __str__(self) -> str:
        return self.message


class EventAction(models.TextChoices):
    # At the desk (circulation, reservations, temporary users)
    CHECKOUT = "checkout", _("prêt")
    RETURN = "return", _("retour")
    RENEW = "renew", _("prolongation")
    RESERVE = "reserve", _("réservation")
    RESERVATION_CANCEL = "reservation_cancel", _("réservation annulée")
    COPY_STATUS = "copy_status", _("statut d'exemplaire")
    LOANS_REASSIGN = "loans_reassign", _("prêts réattribués")
    # Borrowers
    BORROWER_TYPE = "borrower_type", _("type d'emprunteur")
    BORROWER_DELETE = "borrower_delete", _("fiche supprimée")
    BORROWER_EDIT = "borrower_edit", _("fiche modifiée")
    CHECK_FIX = "check_fix", _("correction avant mise à jour")
    # The borrower update (seed C)
    UPDATE_ANALYSE = "update_analyse", _("mise à jour analysée")
    UPDATE_DECIDE = "update_decide", _("décision de mise à jour")
    UPDATE_ABANDON = "update_abandon", _("mise à jour abandonnée")
    UPDATE_IMPORT = "update_import", _("mise à jour importée")
    UPDATE_UNDO = "update_undo", _("mise à jour annulée")
    # Catalogue
    RECORD_CREATE = "record_create", _("notice créée")
    RECORD_UPDATE = "record_update", _("notice modifiée")
    COPY_ADD = "copy_add", _("exemplaire ajouté")
    COPY_UPDATE = "copy_update", _("exemplaire modifié")
    MARC_IMPORT = "marc_import", _("import de notices")
    # Tools and migration
    RESTORE = "restore", _("restauration")
    ANONYMISE = "anonymise", _("prêts anonymisés")
    BORROWERS_IMPORT = "borrowers_import", _("import d'emprunteurs")
    LOANS_IMPORT = "loans_import", _("import de prêts")


class LibraryEvent(models.Model):
    """The library's one audit trail: who did what, one row per state change, by any service.

    Written by ``common.audit.event_record`` in the transaction of the change it records, so
    a rolled-back change leaves no line. ``actor`` is empty for a command or once the account is
    deleted. ``detail`` names copies, records and borrower numbers, never a person, so the
    journal keeps nothing of a borrower once their record is deleted (the ``borrower`` link
    then becomes empty); ``data`` holds what a program may read back (a run, counts).
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    borrower = models.ForeignKey(Borrower, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    copy = models.ForeignKey(Copy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(_("détail"), max_length=300, blank=True, default="")
    data = models.JSONField(_("données"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ligne du journal")
        verbose_name_plural = _("lignes du journal")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["library", "action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.detail}"
