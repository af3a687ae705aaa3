"""``manage.py restore_library --uai UAI FILE [--no-input]``: put a backup back, for a script.

A contract for scripts, so its shape does not change. The file is read and checked first
(format, checksum, establishment) and a refused file changes nothing; then what it holds is
shown and "oui/non" asked, unless ``--no-input``. The restore itself is one transaction
(``sesame.library.tools.restore.library_restore``).
"""

from django.core.management.base import BaseCommand, CommandError

from sesame.library.management.commands._common import confirmed, library_for_command, read_input
from sesame.library.tools.backup import MAX_BACKUP_BYTES, BackupRefused, backup_summary, library_counts
from sesame.library.tools.restore import backup_for_library, library_restore

NOTHING_DONE = "Rien n'a été modifié."


class Command(BaseCommand):
    help = ("Remplace la base de la bibliothèque d'un établissement par une sauvegarde "
            "(fichier de backup_library ou de « Télécharger la sauvegarde »).")

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement.")
        parser.add_argument("file", help="Fichier de sauvegarde (.json ou .json.gz).")
        parser.add_argument("--no-input", action="store_true", help="Ne demande pas de confirmation.")

    def handle(self, *args, uai: str, file: str, no_input: bool, **options) -> None:
        library = library_for_command(uai, nothing_done=NOTHING_DONE)
        content = read_input(file, limit=MAX_BACKUP_BYTES, nothing_done=NOTHING_DONE)
        try:  # a damaged file or another establishment's is refused before asking, not after
            backup = backup_for_library(library=library, content=content)
        except BackupRefused as refusal:
            raise CommandError(f"{refusal.message} {NOTHING_DONE}") from refusal
        when = backup.created_at.strftime("%d/%m/%Y %H:%M") if backup.created_at else "?"
        self.stdout.write(f"Sauvegarde de {backup.uai} du {when} : {backup_summary(backup.counts)}.")
        self.stdout.write(f"Base actuelle : {backup_summary(library_counts(library=library))}.")
        if not no_input and not confirmed(self, "Remplacer la base actuelle par cette sauvegarde ?"):
            self.stdout.write(f"Restauration abandonnée. {NOTHING_DONE}")
            return
        try:
            result = library_restore(library=library, content=content, acting_user=None)
        except BackupRefused as refusal:
            raise CommandError(f"{refusal.message} {NOTHING_DONE}") from refusal
        self.stdout.write(f"Base restaurée : {backup_summary(result.counts)}.")
        if result.journal_kept:
            self.stdout.write(f"{result.journal_kept} opération(s) enregistrée(s) depuis la sauvegarde "
                              "reste(nt) dans le journal de circulation.")
