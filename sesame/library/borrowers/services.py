"""Changes to a borrower's record: what the librarian corrects by hand, and the type (SPEC §2, seed C7).

Both are for every borrower, whoever they are. Same conventions as every library service:
keyword-only, one transaction, the row locked before it is read, ``acting_user`` required and
written to the journal with the change, ``BorrowerRefused(message, code)`` with nothing changed.

The seed's rule on the type lives here, once: "Il est impossible de modifier le champ « Type
emprunteur » d'un usager temporaire". A temporary user stops being one only by leaving: their
loans are returned, closed or reassigned (``temporary_users``), then the record is deleted.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sesame.core import clock
from sesame.library.borrowers.errors import BorrowerRefused
from sesame.library.common.audit import event_record
from sesame.library.common.locking import one
from sesame.library.models import Borrower, BorrowerType, EventAction, Library

TEMPORARY_TYPE_MESSAGE = gettext_lazy("Le type d'emprunteur d'un usager temporaire ne peut pas être modifié.")

# The fields ``borrower_edit`` writes, as the journal names them (never their values: a name).
# The journal is kept in French, as the other lines are, whatever language the librarian reads.
EDITED_FIELDS = {"name": "nom", "status": "statut", "school_class": "classe",
                 "birth_date": "date de naissance", "email": "courriel"}


def _unknown_number(number: int) -> BorrowerRefused:
    return BorrowerRefused(
        _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.") % {"number": number},
        "unknown_borrower",
    )


def borrower_type_change(
    *, borrower: Borrower, borrower_type: str, acting_user, now: datetime | None = None,
) -> Borrower:
    """Set *Type d'emprunteur*; refused for an *usager temporaire* (seed C7).

    Setting the type it already has changes nothing and records nothing.
    Refused: ``unknown_borrower`` (deleted meanwhile), ``temporary_type``, ``bad_type``.
    """
    now = now or clock.now()
    with transaction.atomic():
        locked = one(Borrower.objects.select_for_update().filter(pk=borrower.pk))
        if locked is None:
            raise BorrowerRefused(_("Cet emprunteur n'existe pas (ou plus) dans cette bibliothèque."),
                                  "unknown_borrower")
        if locked.borrower_type == borrower_type:
            return locked
        if locked.is_temporary:
            raise BorrowerRefused(TEMPORARY_TYPE_MESSAGE, "temporary_type")
        if borrower_type not in BorrowerType.values:
            raise BorrowerRefused(_("Type d'emprunteur inconnu : « %(type)s ».") % {"type": borrower_type},
                                  "bad_type")
        before = locked.borrower_type
        locked.borrower_type = borrower_type
        locked.save(update_fields=["borrower_type", "updated_at"])
        event_record(library=locked.library, action=EventAction.BORROWER_TYPE, acting_user=acting_user,
                     now=now, borrower=locked, detail=f"n° {locked.number} : {before} → {borrower_type}")
    return locked


def borrower_edit(
    *, library: Library, number: int, name: str, status: str, school_class: str,
    birth_date: date | None, email: str, borrower_type: str | None = None, acting_user,
    now: datetime | None = None,
) -> Borrower:
    """Save what the librarian typed on a borrower's record, in one transaction.

    ``borrower_type`` None leaves the type alone; any other value goes through
    ``borrower_type_change``, whose refusal undoes the whole edit. The journal gets one
    ``borrower_edit`` line naming the fields changed (and the type change its own line); an edit
    that changes nothing writes nothing, so it cannot make an update analysis stale.
    Refused: ``unknown_borrower``, and those of ``borrower_type_change``.
    """
    now = now or clock.now()
    typed = {"name": name, "status": status, "school_class": school_class, "birth_date": birth_date,
             "email": email}
    with transaction.atomic():
        borrower = one(Borrower.objects.select_for_update().filter(library=library, number=number))
        if borrower is None:  # deleted meanwhile (by an update, say)
            raise _unknown_number(number)
        if borrower_type is not None:
            borrower = borrower_type_change(borrower=borrower, borrower_type=borrower_type,
                                            acting_user=acting_user, now=now)
        changed = [field for field, value in typed.items() if getattr(borrower, field) != value]
        if not changed:
            return borrower
        for field in changed:
            setattr(borrower, field, typed[field])
        borrower.save(update_fields=[*changed, "updated_at"])
        event_record(library=library, action=EventAction.BORROWER_EDIT, acting_user=acting_user, now=now,
                     borrower=borrower, data={"fields": changed},
                     detail=f"n° {number} : {', '.join(EDITED_FIELDS[field] for field in changed)}")
    return borrower
