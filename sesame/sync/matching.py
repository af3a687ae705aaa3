"""Who in the file is who in the base: identity, then name, then homonyms (SPEC §2, seed C).

The passes run from the most to the least certain, each on what the previous ones left:

1. the stored ENT identity (seed C: "BCDI possédera des informations supplémentaires (masquées)
   qui permettront de lever les ambiguïtés");
2. the name as a person compares it, with what a librarian knows: the birth date confirms or
   separates, a class does not go down nor jump a level, a status does not go from Enseignant to
   Élève. A borrower that already carries another ENT identity is never taken by name: its
   person left, and a namesake arrived;
3. homonyms: equal birth dates unique on both sides pair first; what is left pairs only when a
   single couple remains possible, otherwise the librarian resolves it ("Interface de résolution
   de doublons"). "Merging two different people hands one the other's loans and history: when in
   doubt, ask" (SPEC §2).

People are referred to by their index in the incoming sequence, borrowers by their id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .levels import class_change_allowed
from .model import ExistingBorrower, IncomingPerson, MatchedBy
from .normalize import format_date, incompatible_statuses, is_date_slip, name_key

BIRTH_DATE_SLIP = "birth_date_slip"
BIRTH_DATE_DIFFERS = "birth_date_differs"
CLASS_INCONSISTENT = "class_inconsistent"
STATUS_INCONSISTENT = "status_inconsistent"
IDENTITY_DIFFERS = "identity_differs"


class PlanInputError(ValueError):
    """The people or the borrowers cannot be compared as given; ``message`` is in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Match:
    person: int
    borrower: ExistingBorrower
    matched_by: MatchedBy
    ambiguous: bool
    reason: str


@dataclass(frozen=True)
class Conflict:
    name_key: str
    people: tuple[int, ...]
    borrowers: tuple[ExistingBorrower, ...]
    first_kind: str = ""  # the kind it had before answers reduced it to one couple

    @property
    def kind(self) -> str:
        if self.first_kind:
            return self.first_kind
        several_people, several_borrowers = len(self.people) > 1, len(self.borrowers) > 1
        if several_people and several_borrowers:
            return "both"
        return "several_people" if several_people else "several_borrowers"


@dataclass
class MatchState:
    """What the passes decided; everything not listed here is unmatched."""

    matches: list[Match] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    new_reasons: dict[int, str] = field(default_factory=dict)  # people made new by a decision
    unmatched_people: list[int] = field(default_factory=list)
    unmatched_borrowers: list[ExistingBorrower] = field(default_factory=list)


def contradictions(person: IncomingPerson, borrower: ExistingBorrower) -> tuple[str, ...]:
    """What a librarian knows against taking this borrower for this person (rules 3 and 4)."""
    found = []
    if person.birth_date and borrower.birth_date and person.birth_date != borrower.birth_date:
        slip = is_date_slip(person.birth_date, borrower.birth_date)
        found.append(BIRTH_DATE_SLIP if slip else BIRTH_DATE_DIFFERS)
    if not class_change_allowed(borrower.school_class, person.school_class):
        found.append(CLASS_INCONSISTENT)
    if incompatible_statuses(borrower.status, person.status):
        found.append(STATUS_INCONSISTENT)
    if borrower.ent_identity and borrower.ent_identity != person.ent_identity:
        found.append(IDENTITY_DIFFERS)
    return tuple(found)


def contradiction_text(code: str, person: IncomingPerson, borrower: ExistingBorrower) -> str:
    """The French words for one contradiction, with the values the librarian will check."""
    if code == BIRTH_DATE_SLIP:
        return (f"faute de frappe probable dans la date de naissance ({format_date(borrower.birth_date)} "
                f"dans la base, {format_date(person.birth_date)} dans le fichier)")
    if code == BIRTH_DATE_DIFFERS:
        return (f"date de naissance différente ({format_date(borrower.birth_date)} dans la base, "
                f"{format_date(person.birth_date)} dans le fichier)")
    if code == CLASS_INCONSISTENT:
        return f"classe incohérente : {borrower.school_class} l'an dernier, {person.school_class} cette année"
    if code == STATUS_INCONSISTENT:
        return f"statut incohérent : {borrower.status} dans la base, {person.status} dans le fichier"
    if code == IDENTITY_DIFFERS:
        return "identité ENT différente (la fiche porte l'identité d'une personne absente du fichier)"
    raise ValueError(code)


def _plausible(person: IncomingPerson, borrower: ExistingBorrower) -> bool:
    return not contradictions(person, borrower)


def check_inputs(incoming: Sequence[IncomingPerson], existing: Sequence[ExistingBorrower]) -> None:
    """Refuse what would make the plan unsafe to apply: one identity for two people or borrowers."""
    for label, values in (
        ("personnes du fichier", [person.ent_identity for person in incoming]),
        ("emprunteurs de la base", [borrower.ent_identity for borrower in existing]),
    ):
        repeated = sorted(value for value, count in Counter(v for v in values if v).items() if count > 1)
        if repeated:
            raise PlanInputError(
                f"Plusieurs {label} ont la même identité ENT ({', '.join(repeated[:5])}) : "
                "la mise à jour ne peut pas savoir qui est qui."
            )
    ids = Counter(borrower.borrower_id for borrower in existing)
    numbers = Counter(borrower.number for borrower in existing)
    if any(count > 1 for count in ids.values()) or any(count > 1 for count in numbers.values()):
        raise PlanInputError("Deux emprunteurs de la base ont le même identifiant ou le même numéro.")


def match_people(
    incoming: Sequence[IncomingPerson], existing: Sequence[ExistingBorrower],
    resolutions: Mapping[str, int | None],
) -> MatchState:
    """Run the identity, name and homonym passes, then apply the librarian's resolutions."""
    check_inputs(incoming, existing)
    state = MatchState()
    by_identity = {borrower.ent_identity: borrower for borrower in existing if borrower.ent_identity}
    taken: set[int] = set()
    people_left: list[int] = []
    for index, person in enumerate(incoming):
        borrower = by_identity.get(person.ent_identity) if person.ent_identity else None
        if borrower is None:
            people_left.append(index)
            continue
        state.matches.append(Match(index, borrower, MatchedBy.IDENTITY, False, "Même identité ENT."))
        taken.add(borrower.borrower_id)

    people_by_key: dict[str, list[int]] = defaultdict(list)
    for index in people_left:
        people_by_key[name_key(incoming[index].name)].append(index)
    borrowers_by_key: dict[str, list[ExistingBorrower]] = defaultdict(list)
    for borrower in existing:
        if borrower.borrower_id in taken:
            continue
        if borrower.ent_identity:  # its person is absent from the file (rule 1)
            state.unmatched_borrowers.append(borrower)
        else:
            borrowers_by_key[name_key(borrower.name)].append(borrower)

    for key in sorted(people_by_key.keys() | borrowers_by_key.keys()):
        people, borrowers = people_by_key.get(key, []), borrowers_by_key.get(key, [])
        if people and borrowers:
            _match_name_group(key, incoming, people, borrowers, state)
        else:
            state.unmatched_people.extend(people)
            state.unmatched_borrowers.extend(borrowers)
    _apply_resolutions(incoming, resolutions, state)
    return state


def _match_name_group(
    key: str, incoming: Sequence[IncomingPerson], people: list[int], borrowers: list[ExistingBorrower],
    state: MatchState,
) -> None:
    """One name key: pair by unique equal birth dates, then by the only possible couples."""
    homonyms = len(people) > 1 or len(borrowers) > 1
    people_dates = Counter(incoming[i].birth_date for i in people if incoming[i].birth_date)
    borrower_dates = Counter(b.birth_date for b in borrowers if b.birth_date)
    paired_people: set[int] = set()
    paired_borrowers: set[int] = set()
    for index in people:
        person = incoming[index]
        day = person.birth_date
        if not day or people_dates[day] != 1 or borrower_dates[day] != 1:
            continue
        borrower = next(b for b in borrowers if b.birth_date == day)
        if _plausible(person, borrower):
            reason = ("Homonymes départagés par la date de naissance." if homonyms
                      else "Même nom et même date de naissance.")
            state.matches.append(Match(index, borrower, MatchedBy.NAME_AND_BIRTH_DATE, False, reason))
            paired_people.add(index)
            paired_borrowers.add(borrower.borrower_id)
    people = [i for i in people if i not in paired_people]
    borrowers = [b for b in borrowers if b.borrower_id not in paired_borrowers]
    for group_people, group_borrowers in _components(incoming, people, borrowers):
        if not group_borrowers:
            state.unmatched_people.extend(group_people)
        elif not group_people:
            state.unmatched_borrowers.extend(group_borrowers)
        elif len(group_people) == 1 and len(group_borrowers) == 1:
            state.matches.append(_name_match(incoming, group_people[0], group_borrowers[0], homonyms))
        else:
            state.conflicts.append(Conflict(key, tuple(group_people), tuple(group_borrowers)))


def _name_match(incoming: Sequence[IncomingPerson], index: int, borrower: ExistingBorrower,
                homonyms: bool) -> Match:
    person = incoming[index]
    if person.birth_date and person.birth_date == borrower.birth_date:
        reason = "Même nom et même date de naissance."
        return Match(index, borrower, MatchedBy.NAME_AND_BIRTH_DATE, False, reason)
    reason = ("Même nom ; seul homonyme possible (classe, statut), sans date de naissance pour confirmer."
              if homonyms else "Même nom, sans date de naissance pour confirmer : à vérifier.")
    return Match(index, borrower, MatchedBy.NAME, True, reason)


def _components(
    incoming: Sequence[IncomingPerson], people: list[int], borrowers: list[ExistingBorrower],
) -> list[tuple[list[int], list[ExistingBorrower]]]:
    """Connected groups of people and borrowers linked by a plausible pairing, in input order."""
    links: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for index in people:
        for borrower in borrowers:
            if _plausible(incoming[index], borrower):
                links[("p", index)].append(("b", borrower.borrower_id))
                links[("b", borrower.borrower_id)].append(("p", index))
    by_id = {borrower.borrower_id: borrower for borrower in borrowers}
    seen: set[tuple[str, int]] = set()
    groups = []
    for start in [("p", i) for i in people] + [("b", b.borrower_id) for b in borrowers]:
        if start in seen:
            continue
        seen.add(start)
        stack, nodes = [start], []
        while stack:
            node = stack.pop()
            nodes.append(node)
            for other in links[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        group_people = sorted(value for side, value in nodes if side == "p")
        group_borrowers = [by_id[value] for side, value in sorted(nodes) if side == "b"]
        groups.append((group_people, group_borrowers))
    return groups


def _apply_resolutions(
    incoming: Sequence[IncomingPerson], resolutions: Mapping[str, int | None], state: MatchState,
) -> None:
    """The homonym window's answers: pair with one of the conflict's borrowers, or a new record.

    An answer naming a borrower outside the conflict, or one already taken, is ignored. When the
    answers leave a single person and a single borrower that may be one, they are paired too: in
    BCDI "la résolution de l'une entraîne la résolution automatique de l'autre"; unless one of the
    answers was ignored, since the librarian then meant another pairing than the one left.
    """
    remaining_conflicts = []
    for conflict in state.conflicts:
        people, borrowers = list(conflict.people), list(conflict.borrowers)
        decided = ignored = False
        for index in conflict.people:
            identity = incoming[index].ent_identity
            if not identity or identity not in resolutions:
                continue
            choice = resolutions[identity]
            if choice is None:
                state.new_reasons[index] = "Homonyme : nouvelle fiche, à la demande de la documentaliste."
                people.remove(index)
                decided = True
                continue
            borrower = next((b for b in borrowers if b.borrower_id == choice), None)
            if borrower is None:
                ignored = True
                continue
            state.matches.append(Match(index, borrower, MatchedBy.RESOLUTION, False,
                                       "Homonyme associé par la documentaliste."))
            people.remove(index)
            borrowers.remove(borrower)
            decided = True
        if not decided:
            remaining_conflicts.append(conflict)
            continue
        one_couple = len(people) == 1 and len(borrowers) == 1
        if one_couple and not ignored and _plausible(incoming[people[0]], borrowers[0]):
            state.matches.append(Match(people[0], borrowers[0], MatchedBy.RESOLUTION, False,
                                       "Homonyme associé par déduction, après les autres résolutions."))
        elif people and borrowers and (not one_couple or ignored):
            kind = conflict.kind if one_couple else ""
            remaining_conflicts.append(Conflict(conflict.name_key, tuple(people), tuple(borrowers), kind))
        else:
            state.unmatched_people.extend(people)
            state.unmatched_borrowers.extend(borrowers)
    state.conflicts = remaining_conflicts
