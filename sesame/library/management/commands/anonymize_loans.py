"""``manage.py anonymize_loans --uai UAI [--before DATE] [--borrowers EXPRESSION] [--no-input]``.

A contract for scripts (a yearly purge, CNIL reference S35), so its shape does not change.
Returned loans, returned before DATE (yyyy-mm-dd) if given and of the borrowers EXPRESSION
selects if given, keep their date, copy, status and class, and lose the borrower. The count is
shown and "oui/non" asked, unless ``--no-input``; the count confirmed is the count done.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sesame.library.management.commands._common import confirmed, library_for_command
from sesame.library.tools.anonymize import (
    AnonymizeRefused,
    anonymize_preview,
    anonymize_selection,
    loans_anonymize,
)

NOTHING_DONE = "Rien n'a été modifié."


class Command(BaseCommand):
    help = "Rend anonymes les prêts rendus (conservés pour les statistiques, sans l'emprunteur)."

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement.")
        parser.add_argument("--before", default=None,
                            help="Seulement les prêts rendus avant cette date (aaaa-mm-jj).")
        parser.add_argument("--borrowers", default="",
                            help="Seulement les prêts des emprunteurs de cette équation, "
                                 "par exemple « Statut=Elève ».")
        parser.add_argument("--no-input", action="store_true", help="Ne demande pas de confirmation.")

    def handle(self, *args, uai: str, before: str | None, borrowers: str, no_input: bool, **options) -> None:
        library = library_for_command(uai, nothing_done=NOTHING_DONE)
        try:
            day = date.fromisoformat(before) if before is not None else None
        except ValueError as error:
            raise CommandError(f"Date incorrecte « {before} » : écrivez-la aaaa-mm-jj, par exemple "
                               f"2025-05-01. {NOTHING_DONE}") from error
        try:
            selection = anonymize_selection(before=day, expression=borrowers)
            preview = anonymize_preview(library=library, selection=selection)
            scope = f"rendus avant le {day:%d/%m/%Y}" if day else "rendus"
            lot = f", des emprunteurs « {selection.lot_text} »" if selection.lot else ""
            self.stdout.write(f"Prêts {scope}{lot} : {preview.loans} "
                              f"(emprunteurs concernés : {preview.borrowers}).")
            if not preview.loans:
                self.stdout.write(f"Aucun prêt à rendre anonyme. {NOTHING_DONE}")
                return
            if not no_input and not confirmed(self, f"Rendre ces {preview.loans} prêts anonymes ?"):
                self.stdout.write(f"Abandon. {NOTHING_DONE}")
                return
            count = loans_anonymize(library=library, selection=selection, expected=preview.loans,
                                    acting_user=None)
        except AnonymizeRefused as refusal:
            raise CommandError(f"{refusal.message} {NOTHING_DONE}") from refusal
        self.stdout.write(f"{count} prêt(s) rendu(s) anonyme(s).")
