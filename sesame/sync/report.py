"""The report of an update: every change and why (SPEC §2 step 5, seed C "Rapport de la mise à jour").

Reliability anchors §2.3 (item 14) and similar-systems §3 (pain point 15, "opaque sync reports"):
a librarian must be able to tell, months later, why a borrower was created, changed, deleted or
set aside. The rows are shared by the HTML page and the RTF file (the format BCDI saves), so
both always say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from .model import BorrowerRemoval, FieldChange, UpdatePlan
from .normalize import format_date
from .rtf import RtfDocument

ADDED = "Ajout"
UPDATED = "Mise à jour"
DELETED = "Suppression"
SET_ASIDE = "Mise à l'écart"

FIELD_LABELS = {
    "name": "Emprunteur",
    "status": "Statut",
    "school_class": "Classe",
    "birth_date": "Date de naissance",
    "email": "Courriel",
    "ent_identity": "Identité ENT",
    "borrower_type": "Type d'emprunteur",
}
_WIDTHS = (900, 2900, 3300, 2538)  # twips, the width of an A4 page inside 2 cm margins


@dataclass(frozen=True)
class ReportRow:
    """One change. ``number`` is None for a new borrower whose number is not known yet."""

    action: str
    number: int | None
    name: str
    reason: str
    changes: str
    ambiguous: bool = False


def changes_text(changes: tuple[FieldChange, ...]) -> str:
    """"Classe : 5eA → 4eA ; Courriel : (vide) → …" in the order of the fields."""
    return " ; ".join(
        f"{FIELD_LABELS.get(change.field, change.field)} : "
        f"{change.old or '(vide)'} → {change.new or '(vide)'}"
        for change in changes
    )


def _new_record_text(entry) -> str:
    person = entry.person
    values = (("Statut", entry.status or person.status), ("Classe", person.school_class),
              ("Date de naissance", format_date(person.birth_date)), ("Courriel", person.email))
    return " ; ".join(f"{label} : {value}" for label, value in values if value)


def _removal_row(action: str, removal: BorrowerRemoval) -> ReportRow:
    changes = "Type d'emprunteur : Usager → Usager temporaire" if action == SET_ASIDE else ""
    return ReportRow(action, removal.number, removal.name, removal.reason, changes)


def report_rows(plan: UpdatePlan, *, new_numbers: Mapping[str, int] | None = None) -> list[ReportRow]:
    """One row per change, in the order of the four groups; unchanged matches are left out.

    ``new_numbers`` (ENT identity → number) lets the report made after the import show the numbers
    the new borrowers received.
    """
    numbers = new_numbers or {}
    rows = [
        ReportRow(ADDED, numbers.get(entry.person.ent_identity), entry.person.name, entry.reason,
                  _new_record_text(entry))
        for entry in plan.new
    ]
    rows += [
        ReportRow(UPDATED, update.number, update.person.name, update.reason, changes_text(update.changes),
                  update.ambiguous)
        for update in plan.updated
        if update.changes or update.ambiguous
    ]
    rows += [_removal_row(DELETED, removal) for removal in plan.deleted]
    rows += [_removal_row(SET_ASIDE, removal) for removal in plan.set_aside]
    return rows


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def report_rtf(
    plan: UpdatePlan, *, library_name: str, uai: str, when: datetime, file_name: str, lot_expression: str,
    new_numbers: Mapping[str, int] | None = None,
) -> bytes:
    """The report as an RTF file, grouped as BCDI's analysis is, each group with its count."""
    counts = plan.counts
    title = "Rapport de mise à jour des emprunteurs"
    document = RtfDocument(title=title, author="Sésame", created=when)
    document.heading(title)
    document.paragraph(f"Bibliothèque : {library_name} ({uai})")
    document.paragraph(f"Date : le {when:%d/%m/%Y} à {when:%H:%M}")
    document.paragraph(f"Fichier d'importation : {file_name}")
    lot = lot_expression.strip()
    document.paragraph(
        f"Emprunteurs à mettre à jour : « {lot} »" if lot
        else "Emprunteurs à mettre à jour : aucune équation ; personne n'est supprimé ni mis à l'écart."
    )
    document.paragraph(
        f"Après l'importation : {_plural(counts['new'], 'nouveau', 'nouveaux')}, "
        f"{counts['updated']} mis à jour (dont {_plural(counts['ambiguous'], 'ambigu', 'ambigus')}), "
        f"{_plural(counts['deleted'], 'supprimé', 'supprimés')}, {counts['set_aside']} mis à l'écart.",
        bold=True,
    )
    for guard in plan.guards:
        state = "confirmé par la documentaliste" if guard.confirmed else "non confirmé"
        document.paragraph(f"Avertissement ({state}) : {guard.message}")

    rows = report_rows(plan, new_numbers=new_numbers)
    sections = (
        (ADDED, f"Nouveaux ({counts['new']})", None),
        (UPDATED, f"Mis à jour ({counts['updated']}, dont {counts['ambiguous']} ambigus)",
         "« ? » : rapproché sur le nom seul, à vérifier. Le « ? » n'est pas ajouté au nom."),
        (DELETED, f"Supprimés ({counts['deleted']})", None),
        (SET_ASIDE, f"Mis à l'écart ({counts['set_aside']})",
         "Ils ont des prêts en cours : ils deviennent usagers temporaires (retours seulement)."),
    )
    for action, heading, note in sections:
        document.heading(heading, level=2)
        if note:
            document.paragraph(note, grey=True)
        group = [row for row in rows if row.action == action]
        if not group:
            document.paragraph("Aucun.")
            continue
        document.table(_WIDTHS, ("N°", "Emprunteur", "Motif", "Modifications"), [
            ("" if row.number is None else str(row.number), ("? " if row.ambiguous else "") + row.name,
             row.reason, row.changes)
            for row in group
        ])
    _pending_sections(document, plan)
    return document.to_bytes()


def _pending_sections(document: RtfDocument, plan: UpdatePlan) -> None:
    """Homonyms left unresolved and suggestions not taken: what to check by hand afterwards."""
    if plan.conflicts:
        document.heading(f"Homonymes non résolus ({len(plan.conflicts)})", level=2)
        document.paragraph("Une nouvelle fiche a été créée pour chaque personne, comme dans BCDI : "
                           "vérifiez ces emprunteurs.", grey=True)
        widths = (*_WIDTHS[:2], _WIDTHS[2] + _WIDTHS[3])
        document.table(widths, ("Nom", "Fiches de la base", "Personnes du fichier"), [
            (conflict.name_key, ", ".join(f"n° {n}" for n in conflict.borrower_numbers),
             ", ".join(conflict.ent_identities))
            for conflict in plan.conflicts
        ])
    if plan.suggestions:
        document.heading(f"Suggestions non retenues ({len(plan.suggestions)})", level=2)
        document.table(_WIDTHS, ("N°", "Identité ENT", "Score", "Motif"), [
            (str(s.number), s.ent_identity, f"{s.score:g}", s.reason) for s in plan.suggestions
        ])
    if plan.held:
        document.heading(f"En attente d'une décision ({len(plan.held)})", level=2)
        document.paragraph("Emprunteurs laissés tels quels tant que les homonymes et les suggestions ne sont "
                           "pas tranchés.", grey=True)
