"""Borrowers set aside by the update: *Traitement des emprunteurs mis à l'écart* (seed C7).

The update makes *Usager temporaire* of every borrower who should have left but still has a
loan (SPEC §2). The seed's rules, one service each here (the desk rules — no loan, no
reservation, returns allowed — live in ``circulation.py``):

- "Il est impossible de modifier le champ « Type emprunteur » d'un usager temporaire":
  ``sesame.library.borrowers.services.borrower_type_change`` refuses it (a rule of every record);
- "Il est impossible de supprimer la fiche … tant qu'il a encore des prêts en cours":
  ``borrower_delete`` refuses any borrower with an open loan (temporary or not: the database
  refuses it too, ``Loan.borrower`` is PROTECT);
- "Réattribuer les prêts … S'il existe un emprunteur avec le même nom, sa fiche sera
  sélectionnée par défaut … Si les noms sont différents, une confirmation est demandée":
  ``loans_reassign_candidates`` and ``loans_reassign``;
- "une fois tous les prêts en cours d'un usager temporaire clôturés, BCDI vous en informera":
  a notice, whether the last loan was returned, closed as lost or reassigned.

Same conventions as ``circulation.py``: keyword-only, one transaction, the desk journal records
who did it, ``CirculationRefused(message, code)`` with nothing changed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sesame.library.circulation.alerts import temporary_user_check_cleared
from sesame.library.circulation.errors import CirculationRefused
from sesame.library.circulation.reservations import reservations_drop
from sesame.library.circulation.rules import borrower_label
from sesame.library.common.audit import event_record
from sesame.library.common.locking import one
from sesame.library.models import Borrower, BorrowerType, EventAction, Library, Loan
from sesame.sync.normalize import name_key, sorted_key, spaceless_key


def _locked(library: Library | None, borrower: Borrower, *, role: str = "") -> Borrower:
    rows = Borrower.objects.select_for_update().filter(pk=borrower.pk)
    if library is not None:
        rows = rows.filter(library=library)
    found = one(rows)
    if found is None:
        raise CirculationRefused(
            f"{role or 'Cet emprunteur'} n'existe pas (ou plus) dans cette bibliothèque.", "unknown_borrower")
    return found


def borrower_delete(
    *, library: Library, borrower: Borrower, acting_user=None, now: datetime | None = None,
) -> int:
    """Delete a borrower's record; returns how many returned loans were made anonymous.

    Refused (``open_loans``) while the borrower has an open loan, whoever they are: the books
    are still out. Returned loans are not lost with the person: they become anonymous, keeping
    the status and class of the time (filled from the record when the loan did not keep them),
    which is all statistics need (SPEC §2 "Loan history can be made anonymous"). Waiting or
    ready reservations are cancelled (a held copy goes to the next in line) and the
    reservation rows removed: they say what a person wanted to read, nothing statistics need.
    """
    now = now or timezone.now()
    with transaction.atomic():
        borrower = _locked(library, borrower)
        open_count = Loan.objects.filter(borrower=borrower, returned_on__isnull=True).count()
        if open_count:
            hint = (" Enregistrez leur retour, déclarez les exemplaires perdus ou réattribuez les prêts."
                    if borrower.is_temporary else "")
            raise CirculationRefused(
                f"Suppression impossible : {borrower_label(borrower)} a encore {open_count} prêt(s) en "
                f"cours.{hint}",
                "open_loans",
            )
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


def loans_reassign_candidates(*, library: Library, borrower: Borrower) -> list[Borrower]:
    """Who may receive a temporary user's loans, the most likely first.

    Borrowers with the same name (compared as the update compares names: accents, case,
    punctuation ignored) come first and carry ``same_name = True``: the page preselects the
    first of the list when it has ``same_name`` (seed C7: "S'il existe … un emprunteur avec le
    même nom, sa fiche sera sélectionnée par défaut"). Then names with the words swapped or
    spaced differently, then everyone else by name. Never the borrower itself nor a temporary
    user (they may not receive loans).
    """
    key = name_key(borrower.name)
    near = (sorted_key(key), spaceless_key(key))
    rows = (Borrower.objects.filter(library=library).exclude(pk=borrower.pk)
            .exclude(borrower_type=BorrowerType.TEMPORARY).order_by("name", "number"))

    def rank(candidate: Borrower) -> int:
        other = name_key(candidate.name)
        if other == key:
            return 0
        return 1 if sorted_key(other) == near[0] or spaceless_key(other) == near[1] else 2

    ranked = sorted(rows, key=rank)  # stable: by name within each rank
    for candidate in ranked:
        candidate.same_name = name_key(candidate.name) == key
    return ranked


def loans_reassign(
    *, library: Library, from_borrower: Borrower, to_borrower: Borrower, confirm_different_name: bool = False,
    acting_user=None, now: datetime | None = None,
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
    now = now or timezone.now()
    if from_borrower.pk == to_borrower.pk:
        raise CirculationRefused("Choisissez un autre emprunteur que l'usager temporaire lui-même.",
                                 "same_borrower")
    with transaction.atomic():
        first, second = sorted((from_borrower, to_borrower), key=lambda row: row.pk)  # one lock order
        locked = {row.pk: _locked(library, row, role=role) for row, role in (
            (first, "L'emprunteur choisi" if first.pk == to_borrower.pk else "L'usager temporaire"),
            (second, "L'emprunteur choisi" if second.pk == to_borrower.pk else "L'usager temporaire"),
        )}
        source, target = locked[from_borrower.pk], locked[to_borrower.pk]
        if not source.is_temporary:
            raise CirculationRefused("Seuls les prêts d'un usager temporaire peuvent être réattribués.",
                                     "not_temporary")
        if target.is_temporary:
            raise CirculationRefused(
                f"{borrower_label(target)} est un usager temporaire : il ne peut pas recevoir de prêts.",
                "target_temporary")
        if name_key(source.name) != name_key(target.name) and not confirm_different_name:
            raise CirculationRefused(f"Les noms sont différents ({source.name} / {target.name}) : "
                                     "confirmez la réattribution.",
                                     "confirm_names")
        moved = Loan.objects.filter(borrower=source, returned_on__isnull=True).update(borrower=target)
        if not moved:
            raise CirculationRefused(f"{borrower_label(source)} n'a aucun prêt en cours à réattribuer.",
                                     "nothing_to_reassign")
        event_record(library=library, action=EventAction.LOANS_REASSIGN, acting_user=acting_user,
                     now=now, borrower=target,
                     detail=f"{moved} prêt(s) de n° {source.number} → n° {target.number}")
        temporary_user_check_cleared(borrower=source, now=now)
    return moved


def temporary_users(*, library: Library) -> QuerySet:
    """The borrowers of ``Type d'emprunteur=Usager temporaire``, by name, with ``open_loans``
    (count) and ``last_due_on`` (the latest due date of their open loans, None without)."""
    open_loans = Loan.objects.filter(borrower=OuterRef("pk"), returned_on__isnull=True)
    return (
        Borrower.objects.filter(library=library, borrower_type=BorrowerType.TEMPORARY)
        .annotate(open_loans=Count("loans", filter=Q(loans__returned_on__isnull=True)),
                  last_due_on=Subquery(open_loans.order_by("-due_on").values("due_on")[:1]))
        .order_by("name", "number")
    )
