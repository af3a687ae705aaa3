"""Row locks, written once: what every service takes before it reads what it is about to change.

``select_for_update(of=SELF)`` locks only the row asked for: joined rows (record, library) are
read, not locked, so desks of one library do not queue behind each other, and PostgreSQL refuses
to lock the nullable side of an outer join. On SQLite the whole base is locked by the write
transaction (``transaction_mode=IMMEDIATE``), which gives the same guarantees.
"""

from __future__ import annotations

from django.db.models import QuerySet

SELF = ("self",)


def one(queryset: QuerySet):
    """The single row a unique condition selects, or None.

    ``get()`` rather than ``first()``: it drops the models' default ordering, which only costs
    time when the condition (a primary key, a unique constraint) allows one row at most.
    """
    try:
        return queryset.get()
    except queryset.model.DoesNotExist:
        return None
