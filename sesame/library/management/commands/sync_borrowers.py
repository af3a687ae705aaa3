"""``sync_borrowers``: the borrower update from the ENT file, scriptable (SPEC §2, seed C).

A contract for scripts, so its shape does not change::

    manage.py sync_borrowers --uai UAI FILE.xml [--lot EXPRESSION] [--json] [--apply]
                             [--accept-suggestions] [--yes]

Without ``--apply`` nothing is written: the analysis is printed (``--json``: exactly one JSON
object on stdout, ``UpdatePlan.to_json()``). With ``--apply`` the import runs through the same
services as the pages, in one transaction; what the homonym window and the suggestions would
ask is answered as BCDI does (a new record), unless ``--accept-suggestions``; a file stopped by a
guard (many removals, almost nobody known) needs ``--yes``. Every refusal is a ``CommandError``
in French, and leaves the base as it was. The journal records the analysis, the decisions and
the import with no actor: a command.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sesame.interop.fiches_xml import Limits
from sesame.library.management.commands._common import library_for_command, read_input
from sesame.library.update.errors import UpdateRefused
from sesame.library.update.selectors import plan_for
from sesame.library.update.services import update_abandon, update_analyse, update_apply, update_decide
from sesame.sync import SuggestionKey, UpdateOptions


class Command(BaseCommand):
    help = ("Compare les emprunteurs au fichier des utilisateurs de l'ENT. Sans --apply, rien n'est "
            "écrit : l'analyse est seulement affichée.")

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement.")
        parser.add_argument("file", help="Fichier XML exporté par l'ENT (format BCDI).")
        parser.add_argument("--lot", default="", help="Emprunteurs à mettre à jour, ex. « Statut=Elève ».")
        parser.add_argument("--json", action="store_true", help="Affiche le plan en JSON.")
        parser.add_argument("--apply", action="store_true", help="Importe les changements.")
        parser.add_argument("--accept-suggestions", action="store_true",
                            help="Accepte toutes les suggestions (sinon : nouvelles fiches, comme BCDI).")
        parser.add_argument("--yes", action="store_true",
                            help="Confirme une importation inhabituelle (beaucoup de suppressions…).")

    def handle(self, *args, uai, file, lot, apply, accept_suggestions, yes, **options):
        library = library_for_command(uai)
        content = read_input(file, limit=Limits.max_bytes)
        try:
            preview = plan_for(library=library, content=content, lot_expression=lot,
                               options=UpdateOptions(final=apply))
            if accept_suggestions:
                accepted = frozenset(SuggestionKey.of(s) for s in preview.plan.suggestions)
                preview = plan_for(library=library, content=content, lot_expression=lot,
                                   options=UpdateOptions(final=apply, accepted_suggestions=accepted))
        except UpdateRefused as error:
            raise CommandError(error.message) from error
        plan = preview.plan
        if options["json"]:
            self.stdout.write(json.dumps(plan.to_json(), ensure_ascii=False, indent=2))
        else:
            self._print_summary(plan, preview)
        if not apply:
            return
        blocking = plan.blocking_guards
        if blocking and not yes:
            raise CommandError(" ".join(g.message for g in blocking) + " Ajoutez --yes pour confirmer.")
        run = self._import(library, Path(file).name, content, lot, accept_suggestions=accept_suggestions,
                           confirmed=[g.code for g in plan.guards] if yes else [])
        counts = run.report["counts"]
        # On stderr, so that stdout stays the one JSON object a script reads with --json.
        self.stderr.write(
            f"Importation terminée : {_plural(counts['new'], 'nouveau', 'nouveaux')}, "
            f"{counts['updated']} mis à jour, {_plural(counts['deleted'], 'supprimé', 'supprimés')}, "
            f"{counts['set_aside']} mis à l'écart. Rapport : mise à jour n° {run.pk}."
        )

    def _import(self, library, file_name: str, content: bytes, lot: str, *, accept_suggestions: bool,
                confirmed: list[str]):
        """Analyse, decide as asked, import: the pages' services, with no actor (a command)."""
        try:
            analysis = update_analyse(library=library, file_name=file_name, content=content,
                                      lot_expression=lot, acting_user=None)
        except UpdateRefused as error:
            raise CommandError(error.message) from error
        decisions = {SuggestionKey.of(s): "accepted"
                     for s in analysis.plan.suggestions} if accept_suggestions else {}
        run = update_decide(run=analysis.run, suggestion_decisions=decisions, confirmed_guards=confirmed,
                            acting_user=None)
        try:
            return update_apply(run=run, acting_user=None)
        except UpdateRefused as error:
            # Nobody will come back to this analysis (there is no page behind a command): it is
            # closed, so that the history lists it as abandoned rather than pending.
            update_abandon(run=run, acting_user=None)
            raise CommandError(error.message) from error

    def _print_summary(self, plan, preview) -> None:
        counts = plan.counts
        file = preview.users_file
        self.stdout.write(
            f"Fichier : {len(file.people)} personne(s) ; lot : {preview.lot_size} emprunteur(s).")
        self.stdout.write(
            f"Après l'importation, il y aura : {counts['new']} nouveaux, {counts['updated']} mis à jour "
            f"(dont {counts['ambiguous']} ambigus), {counts['deleted']} supprimés, "
            f"{counts['set_aside']} mis à l'écart ; {counts['conflicts']} homonymie(s) à résoudre, "
            f"{counts['suggestions']} suggestion(s)."
        )
        for guard in plan.guards:
            self.stdout.write(f"Attention : {guard.message}")


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"
