"""``manage.py import_marc``: the same import as the page, its report printed; refusals in French."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sesame.library.models import Record
from tests.library.factories import UAI, catalogue_dump

from .marc_files import BCDI_FILE, MARC21_FILE


def records(library) -> list[str]:
    return list(Record.objects.filter(library=library).values_list("title", flat=True))


def test_import_marc_command_detects_the_format_and_prints_the_report(library):
    out = StringIO()

    call_command("import_marc", "--uai", UAI, str(MARC21_FILE), stdout=out)

    assert out.getvalue().splitlines() == [
        "Import de notices — marc21-marc8.mrc",
        "Format reconnu : MARC21 (titres en zone 245).",
        "Encodage des caractères : MARC-8.",
        "Notices lues : 5 — importées : 4 — déjà au catalogue : 0 — ignorées : 1 — exemplaires ajoutés : 5.",
        "",
        "Notice 3 : exemplaire sans code-barre (949$i) non repris.",
        "Notice 4 : pas de titre (245$a) — ignorée.",
    ]
    assert len(records(library)) == 4


def test_import_marc_command_with_the_format_given(library):
    out = StringIO()

    call_command("import_marc", "--uai", UAI.lower(), "--format", "unimarc", str(BCDI_FILE), stdout=out)

    assert out.getvalue().splitlines()[1] == "Format indiqué : UNIMARC."
    assert len(records(library)) == 4


@pytest.mark.parametrize(("args", "message"), [
    (["--uai", UAI, "{tmp}/notices.csv"],
     "{tmp}/notices.csv : Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : aucune "
     "notice importée."),
    (["--uai", UAI, "{tmp}/absent.iso"],
     "Fichier introuvable : {tmp}/absent.iso. Aucune notice importée."),
    (["--uai", "0750001U", "{tmp}/notices.csv"],
     "Aucune bibliothèque n'a l'UAI 0750001U : créez-la d'abord avec « python manage.py add_establishment "
     "0750001U --name \"Nom de l'établissement\" ». Aucune notice importée."),
    (["--uai", "1234", "{tmp}/notices.csv"],
     "« 1234 » n'est pas un code UAI valide (7 chiffres et la lettre de contrôle). Aucune notice importée."),
])
def test_import_marc_command_refusals_change_nothing(library, tmp_path, args, message):
    (tmp_path / "notices.csv").write_bytes(b"Titre;Auteur\nLe lion;Kessel\n")
    before = catalogue_dump()

    with pytest.raises(CommandError) as error:
        call_command("import_marc", *[arg.format(tmp=tmp_path) for arg in args])

    assert str(error.value) == message.format(tmp=tmp_path)
    assert catalogue_dump() == before
