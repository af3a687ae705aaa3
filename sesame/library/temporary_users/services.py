"""Borrowers set aside by the update: *Traitement des emprunteurs mis à l'écart* (seed C7).

The update makes *Usager temporaire* of every borrower who should have left but still has a
loan (SPEC §2). The seed's rules, one service each here (the desk rules — no loan, no
reservation, returns allowed — live in ``circulation/rules.py``):

- "Il est impossible de modifier le champ « Type emprunteur » d'un usager temporaire":
  ``sesame.library.borrowers.services.borrower_type_change`` refuses it (a rule of every record);
- "Il est impossible de supprimer la fiche … tant qu'il a encore des prêts en cours":
  ``borrower_delete`` refuses any borrower with an open loan (temporary or not: the database
  refuses it too, ``Loan.borrower`` is PROTECT);
- "Réattribuer les prêts … S'il existe un emprunteur avec le même nom, sa fiche sera
  sélectionnée par défaut … Si les noms sont différents, une confirmation est demandée":
  ``selectors.loans_reassign_candidates`` and ``loans_reassign``;
- "une fois tous les prêts en cours d'un usager temporaire clôturés, BCDI vous en informera":
  an alert, whether the last loan was returned, closed as lost or reassigned.

Same conventions as the circulation's services: keyword-only, one transaction, the journal
records who did it (``acting_user`` required), ``CirculationRefused(message, code)`` with a
translated message and nothing changed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.circulation.alerts import temporary_user_check_cleared
from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.locking import locked_borrower
from sesame.library.circulation.reservations import reservations_drop
from sesame.library.circulation.rules import borrower_label
from sesame.library.common.audit import event_record
from sesame.library.models import Borrower, EventAction, Library, Loan
from sesame.sync.normalize import name_key


def borrower_delete(
    *, library: Library, borrower: Borrower, acting_user, now: datetime | None = None,
) -> int:
    """Delete a borrower's record; returns how many returned loans were made anonymous.

    Refused (``open_loans``) while the borrower has an open loan, whoever they are: the books
    are still out. Returned loans are not lost with the person: they become anonymous, keeping
    the status and class of the time (filled from the record when the loan did not keep them),
    which is all statistics need (SPEC §2 "Loan history can be made anonymous"). Waiting or
    ready reservations are cancelled (a held copy goes to the next in line) and the
    reservation rows removed: they say what a person wanted to read, nothing statistics need.
    """
    now = now or clock.now()
    with transaction.atomic():
        borrower = locked_borrower(library, borrower)
        open_count = Loan.objects.open().filter(borrower=borrower).count()
        if open_count:
            message = _("Suppression impossible : %(borrower)s a encore %(count)s prêt(s) en cours.") % {
                "borrower": borrower_label(borrower), "count": open_count}
            if borrower.is_temporary:
                message += " " + _("Enregistrez leur retour, déclarez les exemplaires perdus ou réattribuez "
                                   "les prêts.")
            raise CirculationRefused(message, "open_loans")
        reservations_drop(borrower_ids=[borrower.pk], now=now)
        history = Loan.objects.filter(borrower=borrower)
        history.filter(borrower_status="").update(borrower_status=borrower.status)
        history.filter(borrower_class="").update(borrower_class=borrower.school_class)
        anonymised = history.update(borrower=None)
        event_record(library=library, action=EventAction.BORROWER_DELETE, acting_user=acting_user,
                     now=now,
                     detail=f"fiche n° {borrower.number} supprimée, {anonymised} prêt(s) rendu(s) anonyme(s)")
        borrower.delete()
    return anonymised


def loans_reassign(
    *, library: Library, from_borrower: Borrower, to_borrower: Borrower, confirm_different_name: bool = False,
    acting_user, now: datetime | None = None,
) -> int:
    """"Réattribuer les prêts": move a temporary user's OPEN loans to another borrower.

    Only open loans move: they are books the other record's owner has in hand and must bring
    back. Returned loans stay with the temporary record and become anonymous when it is deleted:
    when the names differ the two records may be two people, and moving the history would hand
    one person the other's reading (SPEC §2: "when in doubt, ask"). The loans keep the status
    and class recorded when they were made. The receiver's loan limit is not applied: the
    books are already out, and refusing would leave them on a record meant to be deleted.
    Afterwards the temporary user has no open loan, so the librarian is told it can be deleted.
    Returns the number of loans moved.

    Refused: ``not_temporary``, ``same_borrower``, ``unknown_borrower`` (either is not of this
    library), ``target_temporary``, ``confirm_names`` (names differ, ``confirm_different_name``
    False: the page asks and calls again with True), ``nothing_to_reassign``.
    """
    now = now or clock.now()
    if from_borrower.pk == to_borrower.pk:
        raise CirculationRefused(_("Choisissez un autre emprunteur que l'usager temporaire lui-même."),
                                 "same_borrower")
    with transaction.atomic():
        # Both rows locked in one order (by primary key), so two desks cannot deadlock.
        roles = {from_borrower.pk: "temporary_user", to_borrower.pk: "receiver"}
        locked = {row.pk: locked_borrower(library, row, role=roles[row.pk])
                  for row in sorted((from_borrower, to_borrower), key=lambda row: row.pk)}
        source, target = locked[from_borrower.pk], locked[to_borrower.pk]
        _reassign_refusal(source=source, target=target, confirm_different_name=confirm_different_name)
        moved = Loan.objects.open().filter(borrower=source).update(borrower=target)
        if not moved:
            raise CirculationRefused(
                _("%(borrower)s n'a aucun prêt en cours à réattribuer.")
                % {"borrower": borrower_label(source)},
                "nothing_to_reassign")
        event_record(library=library, action=EventAction.LOANS_REASSIGN, acting_user=acting_user,
                     now=now, borrower=target,
                     detail=f"{moved} prêt(s) de n° {source.number} → n° {target.number}")
        temporary_user_check_cleared(borrower=source, now=now)
    return moved


def _reassign_refusal(*, source: Borrower, target: Borrower, confirm_different_name: bool) -> None:
    if not source.is_temporary:
        raise CirculationRefused(_("Seuls les prêts d'un usager temporaire peuvent être réattribués."),
                                 "not_temporary")
    if target.is_temporary:
        raise CirculationRefused(
            _("%(borrower)s est un usager temporaire : il ne peut pas recevoir de prêts.")
            % {"borrower": borrower_label(target)},
            "target_temporary")
    if name_key(source.name) != name_key(target.name) and not confirm_different_name:
        raise CirculationRefused(
            _("Les noms sont différents (%(source)s / %(target)s) : confirmez la réattribution.")
            % {"source": source.name, "target": target.name},
            "confirm_names")
