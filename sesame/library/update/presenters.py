"""What the update pages show, computed from a plan or a run's stored report (seed C's windows).

The analysis page shows the *final* plan, the one "Importation" carries out if clicked now, so
that "Après l'importation, il y aura" is true at every moment; what is still awaiting a decision
is marked in it ("homonyme à résoudre", "suggestion à examiner") and listed next to the button.
The report is read back from the run as stored at import, so it stays what was done even after
the base moves on.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sesame.library.models import Borrower, UpdateRun
from sesame.library.update.forms import ResolutionForm
from sesame.library.update.selectors import Analysis, borrowers_by_id, suggestion_decisions, update_importer
from sesame.sync import SuggestionKey, UpdatePlan
from sesame.sync.report import ADDED, DELETED, SET_ASIDE, UPDATED

_FIELD_LABELS = {
    "name": gettext_lazy("nom"), "status": gettext_lazy("statut"), "school_class": gettext_lazy("classe"),
    "birth_date": gettext_lazy("date de naissance"), "email": gettext_lazy("courriel"),
}
_CONFLICT_TITLES = {
    "several_borrowers": gettext_lazy("Cas n°1 : plusieurs emprunteurs de la base pour une seule personne "
                                      "du fichier"),
    "several_people": gettext_lazy("Cas n°2 : plusieurs personnes du fichier pour un seul emprunteur de "
                                   "la base"),
    "both": gettext_lazy("Autre cas : des homonymes à la fois dans le fichier et dans la base"),
}


def _change_text(change) -> str:
    """"classe 5eB → 4eB", as the librarian reads a change; the hidden identity is only named."""
    if change.field == "ent_identity":
        return _("identité ENT enregistrée") if not change.old else _("identité ENT remplacée")
    if change.field == "borrower_type":
        return _("redevient usager")
    label = _FIELD_LABELS.get(change.field, change.field)
    return f"{label} {change.old or _('(vide)')} → {change.new}"


def _groups(plan: UpdatePlan) -> dict:
    """The four groups of the "Après l'importation, il y aura" table, each with its list."""
    conflict_sides = {key for c in plan.conflicts for key in (*c.ent_identities, *c.borrower_ids)}
    suggested_sides = {key for s in plan.suggestions for key in (s.ent_identity, s.borrower_id)}

    def note(key: str | int) -> str:
        """Who is in a group only until the librarian decides, on either side of the decision."""
        if key in conflict_sides:
            return _("homonyme à résoudre")
        return _("suggestion à examiner") if key in suggested_sides else ""

    def removals(group) -> list[dict]:
        return [{"name": removal.name, "number": removal.number, "open_loans": removal.open_loans,
                 "note": note(removal.borrower_id)} for removal in group]

    return {
        "new": [{"name": entry.person.name, "note": note(entry.person.ent_identity),
                 "school_class": entry.person.school_class, "status": entry.status or entry.person.status}
                for entry in plan.new],
        "updated": [{"name": update.person.name, "ambiguous": update.ambiguous, "number": update.number,
                     "changes": ", ".join(_change_text(change) for change in update.changes)}
                    for update in plan.changed],
        "deleted": removals(plan.deleted),
        "set_aside": removals(plan.set_aside),
    }


def _pending(plan: UpdatePlan) -> list[str]:
    """What "Importation" will do with the decisions not taken, said next to the button."""
    pending = []
    unresolved = sum(len(conflict.ent_identities) for conflict in plan.conflicts)
    if unresolved:
        pending.append(ngettext(
            "%(count)d homonyme non résolu : la personne sera créée comme nouvelle fiche, comme le fait "
            "BCDI.",
            "%(count)d homonymes non résolus : les personnes seront créées comme nouvelles fiches, comme "
            "le fait BCDI.", unresolved) % {"count": unresolved})
    if plan.suggestions:
        count = len(plan.suggestions)
        pending.append(ngettext(
            "%(count)d suggestion non traitée : la personne sera créée comme nouvelle fiche, comme le "
            "fait BCDI.",
            "%(count)d suggestions non traitées : les personnes seront créées comme nouvelles fiches, "
            "comme le fait BCDI.", count) % {"count": count})
    return pending


def analysis_borrowers(*, run: UpdateRun, plan: UpdatePlan) -> dict[int, Borrower]:
    """The borrowers the analysis page names: in a conflict, a suggestion, or a decision taken."""
    ids = [*(borrower for conflict in plan.conflicts for borrower in conflict.borrower_ids),
           *(suggestion.borrower_id for suggestion in plan.suggestions),
           *(key.borrower_id for key in suggestion_decisions(run)),
           *(borrower for borrower in run.resolutions.values() if borrower is not None)]
    return borrowers_by_id(library=run.library, ids=ids)


def analysis_context(run: UpdateRun, analysis: Analysis, borrowers: dict[int, Borrower]) -> dict:
    """Everything the analysis page shows, from the plan and the borrowers the decisions are about."""
    plan, users_file = analysis.plan, analysis.users_file
    people = {person.ent_identity: person for person in users_file.people}
    conflicts = [
        {"title": _CONFLICT_TITLES.get(conflict.kind, conflict.kind),
         "name": people[conflict.ent_identities[0]].name if conflict.ent_identities else conflict.name_key,
         "people": [{"person": people.get(identity), "identity": identity,
                     "field": ResolutionForm.field_name(identity)} for identity in conflict.ent_identities],
         "borrowers": [borrowers[pk] for pk in conflict.borrower_ids if pk in borrowers]}
        for conflict in plan.conflicts
    ]
    suggestions = [
        {"key": SuggestionKey.of(s).key(), "borrower": borrowers.get(s.borrower_id),
         "person": people.get(s.ent_identity), "score": s.score, "reason": s.reason}
        for s in plan.suggestions
    ]
    decided = [
        {"key": key.key(), "accepted": decision == "accepted", "borrower": borrowers.get(key.borrower_id),
         "person": people.get(key.ent_identity)}
        for key, decision in sorted(suggestion_decisions(run).items(), key=lambda item: item[0].key())
        if decision in ("accepted", "rejected")
    ]
    resolutions = [
        {"person": people.get(identity), "borrower": borrowers.get(borrower_id) if borrower_id else None}
        for identity, borrower_id in run.resolutions.items()
    ]
    return {
        "plan": plan, "counts": plan.counts, "groups": _groups(plan), "users_file": users_file,
        "people_count": len(users_file.people), "lot_size": analysis.lot_size, "conflicts": conflicts,
        "suggestions": suggestions, "decided_suggestions": decided, "resolutions": resolutions,
        "guards": plan.guards, "blocking_guards": plan.blocking_guards, "pending": _pending(plan),
        "unchanged_count": len(plan.unchanged),
    }


def report_context(run: UpdateRun) -> dict:
    """The stored report rows, grouped as the analysis is (the RTF file says the same)."""
    rows = run.report.get("rows", [])
    counts = run.report.get("counts", {})
    titles = ((ADDED, _("Nouveaux"), counts.get("new", 0)),
              (UPDATED, _("Mis à jour"), counts.get("updated", 0)),
              (DELETED, _("Supprimés"), counts.get("deleted", 0)),
              (SET_ASIDE, _("Mis à l'écart"), counts.get("set_aside", 0)))
    sections = [{"action": action, "title": title, "count": count,
                 "rows": [row for row in rows if row["action"] == action]} for action, title, count in titles]
    return {"sections": sections, "counts": counts, "importer": update_importer(run=run)}
