"""The one way to record who did what in a library (``LibraryEvent``), whatever the capability.

Every service that changes state calls ``event_record`` inside its own transaction, so the line
and the change are committed together or not at all (Zulip's ``do_*`` actions and their
``RealmAuditLog``). ``acting_user`` is a required keyword of every such service: a page passes
``request.user``, a command passes ``None`` (or the account named by ``--actor``), and nobody can
forget to say who acted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sesame.library.models import Borrower, Copy, Library, LibraryEvent

DETAIL_LENGTH = LibraryEvent._meta.get_field("detail").max_length


def actor_of(acting_user):
    """The user to record, or None for a command, a test or an anonymous request."""
    return acting_user if getattr(acting_user, "pk", None) is not None else None


def event_record(
    *, library: Library, action: str, acting_user, now: datetime, borrower: Borrower | None = None,
    copy: Copy | None = None, detail: str = "", data: Mapping[str, Any] | None = None,
) -> LibraryEvent:
    """One line of the library's journal, in the caller's transaction."""
    return LibraryEvent.objects.create(
        library=library, at=now, actor=actor_of(acting_user), action=action, borrower=borrower,
        copy=copy, detail=detail[:DETAIL_LENGTH], data=dict(data or {}),
    )
