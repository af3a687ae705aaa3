"""The service registry and the tickets of the ENT's CAS server (CAS 3.0 §3).

Tickets live in the database so that several application nodes share them: any node may issue a
service ticket and any other validate it. A service ticket is consumed by one conditional
``UPDATE … WHERE consumed_at IS NULL``, so exactly one validation can ever win (§3.1.1), even when
two arrive at once on two nodes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Establishment
from .attributes import ATTRIBUTE_LABELS, DEFAULT_PRINCIPAL_ATTRIBUTE


class RegisteredService(models.Model):
    """A service allowed to use the ENT's CAS server (§2.2.1), as django-cas-server's ServicePattern."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    pattern = models.CharField(
        _("motif d'adresse"), max_length=500,
        help_text=_("Expression régulière comparée à l'adresse entière du service, par exemple "
                    r"https://0750001a\.esidoc\.fr/.*"),
    )
    establishments = models.ManyToManyField(
        Establishment, blank=True, related_name="+", verbose_name=_("établissements autorisés"),
        help_text=_("Aucun : tous les établissements de l'ENT."),
    )
    principal_attribute = models.CharField(
        _("attribut identifiant"), max_length=40, default=DEFAULT_PRINCIPAL_ATTRIBUTE,
        choices=list(ATTRIBUTE_LABELS.items()),
        help_text=_("La valeur envoyée comme utilisateur CAS (cas:user)."),
    )
    released_attributes = models.JSONField(_("attributs transmis"), default=list, blank=True)
    single_logout = models.BooleanField(
        _("déconnexion unique"), default=True,
        help_text=_("Prévenir le service quand la personne se déconnecte de l'ENT."),
    )
    enabled = models.BooleanField(_("actif"), default=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    evaluation_order = models.PositiveIntegerField(
        _("ordre d'évaluation"), default=100,
        help_text=_("Les motifs sont essayés dans cet ordre ; le premier qui correspond s'applique."),
    )

    class Meta:
        verbose_name = _("service CAS")
        verbose_name_plural = _("services CAS")
        ordering = ["evaluation_order", "pk"]

    def __str__(self) -> str:
        return self.name


class TicketGrantingTicket(models.Model):
    """A browser's single sign-on with the CAS server (§3.8); its value is the ``CASTGC`` cookie (§3.6).

    Who the person is (establishment, attributes) is resolved once, at authentication, and kept
    here, as Apereo keeps it with the authentication: service tickets are issued from it.
    """

    value = models.CharField(max_length=100, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    establishment_uai = models.CharField(max_length=8, blank=True, default="")  # "" outside the directory
    attributes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ticket de session CAS")
        verbose_name_plural = _("tickets de session CAS")

    def __str__(self) -> str:
        return f"TGT #{self.pk}"  # never the value: it is a credential


class ServiceTicket(models.Model):
    """One service ticket (§3.1): valid once, for one service URL, for a few seconds.

    The principal and the released attributes are fixed when the ticket is issued, as the person
    authenticated then (django-cas-server does the same): validation reads one row.
    """

    value = models.CharField(max_length=64, unique=True)
    tgt = models.ForeignKey(TicketGrantingTicket, on_delete=models.CASCADE, related_name="service_tickets")
    service = models.CharField(max_length=2048)
    registered_service = models.ForeignKey(RegisteredService, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    validated = models.BooleanField(default=False)
    from_new_login = models.BooleanField(default=False)
    principal = models.CharField(max_length=256)
    attributes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ticket de service CAS")
        verbose_name_plural = _("tickets de service CAS")

    def __str__(self) -> str:
        return f"ST #{self.pk}"  # never the value
