"""What the librarian is told (seed C7: "BCDI vous en informera"), and the borrower by e-mail.

Everything here runs inside the caller's ``transaction.atomic()`` and writes nothing outside
it; mail leaves only ``on_commit``, so a refused or rolled-back operation writes to nobody.
"the librarian is told when the last loan of a temporary user is closed" must hold whether the
loan was returned, closed as lost or handed to another borrower, so it lives here once
(``temporary_user_check_cleared``), for the desk and the temporary users' services alike.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from sesame.library.circulation.rules import borrower_label
from sesame.library.models import AlertKind, Borrower, LibrarianAlert, Library, Loan

logger = logging.getLogger(__name__)


def alert_send(
    *, library: Library, kind: str, message: str, now: datetime, borrower: Borrower | None = None,
    mail_subject: str = "", mail_body: str = "",
) -> LibrarianAlert:
    """Tell the librarian (an in-app notice) and, with a subject, the borrower by e-mail.

    The e-mail leaves after the commit, so a rolled-back operation sends nothing; a mail server
    that fails is logged and does not undo what was done at the desk.
    """
    notice = LibrarianAlert.objects.create(library=library, kind=kind, message=message, borrower=borrower,
                                          created_at=now)
    address = borrower.email.strip() if borrower is not None else ""
    if mail_subject and address:
        def deliver() -> None:
            try:
                send_mail(mail_subject, mail_body or message, settings.DEFAULT_FROM_EMAIL, [address])
            except Exception:  # the desk operation is done; the notice is the record
                logger.exception("Courriel non envoyé (avis %s)", notice.pk)

        transaction.on_commit(deliver)
    return notice


def temporary_user_check_cleared(*, borrower: Borrower | None, now: datetime) -> bool:
    """Seed C7: "une fois tous les prêts en cours d'un usager temporaire clôturés, BCDI vous en
    informera. Vous pourrez supprimer sa fiche". True (and a notice) when that just happened.

    Call it after the loan was closed or moved, in the same transaction.
    """
    if borrower is None or not borrower.is_temporary:
        return False
    if Loan.objects.filter(borrower=borrower, returned_on__isnull=True).exists():
        return False
    alert_send(
        library=borrower.library, kind=AlertKind.TEMPORARY_USER_CLEARED, borrower=borrower, now=now,
        message=(f"{borrower_label(borrower)}, usager temporaire, n'a plus de prêt en cours : "
                 "sa fiche peut maintenant être supprimée."),
    )
    return True


def alerts(*, library: Library, unread_only: bool = False):
    """The library's notices, newest first, with the borrower they concern (None once deleted)."""
    rows = LibrarianAlert.objects.filter(library=library).select_related("borrower")
    return rows.filter(is_read=False) if unread_only else rows


def alerts_mark_read(*, library: Library, alert_ids: list[int]) -> int:
    """Mark notices of this library as read; returns how many changed (others' ids are ignored)."""
    with transaction.atomic():
        unread = LibrarianAlert.objects.filter(library=library, pk__in=alert_ids, is_read=False)
        return unread.update(is_read=True)
