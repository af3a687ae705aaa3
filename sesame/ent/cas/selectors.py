"""Reads of the CAS registry and tickets. Views and commands call these, not the models."""

from __future__ import annotations

import logging
import threading

from django.db import connection
from django.db.models import Q, QuerySet

from sesame.interop.cas import (
    InvalidPatternError,
    ServiceDefinition,
    compile_linear,
    find_service,
    matching_services,
)

from ..models import Establishment
from .models import RegisteredService, TicketGrantingTicket

logger = logging.getLogger(__name__)

_registry_cache: tuple[tuple, list[ServiceDefinition]] | None = None
_registry_lock = threading.Lock()


def service_definitions() -> list[ServiceDefinition]:
    """The enabled services, in evaluation order, as the pure matching rule wants them.

    Every login reads the registry, so this process keeps it and reloads it only when its
    fingerprint (row count, last change, highest id: one small aggregate query) differs; a change
    made on any node is therefore seen by the next request everywhere.
    """
    global _registry_cache
    fingerprint = _registry_fingerprint()
    cached = _registry_cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _registry_lock:
        definitions = _load_definitions()
        _registry_cache = (fingerprint, definitions)
    return definitions


def _registry_fingerprint() -> tuple:
    """(rows, last change, highest id) of the registry, in the cheapest query there is."""
    quote = connection.ops.quote_name
    sql = "SELECT COUNT(*), MAX({updated}), MAX({id}) FROM {table}".format(  # noqa: S608 — names only
        updated=quote("updated_at"), id=quote("id"), table=quote(RegisteredService._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _load_definitions() -> list[ServiceDefinition]:
    """Patterns were checked when saved; one that no longer compiles (saved before patterns went
    through RE2, or an upgrade) is skipped rather than allowed to match anything."""
    services = (
        RegisteredService.objects.filter(enabled=True)
        .prefetch_related("establishments")
        .order_by("evaluation_order", "pk")
    )
    definitions = []
    for service in services:
        try:
            pattern = compile_linear(service.pattern)
        except InvalidPatternError:
            logger.warning("CAS service %s skipped: its pattern does not compile with RE2", service.pk)
            continue
        definitions.append(
            ServiceDefinition(
                key=service.pk,
                name=service.name,
                pattern=pattern,
                establishments=frozenset(e.uai for e in service.establishments.all()),
                principal_attribute=service.principal_attribute,
                released_attributes=tuple(service.released_attributes or ()),
                single_logout=service.single_logout,
            )
        )
    return definitions


def service_matches(*, url: str) -> list[ServiceDefinition]:
    """Every enabled service whose pattern matches the whole ``url`` (empty for an unsafe URL)."""
    return matching_services(service_definitions(), url)


def service_for_establishment(*, url: str, establishment: Establishment) -> ServiceDefinition | None:
    return find_service(service_definitions(), url, establishment=establishment.uai)


def registered_service_list(*, establishment: Establishment) -> QuerySet[RegisteredService]:
    """Services open to ``establishment``: its own ones and those open to every establishment."""
    return (
        RegisteredService.objects.filter(Q(establishments=establishment) | Q(establishments=None))
        .distinct()
        .prefetch_related("establishments")
        .order_by("evaluation_order", "pk")
    )


def registered_service_is_editable(*, service: RegisteredService, establishment: Establishment) -> bool:
    """A school's administration edits only the services restricted to that school alone."""
    return [e.pk for e in service.establishments.all()] == [establishment.pk]


def tgt_get(*, value: str) -> TicketGrantingTicket | None:
    """The ticket-granting ticket of a ``CASTGC`` cookie."""
    if not value:
        return None
    return next(iter(TicketGrantingTicket.objects.filter(value=value)[:1]), None)
