"""The commands ``backup_library`` and ``restore_library``: contracts for scripts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sesame.library.models import Borrower
from sesame.library.tools.backup import backup_read, library_backup_bytes
from tests.library.factories import OTHER_UAI, library_tables_dump, make_borrower

from .helpers import DAMAGED, NOTHING, UAI, restore_lines, tables_but_restore_lines


def run(*args, answer: str | None = None, monkeypatch=None) -> str:
    if answer is not None:
        monkeypatch.setattr("builtins.input", lambda: answer)
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("name", ["sauvegarde.json", "sauvegarde.json.gz"])
def test_backup_library_writes_the_backup_file(library, base, tmp_path, name):
    path = tmp_path / name

    output = run("backup_library", "--uai", UAI, "-o", str(path))

    backup = backup_read(path.read_bytes())
    assert (path.read_bytes()[:2] == b"\x1f\x8b") is name.endswith(".gz")
    assert backup.counts["loans"] == 4
    assert output == (
        f"Sauvegarde de {UAI} écrite dans {path} : 3 emprunteurs, 3 notices, 4 exemplaires, 4 prêts, "
        "1 règle de prêt, 2 réservations, 1 avis, 1 ligne du journal.\n"
        f"Empreinte SHA-256 : {backup.sha256}\n")
    assert [item.name for item in tmp_path.iterdir()] == [name]  # no temporary file left


def test_backup_library_refuses_an_unknown_school_or_folder(library, tmp_path):
    with pytest.raises(CommandError) as caught:
        run("backup_library", "--uai", "0000000A", "-o", str(tmp_path / "x.json"))
    assert str(caught.value) == ("Aucune bibliothèque n'a l'UAI 0000000A : créez-la d'abord avec « python "
                                 "manage.py add_establishment 0000000A --name \"Nom de l'établissement\" ». "
                                 "Aucune sauvegarde écrite.")
    with pytest.raises(CommandError) as caught:
        run("backup_library", "--uai", "0000000B", "-o", str(tmp_path / "x.json"))
    assert str(caught.value) == ("« 0000000B » n'est pas un code UAI valide (7 chiffres et la lettre de "
                                 "contrôle). Aucune sauvegarde écrite.")
    with pytest.raises(CommandError) as caught:
        run("backup_library", "--uai", UAI, "-o", str(tmp_path / "absent" / "x.json"))
    assert str(caught.value) == f"Dossier introuvable : {tmp_path / 'absent'}. Aucune sauvegarde écrite."


def test_restore_library_without_input_restores(library, base, tmp_path):
    path = tmp_path / "sauvegarde.json"
    run("backup_library", "--uai", UAI, "-o", str(path))
    before = library_tables_dump()
    make_borrower(library, "NOUVEAU Venu")

    output = run("restore_library", "--uai", UAI, str(path), "--no-input")

    assert tables_but_restore_lines() == before
    assert [(actor, detail.startswith("sauvegarde du ")) for _lib, actor, detail in restore_lines()] == [
        (None, True)]  # a command: no actor
    assert output.splitlines()[1:] == [
        "Base actuelle : 4 emprunteurs, 3 notices, 4 exemplaires, 4 prêts, 1 règle de prêt, 2 réservations, "
        "1 avis, 1 ligne du journal.",
        "Base restaurée : 3 emprunteurs, 3 notices, 4 exemplaires, 4 prêts, 1 règle de prêt, 2 réservations, "
        "1 avis, 1 ligne du journal."]


def test_restore_library_asks_oui_or_non(library, base, tmp_path, monkeypatch):
    path = tmp_path / "sauvegarde.json"
    path.write_bytes(library_backup_bytes(library=library))
    make_borrower(library, "NOUVEAU Venu")
    before = library_tables_dump()

    output = run("restore_library", "--uai", UAI, str(path), answer="non", monkeypatch=monkeypatch)

    assert output.splitlines()[-1] == (
        "Remplacer la base actuelle par cette sauvegarde ? (oui/non) Restauration abandonnée. Rien n'a été "
        "modifié.")
    assert library_tables_dump() == before

    run("restore_library", "--uai", UAI, str(path), answer="oui", monkeypatch=monkeypatch)

    assert Borrower.objects.filter(library=library).count() == 3


def test_restore_library_refuses_before_asking(library, base, other, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda: pytest.fail("nothing must be asked"))
    good, damaged = tmp_path / "bonne.json", tmp_path / "abimee.json"
    good.write_bytes(library_backup_bytes(library=library))
    damaged.write_bytes(good.read_bytes()[:-200])
    before = library_tables_dump()

    for uai, path, expected in [
        (OTHER_UAI, good, "Cette sauvegarde est celle de 0750001U, pas de 9990001X."),
        (UAI, damaged, DAMAGED.format("le fichier est incomplet, coupé avant la fin")),
    ]:
        with pytest.raises(CommandError) as caught:
            run("restore_library", "--uai", uai, str(path))
        assert str(caught.value) == f"{expected} {NOTHING}"

    with pytest.raises(CommandError) as caught:
        run("restore_library", "--uai", UAI, str(tmp_path / "absente.json"), "--no-input")
    assert str(caught.value) == f"Fichier introuvable : {tmp_path / 'absente.json'}. {NOTHING}"
    assert library_tables_dump() == before
