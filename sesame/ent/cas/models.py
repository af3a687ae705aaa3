"""The service registry and the tickets of the ENT's CAS server (CAS 3.0 §3).

Tickets live in the database so that several application nodes share them: any node may issue a
service ticket and any other validate it. A service ticket is consumed by one conditional
``UPDATE … WHERE consumed_at IS NULL``, so exactly one validation can ever win (§3.1.1), even when
two arrive at once on two nodes. The ticket fields come from the abstract bases in
``sesame.core.cas_server.models``, which a second CAS server shares.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sesame.core.cas_server.models import AbstractServiceTicket, AbstractTicketGrantingTicket

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


class TicketGrantingTicket(AbstractTicketGrantingTicket):
    """A browser's single sign-on with the ENT's CAS server (§3.8).

    Who the person is (establishment, attributes) is resolved once, at authentication, and kept
    here, as Apereo keeps it with the authentication: service tickets are issued from it.
    """

    establishment_uai = models.CharField(max_length=8, blank=True, default="")  # "" outside the directory

    class Meta:
        verbose_name = _("ticket de session CAS")
        verbose_name_plural = _("tickets de session CAS")


class ServiceTicket(AbstractServiceTicket):
    """A service ticket of the ENT's CAS server (§3.1), for a ``RegisteredService`` of this app."""

    class Meta:
        verbose_name = _("ticket de service CAS")
        verbose_name_plural = _("tickets de service CAS")
