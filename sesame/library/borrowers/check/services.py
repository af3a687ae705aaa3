"""The fixes of "Vérifier avant la première mise à jour", one transaction each (seed C).

Each takes the rows it changes locked, refuses bad input with a translated message and a code
(``CheckRefused``) before anything is written, and records one ``check_fix`` line in the journal
with the librarian who made it: a rename can touch hundreds of records at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.borrowers.check.selectors import STATUS_MAX_LENGTH, comma_fixed
from sesame.library.borrowers.errors import CheckRefused
from sesame.library.common.audit import event_record
from sesame.library.common.locking import one
from sesame.library.models import Borrower, EventAction, Library


def _status_checked(status: str) -> str:
    status = " ".join(status.split())
    if not status:
        raise CheckRefused(_("Indiquez le statut à enregistrer : il ne peut pas être vide."), "empty_status")
    if len(status) > STATUS_MAX_LENGTH:
        raise CheckRefused(_("Un statut compte %(max)d caractères au plus.") % {"max": STATUS_MAX_LENGTH},
                           "status_too_long")
    return status


def status_rename(*, library: Library, old: str, new: str, acting_user, now: datetime | None = None) -> int:
    """Give every borrower whose status is exactly ``old`` the status ``new``; return how many."""
    now = now or clock.now()
    new = _status_checked(new)
    if new == old:
        raise CheckRefused(_("« %(status)s » est déjà écrit ainsi : rien à remplacer.") % {"status": old},
                           "same_status")
    with transaction.atomic():
        rows = Borrower.objects.select_for_update().filter(library=library, status=old)
        ids = list(rows.values_list("pk", flat=True))
        if not old or not ids:
            raise CheckRefused(_("Aucun emprunteur n'a le statut « %(status)s ».") % {"status": old},
                               "unknown_status")
        count = Borrower.objects.filter(pk__in=ids).update(status=new, updated_at=now)
        event_record(library=library, action=EventAction.CHECK_FIX, acting_user=acting_user, now=now,
                     detail=f"statut « {old} » → « {new} » : {count} fiche(s)",
                     data={"fix": "status_rename", "old": old, "new": new, "count": count})
    return count


def borrower_status_set(
    *, library: Library, number: int, status: str, acting_user, now: datetime | None = None,
) -> Borrower:
    """Fill in the empty status of one borrower; a status typed meanwhile is not overwritten."""
    now = now or clock.now()
    status = _status_checked(status)
    with transaction.atomic():
        borrower = one(Borrower.objects.select_for_update().filter(library=library, number=number))
        if borrower is None:
            raise CheckRefused(_("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.")
                               % {"number": number}, "unknown_borrower")
        if borrower.status.strip():
            raise CheckRefused(
                _("Le statut de %(name)s (n° %(number)s) est déjà « %(status)s » : rechargez la page.")
                % {"name": borrower.name, "number": number, "status": borrower.status}, "status_not_empty",
            )
        borrower.status = status
        borrower.save(update_fields=["status", "updated_at"])
        event_record(library=library, action=EventAction.CHECK_FIX, acting_user=acting_user, now=now,
                     borrower=borrower, detail=f"n° {number} : statut « {status} »",
                     data={"fix": "status_set", "number": number, "status": status})
    return borrower


def borrower_names_fix_comma(
    *, library: Library, numbers: Sequence[int], acting_user, now: datetime | None = None,
) -> list[Borrower]:
    """"NOM, Prénom" becomes "NOM Prénom" for these borrowers, all or none.

    The numbers are those the page showed, so a name changed meanwhile (or a number that is not
    this library's) refuses the whole fix instead of touching what the librarian did not see.
    """
    now = now or clock.now()
    if not numbers:
        raise CheckRefused(_("Aucun emprunteur à corriger."), "nothing_to_fix")
    with transaction.atomic():
        borrowers = list(Borrower.objects.select_for_update().filter(library=library, number__in=numbers))
        found = {borrower.number for borrower in borrowers}
        missing = [number for number in numbers if number not in found]
        if missing:
            raise CheckRefused(
                _("Aucun emprunteur n'a le numéro %(number)s dans cette bibliothèque.")
                % {"number": ", ".join(map(str, missing[:5]))}, "unknown_borrower",
            )
        without = [borrower for borrower in borrowers if "," not in borrower.name]
        if without:
            names = ", ".join(f"{borrower.name} (n° {borrower.number})" for borrower in without[:5])
            raise CheckRefused(_("Ce nom ne contient plus de virgule : %(names)s. Rechargez la page.")
                               % {"names": names}, "no_comma")
        for borrower in borrowers:
            borrower.name = comma_fixed(borrower.name)
            borrower.updated_at = now
        Borrower.objects.bulk_update(borrowers, ["name", "updated_at"])
        fixed = sorted(borrowers, key=lambda borrower: borrower.number)
        event_record(library=library, action=EventAction.CHECK_FIX, acting_user=acting_user, now=now,
                     borrower=fixed[0] if len(fixed) == 1 else None,
                     detail="virgule retirée du nom : n° " + ", ".join(str(b.number) for b in fixed),
                     data={"fix": "names_fix_comma", "numbers": [b.number for b in fixed]})
    return fixed
