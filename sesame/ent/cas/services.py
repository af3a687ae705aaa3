"""Changes of the CAS server's state: ticket-granting tickets, service tickets, the registry.

Each change is one transaction. Validation spends a service ticket with one conditional
``UPDATE … RETURNING`` (``sesame.core.cas_server.ticket_store``), atomic on its own: exactly one
validation wins, and the ticket is spent whatever the outcome (CAS 3.0 §3.1.1). Nothing here logs
a ticket value.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from sesame.core.cas_server import clock
from sesame.core.cas_server.conf import CasSettings
from sesame.core.cas_server.single_logout import LogoutNotice, notices_send_in_background
from sesame.core.cas_server.ticket_store import consume, consume_if_valid
from sesame.interop.cas import (
    PROXY_TICKET_PREFIX,
    SERVICE_TICKET_PREFIX,
    TICKET_GRANTING_TICKET_PREFIX,
    CasError,
    InvalidProxyCallbackError,
    InvalidRequestError,
    InvalidServiceError,
    InvalidTicketError,
    InvalidTicketSpecError,
    ServiceDefinition,
    UnauthorizedServiceProxyError,
    ValidationSuccess,
    is_expired,
    is_well_formed,
    new_ticket,
)

from ..models import Establishment, Person
from .attributes import person_attributes, released_attributes
from .conf import cas_settings
from .models import RegisteredService, ServiceTicket, TicketGrantingTicket

logger = logging.getLogger(__name__)

# last_used_at is written at most this often: the idle lifetime is counted in hours.
_TOUCH_INTERVAL_SECONDS = 60


class ServicePrincipalMissingError(Exception):
    """The person has no value for the attribute the service takes as principal (e.g. no e-mail)."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute
        super().__init__(attribute)


def tgt_is_expired(*, tgt: TicketGrantingTicket, now: datetime, config: CasSettings) -> bool:
    """Hard and idle lifetimes of §3.8.1 (2 h idle, 8 h in all by default)."""
    return now >= tgt.expires_at or is_expired(tgt.last_used_at, now, config.tgt_idle_lifetime)


def _identity(user, person: Person | None) -> tuple[str, dict[str, list[str]]]:
    if person is None:
        return "", {}
    attributes = person_attributes(person, username=user.get_username())
    return person.establishment.uai, {name: list(values) for name, values in attributes.items()}


def tgt_create(*, user, person: Person | None) -> TicketGrantingTicket:
    """A new single sign-on for ``user``: a fresh random value, so the cookie rotates at login (§3.6.1)."""
    now = clock.now()
    establishment_uai, attributes = _identity(user, person)
    return TicketGrantingTicket.objects.create(
        value=new_ticket(TICKET_GRANTING_TICKET_PREFIX),
        user=user,
        created_at=now,
        last_used_at=now,
        expires_at=now + cas_settings().tgt_max_lifetime,
        establishment_uai=establishment_uai,
        attributes=attributes,
    )


def tgt_rotate(*, tgt: TicketGrantingTicket, person: Person | None) -> TicketGrantingTicket:
    """A new login by the same person keeps the single sign-on's history but changes its value
    and reads the person's attributes again."""
    tgt.value = new_ticket(TICKET_GRANTING_TICKET_PREFIX)
    tgt.last_used_at = clock.now()
    tgt.establishment_uai, tgt.attributes = _identity(tgt.user, person)
    tgt.save(update_fields=["value", "last_used_at", "establishment_uai", "attributes"])
    return tgt


def tgt_open(*, user, person: Person | None, previous: TicketGrantingTicket | None) -> TicketGrantingTicket:
    """The single sign-on after a successful login: the browser's previous one, rotated, when it was
    the same person's; otherwise a new one, the other person's being ended first (§3.6.1, §3.8.1)."""
    with transaction.atomic():
        if previous is not None and previous.user_id == user.pk:
            return tgt_rotate(tgt=previous, person=person)
        if previous is not None:
            tgt_destroy(tgt=previous)
        return tgt_create(user=user, person=person)


def tgt_touch(*, tgt: TicketGrantingTicket, now: datetime) -> None:
    if (now - tgt.last_used_at).total_seconds() >= _TOUCH_INTERVAL_SECONDS:
        TicketGrantingTicket.objects.filter(pk=tgt.pk).update(last_used_at=now)
        tgt.last_used_at = now


def tgt_destroy(*, tgt: TicketGrantingTicket) -> int:
    """End a single sign-on (§3.8.1): its unvalidated service tickets die with it, and every service
    that validated one and asked for single log-out is told, after the commit (§2.3.3).

    Returns the number of log-out requests scheduled.
    """
    config = cas_settings()
    with transaction.atomic():
        validated = (
            ServiceTicket.objects.filter(tgt=tgt, validated=True, registered_service__single_logout=True)
            .select_related("registered_service")
            .order_by("pk")
        )
        notices = [
            LogoutNotice(service_url=st.service, service_name=st.registered_service.name,
                         session_index=st.value)
            for st in validated
        ]
        TicketGrantingTicket.objects.filter(pk=tgt.pk).delete()
        transaction.on_commit(
            lambda: notices_send_in_background(notices, timeout=config.single_logout_timeout)
        )
    logger.info("CAS single sign-on ended for user #%s (%d log-out request(s))", tgt.user_id, len(notices))
    return len(notices)


def service_ticket_issue(
    *, tgt: TicketGrantingTicket, service_url: str, service: ServiceDefinition, from_new_login: bool
) -> str:
    """A service ticket for ``service_url`` (§3.1), bound to that exact URL and to the single sign-on.

    The principal and the attributes the registry releases to that service are fixed now (§2.5.5);
    ``ServicePrincipalMissingError`` when the person lacks the principal attribute.
    """
    attributes = tgt.attributes
    principal = attributes.get(service.principal_attribute, ())
    if not principal:
        raise ServicePrincipalMissingError(service.principal_attribute)
    ticket = new_ticket(SERVICE_TICKET_PREFIX)
    ServiceTicket.objects.create(
        value=ticket,
        tgt=tgt,
        service=service_url,
        registered_service_id=service.key,
        created_at=clock.now(),
        from_new_login=from_new_login,
        principal=principal[0],
        attributes=released_attributes(attributes, service.released_attributes),
    )
    logger.info("CAS service ticket issued to user #%s (single sign-on #%s) for service %r",
                tgt.user_id, tgt.pk, service.name)
    return ticket


def service_ticket_validate(
    *, ticket: str, service: str, renew: bool = False, pgt_url: str = ""
) -> ValidationSuccess:
    """Validate and spend a service ticket (§2.4, §2.5, §2.6); raise the ``CasError`` the spec names.

    Order of the checks, after the ticket is spent: unknown or already used, expired (§3.1.1),
    issued for another service (``INVALID_SERVICE``, §2.5.3), not from a new login while ``renew``
    is asked (§2.5.1), then proxying, which no service may do here (§2.5.4).
    """
    now = clock.now()
    if not ticket or not service:
        if ticket:
            consume(model=ServiceTicket, ticket=ticket, now=now)
        raise InvalidRequestError()
    if ticket.startswith(PROXY_TICKET_PREFIX):
        raise InvalidTicketSpecError(
            "Les tickets proxy (PT-) ne sont pas acceptés : ce serveur n'en délivre pas."
        )
    if not is_well_formed(ticket, SERVICE_TICKET_PREFIX):
        raise InvalidTicketError()
    lifetime = cas_settings().service_ticket_lifetime
    if not pgt_url:
        won = consume_if_valid(model=ServiceTicket, ticket=ticket, service=service, now=now,
                               oldest=now - lifetime, renew=renew)
        if won is not None:
            principal, attributes, tgt_id, service_id = won
            logger.info("CAS service ticket validated (single sign-on #%s, service #%s)", tgt_id, service_id)
            return ValidationSuccess(
                user=principal, attributes={name: tuple(values) for name, values in attributes.items()})
    if not consume(model=ServiceTicket, ticket=ticket, now=now):
        raise InvalidTicketError()
    spent = ServiceTicket.objects.get(value=ticket)
    raise _failure(spent, service=service, renew=renew, pgt_url=pgt_url, now=now, lifetime=lifetime)


def _failure(
    spent: ServiceTicket, *, service: str, renew: bool, pgt_url: str, now: datetime, lifetime: timedelta
) -> CasError:
    if is_expired(spent.created_at, now, lifetime):
        return InvalidTicketError("Ticket expiré.")
    if spent.service != service:
        return InvalidServiceError()
    if renew and not spent.from_new_login:
        return InvalidTicketError("Ce ticket ne vient pas d'une nouvelle authentification (renew).")
    if pgt_url and not pgt_url.startswith("https://"):
        return InvalidProxyCallbackError()
    return UnauthorizedServiceProxyError()


def registered_service_save(
    *, service: RegisteredService, establishments: list[Establishment] | None = None
) -> RegisteredService:
    """Create or change a registry entry; tickets issued under the old rules and not yet
    validated are spent, so a service that was just disabled or narrowed cannot use them."""
    with transaction.atomic():
        service.save()
        if establishments is not None:
            service.establishments.set(establishments)
        ServiceTicket.objects.filter(registered_service=service, consumed_at__isnull=True).update(
            consumed_at=clock.now()
        )
    return service


def tickets_purge(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete what can no longer be used: expired TGTs (their tickets go with them) and service
    tickets past their lifetime that were never validated. Validated ones stay while their TGT
    lives, as single log-out needs them. Returns (service tickets, TGTs) deleted."""
    now = now or clock.now()
    config = cas_settings()
    with transaction.atomic():
        expired = Q(expires_at__lte=now) | Q(last_used_at__lt=now - config.tgt_idle_lifetime)
        tgt_ids = list(TicketGrantingTicket.objects.filter(expired).values_list("pk", flat=True))
        tickets_with_tgts = ServiceTicket.objects.filter(tgt_id__in=tgt_ids).count()
        TicketGrantingTicket.objects.filter(pk__in=tgt_ids).delete()
        stale, _ = ServiceTicket.objects.filter(
            validated=False, created_at__lt=now - config.service_ticket_lifetime
        ).delete()
    return stale + tickets_with_tgts, len(tgt_ids)
