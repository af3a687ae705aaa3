"""From the file's people, the base's borrowers and the librarian's decisions, the plan (SPEC §2).

Seed C's postulate: "les données externes issues de l'ENT sont plus à jour que les données des
emprunteurs de la base", so a match takes the file's name, status, class, birth date, e-mail and
ENT identity, except that an empty value in the file never wipes what the base knows, and a
status of the same category keeps the base's spelling (the base is "kept homogeneous").

The groups are BCDI's, with its safety rules: nobody outside the lot ("Emprunteurs à mettre à
jour") leaves, nobody with an open loan is deleted ("Aucun emprunteur avec au moins 1 prêt en
cours ne sera supprimé"), they become *Usager temporaire* instead. Sésame adds that a borrower
awaiting the librarian's decision is held, not removed, while the analysis is on screen; and
that an unusual file is stopped until confirmed (reliability anchors §2.3, item 11).
"""

from __future__ import annotations

from collections.abc import Sequence

from .matching import Match, MatchState, match_people
from .model import (
    REGULAR,
    TEMPORARY,
    BorrowerRemoval,
    BorrowerUpdate,
    ExistingBorrower,
    FieldChange,
    Guard,
    HomonymConflict,
    IncomingPerson,
    MatchedBy,
    NewBorrower,
    Suggestion,
    UpdateOptions,
    UpdatePlan,
)
from .normalize import format_date, name_key, preferred_spellings, status_category
from .suggestions import SAME_NAME, Candidate, assess, propose

MASS_REMOVAL = "mass_removal"
LOW_MATCH = "low_match"
LOW_MATCH_BASE_SIZE = 20

NEW_REASON = "Absent de la base : nouvel emprunteur."
CONFLICT_NEW_REASON = ("Homonyme non résolu : une nouvelle fiche sera créée, comme dans BCDI, sauf si vous "
                       "associez cette personne à un emprunteur.")
CONFLICT_FINAL_REASON = "Homonyme non résolu : nouvelle fiche créée, comme dans BCDI."
PENDING_NEW_REASON = "Suggestion à examiner : une nouvelle fiche sera créée, sauf si vous l'acceptez."
UNDECIDED_NEW_REASON = "Suggestion non retenue : nouvelle fiche."
REJECTED_NEW_REASON = "Suggestion refusée : nouvelle fiche."


def plan_update(
    incoming: Sequence[IncomingPerson], existing: Sequence[ExistingBorrower],
    options: UpdateOptions = UpdateOptions(),  # noqa: B008 — frozen, so sharing the default is safe
) -> UpdatePlan:
    """The plan of the update; pure, deterministic, and cheap enough to recompute after each click."""
    state = match_people(incoming, existing, options.resolutions)
    notes: dict[int, str] = dict(state.new_reasons)  # person -> why new
    borrower_notes: dict[int, str] = {}  # borrower id -> why it is unmatched, when it is a decision
    people_pool, borrower_pool = _decide_suggestions(incoming, state, options, notes, borrower_notes)
    candidates = propose(incoming, people_pool, borrower_pool, options.suggestion_score_floor)

    pending_people = {i for conflict in state.conflicts for i in conflict.people}
    pending_borrowers = {b.borrower_id for conflict in state.conflicts for b in conflict.borrowers}
    for candidate in candidates:
        notes[candidate.person] = UNDECIDED_NEW_REASON if options.final else PENDING_NEW_REASON
        borrower_notes[candidate.borrower.borrower_id] = "suggestion non retenue"
        pending_borrowers.add(candidate.borrower.borrower_id)
    for index in pending_people:
        notes[index] = CONFLICT_FINAL_REASON if options.final else CONFLICT_NEW_REASON
    for conflict in state.conflicts:
        for borrower in conflict.borrowers:
            borrower_notes[borrower.borrower_id] = "homonyme non résolu"

    preferred = preferred_spellings(borrower.status for borrower in existing)
    matched_people = {match.person for match in state.matches}
    new = [
        NewBorrower(person, notes.get(index, NEW_REASON), _status_for_new(person.status, preferred))
        for index, person in enumerate(incoming) if index not in matched_people
    ]
    updated = [_update(incoming[match.person], match, preferred) for match in state.matches]

    matched_borrowers = {match.borrower.borrower_id for match in state.matches}
    unmatched = [borrower for borrower in existing if borrower.borrower_id not in matched_borrowers]
    if not options.final:  # awaiting a decision: kept as they are until the librarian answers
        held = [b for b in unmatched if b.borrower_id in pending_borrowers]
        unmatched = [b for b in unmatched if b.borrower_id not in pending_borrowers]
    else:
        held = []
    deleted, set_aside = _removals(unmatched, borrower_notes)
    return UpdatePlan(
        new=tuple(sorted(new, key=lambda entry: (name_key(entry.person.name), entry.person.position,
                                                  entry.person.ent_identity))),
        updated=tuple(sorted(updated, key=lambda u: (name_key(u.person.name), u.number))),
        deleted=deleted,
        set_aside=set_aside,
        conflicts=_conflicts(incoming, state),
        suggestions=_suggestions(incoming, candidates),
        held=tuple(b.borrower_id for b in sorted(held, key=lambda b: (name_key(b.name), b.number))),
        guards=_guards(incoming, existing, len(updated), len(deleted), len(set_aside), options),
    )


def _removals(
    unmatched: list[ExistingBorrower], notes: dict[int, str],
) -> tuple[tuple[BorrowerRemoval, ...], tuple[BorrowerRemoval, ...]]:
    """Seed C: of the lot, who left without a loan is deleted, who left with loans is set aside.

    Nobody outside the lot is touched, and a borrower already set aside stays as it is.
    """
    deleted, set_aside = [], []
    for borrower in sorted(unmatched, key=lambda b: (name_key(b.name), b.number)):
        if not borrower.in_lot:
            continue
        note = notes.get(borrower.borrower_id)
        if borrower.open_loans == 0:
            text = "Absent du fichier, sans prêt en cours : fiche supprimée"
            deleted.append(_removal(borrower, text, note))
        elif borrower.borrower_type != TEMPORARY:
            count = borrower.open_loans
            loans = "1 prêt" if count == 1 else f"{count} prêts"
            text = f"Absent du fichier, avec {loans} en cours : devient usager temporaire"
            set_aside.append(_removal(borrower, text, note))
    return tuple(deleted), tuple(set_aside)


def _decide_suggestions(
    incoming: Sequence[IncomingPerson], state: MatchState, options: UpdateOptions,
    notes: dict[int, str], borrower_notes: dict[int, str],
) -> tuple[list[int], list[ExistingBorrower]]:
    """Accepted pairs become matches, rejected pairs leave the pool; the rest may be proposed."""
    people = list(state.unmatched_people)
    borrowers = list(state.unmatched_borrowers)
    index_of = {incoming[i].ent_identity: i for i in people if incoming[i].ent_identity}
    borrower_of = {borrower.borrower_id: borrower for borrower in borrowers}
    taken_people: set[int] = set()
    taken_borrowers: set[int] = set()
    for borrower_id, identity in sorted(options.accepted_suggestions):
        index, borrower = index_of.get(identity), borrower_of.get(borrower_id)
        if index is None or borrower is None or index in taken_people or borrower_id in taken_borrowers:
            continue
        assessment = assess(incoming[index], borrower)
        detail = f" : {assessment.detail}" if assessment else ""
        reason = f"Suggestion acceptée{detail}."
        state.matches.append(Match(index, borrower, MatchedBy.SUGGESTION, False, reason))
        taken_people.add(index)
        taken_borrowers.add(borrower_id)
    for borrower_id, identity in sorted(options.rejected_suggestions):
        index, borrower = index_of.get(identity), borrower_of.get(borrower_id)
        if index is None or borrower is None or index in taken_people or borrower_id in taken_borrowers:
            continue
        notes[index] = REJECTED_NEW_REASON
        borrower_notes[borrower_id] = "suggestion refusée"
        taken_people.add(index)
        taken_borrowers.add(borrower_id)
    pool_people = [i for i in people if i not in taken_people]
    pool_borrowers = [b for b in borrowers if b.borrower_id not in taken_borrowers]
    return pool_people, pool_borrowers


def _status_for_new(status: str, preferred: dict[str, str]) -> str:
    return preferred.get(status_category(status), status) if status.strip() else status


def field_changes(
    person: IncomingPerson, borrower: ExistingBorrower, preferred: dict[str, str],
) -> tuple[FieldChange, ...]:
    """The fields the file updates; an empty value in the file never wipes the base's."""
    changes = []

    def compare(field: str, old: str, new: str) -> None:
        if new and new != old:
            changes.append(FieldChange(field, old, new))

    compare("name", borrower.name, person.name)
    if person.status.strip() and status_category(person.status) != status_category(borrower.status):
        compare("status", borrower.status, _status_for_new(person.status, preferred))
    compare("school_class", borrower.school_class, person.school_class)
    compare("birth_date", format_date(borrower.birth_date), format_date(person.birth_date))
    compare("email", borrower.email, person.email)
    compare("ent_identity", borrower.ent_identity, person.ent_identity)
    compare("borrower_type", borrower.borrower_type, REGULAR)
    return tuple(changes)


def _update(person: IncomingPerson, match: Match, preferred: dict[str, str]) -> BorrowerUpdate:
    borrower = match.borrower
    changes = field_changes(person, borrower, preferred)
    reason = match.reason
    if borrower.borrower_type == TEMPORARY:
        reason += " De nouveau dans le fichier : redevient usager."
    return BorrowerUpdate(borrower.borrower_id, borrower.number, person, match.matched_by, match.ambiguous,
                          changes, reason)


def _removal(borrower: ExistingBorrower, text: str, note: str | None) -> BorrowerRemoval:
    reason = f"{text} ({note})." if note else f"{text}."
    return BorrowerRemoval(borrower.borrower_id, borrower.number, borrower.name, borrower.open_loans, reason)


def _conflicts(incoming: Sequence[IncomingPerson], state: MatchState) -> tuple[HomonymConflict, ...]:
    found = []
    for conflict in state.conflicts:
        people = sorted(conflict.people, key=lambda i: (incoming[i].position, i))
        borrowers = sorted(conflict.borrowers, key=lambda b: b.number)
        found.append(HomonymConflict(
            name_key=conflict.name_key, kind=conflict.kind,
            borrower_ids=tuple(b.borrower_id for b in borrowers),
            ent_identities=tuple(incoming[i].ent_identity for i in people),
            borrower_numbers=tuple(b.number for b in borrowers),
        ))
    return tuple(sorted(found, key=lambda c: (c.name_key, c.borrower_numbers, c.ent_identities)))


def _suggestions(incoming: Sequence[IncomingPerson], candidates: list[Candidate]) -> tuple[Suggestion, ...]:
    ordered = sorted(candidates, key=lambda c: (name_key(incoming[c.person].name),
                                                incoming[c.person].position, c.person))
    return tuple(
        Suggestion(
            borrower_id=c.borrower.borrower_id, number=c.borrower.number,
            ent_identity=incoming[c.person].ent_identity, score=c.score,
            reason_code=c.assessment.codes[0] if c.assessment.codes else SAME_NAME,
            reason=c.assessment.reason, reason_codes=c.assessment.codes,
        )
        for c in ordered
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole) if whole else 0}\u00a0%"


def _guards(
    incoming: Sequence[IncomingPerson], existing: Sequence[ExistingBorrower], matched: int,
    deleted: int, set_aside: int, options: UpdateOptions,
) -> tuple[Guard, ...]:
    """Stop a file that would empty the lot, or that hardly knows the base (a wrong file)."""
    guards = []
    lot = sum(1 for borrower in existing if borrower.in_lot)
    removed = deleted + set_aside
    if removed > max(options.removal_count_floor, options.removal_share_limit * lot):
        guards.append(Guard(MASS_REMOVAL, (
            f"Ce fichier supprimerait {_number(removed)} emprunteurs sur {_number(lot)} du lot "
            f"({_percent(removed, lot)}) : {_number(deleted)} suppressions et {_number(set_aside)} "
            f"mises à l'écart. C'est plus que d'habitude (au-delà de "
            f"{round(100 * options.removal_share_limit)}\u00a0% du lot) : vérifiez le fichier et "
            "l'équation « Emprunteurs à mettre à jour » avant de confirmer."
        ), MASS_REMOVAL in options.confirmed_guards))
    people = len(incoming)
    if len(existing) >= LOW_MATCH_BASE_SIZE and (not people or matched / people < options.match_share_floor):
        who = "personne du fichier" if matched <= 1 else "personnes du fichier"
        verb = "correspond" if matched <= 1 else "correspondent"
        guards.append(Guard(LOW_MATCH, (
            f"Seulement {_number(matched)} {who} sur {_number(people)} "
            f"({_percent(matched, people)}) {verb} à un emprunteur de la base "
            f"({_number(len(existing))} emprunteurs). Est-ce bien le fichier de cet établissement ? "
            "Vérifiez-le avant de confirmer."
        ), LOW_MATCH in options.confirmed_guards))
    return tuple(guards)
