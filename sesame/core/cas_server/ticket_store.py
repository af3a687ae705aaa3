"""Spending a service ticket: one ``UPDATE … WHERE consumed_at IS NULL … RETURNING`` statement.

CAS 3.0 §3.1.1: a service ticket MUST be valid for one validation attempt only, successful or
not. The statement both spends the ticket and returns what the validation answers, so exactly one
caller gets the row even when several validations of one ticket arrive at the same instant on
several nodes (PostgreSQL locks the row; SQLite serialises writers). A row count read after the
statement would not do: it belongs to the connection, not to the statement. ``RETURNING`` is
supported by PostgreSQL and by SQLite since 3.35, the two databases Sésame runs on; the ORM has no
``update … returning``, hence this module's SQL.

Each CAS server passes its own concrete service ticket model (a subclass of
``AbstractServiceTicket``); table and column names are read from it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import connection

from .models import AbstractServiceTicket


def _sql(model: type[AbstractServiceTicket], template: str) -> str:
    quote = connection.ops.quote_name
    columns = {field.name: quote(field.column) for field in model._meta.concrete_fields}
    return template.format(table=quote(model._meta.db_table), **columns)


_WIN = (
    "UPDATE {table} SET {consumed_at} = %s, {validated} = %s "
    "WHERE {value} = %s AND {consumed_at} IS NULL AND {service} = %s AND {created_at} >= %s{renew} "
    "RETURNING {principal}, {attributes}, {tgt}, {registered_service}"
)
_SPEND = "UPDATE {table} SET {consumed_at} = %s WHERE {value} = %s AND {consumed_at} IS NULL RETURNING {id}"


def _moment(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def consume_if_valid(
    *, model: type[AbstractServiceTicket], ticket: str, service: str, now: datetime, oldest: datetime,
    renew: bool,
) -> tuple[str, dict[str, list[str]], int, int] | None:
    """Spend the ticket if it is unspent, for ``service``, issued at or after ``oldest`` and, with
    ``renew``, from a new login; then (principal, attributes, TGT id, registered service id)."""
    renew_sql = " AND {from_new_login} = %s" if renew else ""
    params: list[Any] = [_moment(now), True, ticket, service, _moment(oldest)] + ([True] if renew else [])
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, _WIN.replace("{renew}", renew_sql)), params)
        rows = cursor.fetchall()
    if not rows:
        return None
    principal, attributes, tgt_id, service_id = rows[0]
    if isinstance(attributes, str):  # SQLite gives JSON text, PostgreSQL a decoded value
        attributes = json.loads(attributes)
    return principal, attributes, tgt_id, service_id


def consume(*, model: type[AbstractServiceTicket], ticket: str, now: datetime) -> bool:
    """Spend the ticket whatever it is for; True when this call spent it."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, _SPEND), [_moment(now), ticket])
        return bool(cursor.fetchall())
