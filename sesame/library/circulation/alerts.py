"""What the librarian is told (seed C7: "BCDI vous en informera"), and the borrower by e-mail.

Everything here runs inside the caller's ``transaction.atomic()`` and writes nothing outside
it; mail leaves only ``on_commit``, so a refused or rolled-back operation writes to nobody.
"the librarian is told when the last loan of a temporary user is closed" must hold whether the
loan was returned, closed as lost or handed to another borrower, so it lives here once
(``temporary_user_check_cleared``), for the desk and the temporary users' services alike.

Languages: ``LibrarianAlert.message`` keeps the French text of the alert, whoever was signed in
(it is the library's record, as the journal's ``detail`` is: the admin, the backups and the
e-mail read it as it is). The pages show an alert in the reader's language with ``alert_text``:
each kind has one French template (``ALERT_TEXTS``), whose values are read back from the stored
text and put into the translated template. A text that matches no template (written by hand, or
by an older version) is shown as it was stored. No column is needed for that.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sesame.library.models import AlertKind, Borrower, LibrarianAlert, Library, Loan

logger = logging.getLogger(__name__)

ALERT_TEXTS = {
    AlertKind.RESERVATION_READY: gettext_noop(
        "Réservation disponible : « %(title)s » (exemplaire %(barcode)s) est mis de côté pour %(name)s "
        "(n° %(number)s)."),
    AlertKind.TEMPORARY_USER_CLEARED: gettext_noop(
        "%(name)s (n° %(number)s), usager temporaire, n'a plus de prêt en cours : sa fiche peut "
        "maintenant être supprimée."),
}


def _pattern(template: str) -> re.Pattern:
    """The stored French text of ``template`` as a pattern that gives its values back."""
    parts = re.split(r"%\((\w+)\)s", template)
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>{'[0-9]+' if part == 'number' else '.+?'})"
        for index, part in enumerate(parts))
    return re.compile(pattern, re.S)


_PATTERNS = {kind: _pattern(template) for kind, template in ALERT_TEXTS.items()}


def alert_text(alert: LibrarianAlert) -> str:
    """The alert as the reader reads it: translated when the page is not in French."""
    template = ALERT_TEXTS.get(alert.kind)
    translated = _(template) if template else ""
    if not template or translated == template:
        return alert.message
    found = _PATTERNS[alert.kind].fullmatch(alert.message)
    return translated % found.groupdict() if found else alert.message


def alert_send(
    *, library: Library, kind: str, values: Mapping[str, object], now: datetime,
    borrower: Borrower | None = None, mail_subject: str = "", mail_body: str = "",
) -> LibrarianAlert:
    """Tell the librarian (an in-app alert, French text of ``kind`` with ``values``) and, with a
    subject, the borrower by e-mail.

    The e-mail leaves after the commit, so a rolled-back operation sends nothing; a mail server
    that fails is logged and does not undo what was done at the desk.
    """
    message = ALERT_TEXTS[kind] % values
    alert = LibrarianAlert.objects.create(library=library, kind=kind, message=message, borrower=borrower,
                                          created_at=now)
    address = borrower.email.strip() if borrower is not None else ""
    if mail_subject and address:
        def deliver() -> None:
            try:
                send_mail(mail_subject, mail_body or message, settings.DEFAULT_FROM_EMAIL, [address])
            except Exception:  # the desk operation is done; the alert is the record
                logger.exception("Courriel non envoyé (avis %s)", alert.pk)

        transaction.on_commit(deliver)
    return alert


def temporary_user_check_cleared(*, borrower: Borrower | None, now: datetime) -> bool:
    """Seed C7: "une fois tous les prêts en cours d'un usager temporaire clôturés, BCDI vous en
    informera. Vous pourrez supprimer sa fiche". True (and an alert) when that just happened.

    Call it after the loan was closed or moved, in the same transaction.
    """
    if borrower is None or not borrower.is_temporary:
        return False
    if Loan.objects.open().filter(borrower=borrower).exists():
        return False
    alert_send(library=borrower.library, kind=AlertKind.TEMPORARY_USER_CLEARED, borrower=borrower, now=now,
               values={"name": borrower.name, "number": borrower.number})
    return True


def alerts_mark_read(*, library: Library, alert_ids: list[int]) -> int:
    """Mark alerts of this library as read; returns how many changed (others' ids are ignored).

    Not journalled: reading an alert changes nothing of the library, only the librarian's list.
    """
    with transaction.atomic():
        unread = LibrarianAlert.objects.filter(library=library, pk__in=alert_ids, is_read=False)
        return unread.update(is_read=True)
