"""What "applying" a plan means, on plain rows (SPEC §2, step 5 "Importation").

The reference semantics of the import: the Django side carries out the same plan on the
database in one transaction, and its tests check that the database ends up equal to this
function's result; the property tests use it to check that a second run of the same file
changes nothing (reliability anchors §2.3, item 13).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .model import REGULAR, TEMPORARY, ExistingBorrower, UpdatePlan
from .normalize import parse_date

_TEXT_FIELDS = ("name", "status", "school_class", "email", "ent_identity", "borrower_type")


def apply_plan_in_memory(
    existing: Sequence[ExistingBorrower], plan: UpdatePlan, *, first_new_number: int | None = None,
) -> list[ExistingBorrower]:
    """The base after the import: updated rows in place, deleted rows gone, new rows at the end.

    New borrowers get numbers from ``first_new_number`` (by default one more than the highest
    number of the base) in the order of ``plan.new``, and ids after the highest id; they are not
    in the lot and have no loan. Set-aside borrowers become "Usager temporaire".
    """
    updates = {update.borrower_id: update for update in plan.updated}
    deleted = {removal.borrower_id for removal in plan.deleted}
    set_aside = {removal.borrower_id for removal in plan.set_aside}
    result = []
    for borrower in existing:
        if borrower.borrower_id in deleted:
            continue
        values: dict[str, object] = {}
        update = updates.get(borrower.borrower_id)
        for change in update.changes if update else ():
            if change.field == "birth_date":
                values["birth_date"] = parse_date(change.new)
            elif change.field in _TEXT_FIELDS:
                values[change.field] = change.new
            else:
                raise ValueError(f"unknown field {change.field!r}")
        if borrower.borrower_id in set_aside:
            values["borrower_type"] = TEMPORARY
        result.append(dataclasses.replace(borrower, **values) if values else borrower)

    number = first_new_number
    if number is None:
        number = max((borrower.number for borrower in existing), default=0) + 1
    next_id = max((borrower.borrower_id for borrower in existing), default=0) + 1
    for offset, entry in enumerate(plan.new):
        person = entry.person
        result.append(ExistingBorrower(
            borrower_id=next_id + offset, number=number + offset, name=person.name,
            status=entry.status or person.status, school_class=person.school_class,
            birth_date=person.birth_date, email=person.email, ent_identity=person.ent_identity,
            borrower_type=REGULAR,
        ))
    return result
