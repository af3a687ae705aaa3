"""``ent_export_esidoc``: the e-sidoc users file from the command line (same rules as the page)."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sesame.ent.export import esidoc_export_create
from sesame.ent.models import SchoolClass
from sesame.ent.selectors import establishment_get


class Command(BaseCommand):
    help = "Exporte les utilisateurs de l'ENT au format BCDI (fichier XML pour E-SIDOC)."

    def add_arguments(self, parser):
        parser.add_argument("--uai", required=True, help="UAI de l'établissement, par exemple 9990001X.")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--classes", default="", help="Classes séparées par des virgules : 6eA,6eB.")
        which.add_argument("--all-classes", action="store_true", help="Toutes les classes.")
        parser.add_argument("--teachers", action="store_true", help="Exporter les enseignants.")
        parser.add_argument("--staff", action="store_true",
                            help="Exporter les CPE, DIRECTEUR, SECRETAIRE, ADMIN, CDI.")
        parser.add_argument("-o", "--output", required=True,
                            help="Fichier à écrire (« - » : sortie standard).")

    def handle(self, *args, uai, classes, all_classes, teachers, staff, output, **options):
        establishment = establishment_get(uai=uai)
        if establishment is None:
            raise CommandError(f"Aucun établissement n'a l'UAI « {uai} ».")
        known = dict(
            SchoolClass.objects.filter(establishment=establishment).values_list("name", "pk")
        )
        if all_classes:
            class_ids = sorted(known.values())
        else:
            wanted = [name.strip() for name in classes.split(",") if name.strip()]
            unknown = [name for name in wanted if name not in known]
            if unknown:
                raise CommandError(
                    f"Classe(s) inconnue(s) dans {establishment.uai} : {', '.join(unknown)}. "
                    f"Classes existantes : {', '.join(sorted(known)) or 'aucune'}."
                )
            class_ids = [known[name] for name in wanted]
        if not class_ids and not teachers and not staff:
            raise CommandError(
                "Rien à exporter : indiquez --classes, --all-classes, --teachers ou --staff."
            )
        export = esidoc_export_create(
            establishment=establishment, class_ids=class_ids,
            include_teachers=teachers, include_staff=staff,
        )
        content = bytes(export.content)
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            _write_atomically(Path(output), content)
            self.stdout.write(f"{export.person_count} personne(s) exportée(s) dans {output}.")


def _write_atomically(path: Path, content: bytes) -> None:
    """Write beside the target then rename, so a crash never leaves half a file behind."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise CommandError(f"Le dossier « {directory} » n'existe pas.")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".xml")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
