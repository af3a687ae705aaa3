"""Abstract ticket models of a CAS server (CAS 3.0 §3.1, §3.8); each server keeps its own tables.

Tickets live in the database so that several application nodes share them: any node may issue a
service ticket and any other validate it. The concrete models live in each server's app, with
their migrations; these bases hold the fields the shared pieces (``ticket_store``) rely on.

A concrete ``ServiceTicket`` points at the ``TicketGrantingTicket`` and the ``RegisteredService``
of its own app: an abstract model's relation named without an app label is resolved in the app of
each concrete subclass (Django's documented rule), so each server names its models that way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AbstractTicketGrantingTicket(models.Model):
    """A browser's single sign-on with the CAS server (§3.8); its value is the ``CASTGC`` cookie (§3.6)."""

    value = models.CharField(max_length=100, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    attributes = models.JSONField(default=dict)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"TGT #{self.pk}"  # never the value: it is a credential


class AbstractServiceTicket(models.Model):
    """One service ticket (§3.1): valid once, for one service URL, for a few seconds.

    The principal and the released attributes are fixed when the ticket is issued, as the person
    authenticated then (django-cas-server does the same): validation reads one row.
    """

    value = models.CharField(max_length=64, unique=True)
    tgt = models.ForeignKey("TicketGrantingTicket", on_delete=models.CASCADE, related_name="service_tickets")
    service = models.CharField(max_length=2048)
    registered_service = models.ForeignKey("RegisteredService", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    validated = models.BooleanField(default=False)
    from_new_login = models.BooleanField(default=False)
    principal = models.CharField(max_length=256)
    attributes = models.JSONField(default=dict)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"ST #{self.pk}"  # never the value
