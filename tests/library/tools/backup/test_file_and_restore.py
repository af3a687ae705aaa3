"""Backing up one library's base and putting it back (seed C "sauvegarder la base", SPEC §4): the file
and the restore service.

The round trip must give back every column of every row, ids included, and the journal gains
one line saying who restored which backup; every refusal must leave every table of every
library exactly as it was.
"""

import gzip
import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from sesame.library.models import Borrower, Copy, LibraryEvent, Loan, LoanRule, Record
from sesame.library.tools import restore as restore_module
from sesame.library.tools.backup import (
    BACKUP_FORMAT,
    BACKUP_VERSION,
    BackupRefused,
    backup_checksum,
    backup_read,
    backup_tables,
    library_backup_bytes,
    library_backup_data,
)
from sesame.library.tools.restore import library_restore
from tests.library.factories import (
    library_tables_dump,
    make_borrower,
    make_library,
    make_loan,
)

from .helpers import DAMAGED, NOW, UAI, edited, refusal, restore_lines, sealed, tables_but_restore_lines

# --- The file -----------------------------------------------------------------------------------


def test_the_backup_is_self_describing_json_with_counts_and_checksum(library, base):
    content = library_backup_bytes(library=library, now=NOW)
    document = json.loads(content)

    assert list(document)[:6] == ["format", "version", "created_at", "library", "counts", "sha256"]
    assert document["format"] == BACKUP_FORMAT == "sesame-bibliotheque-sauvegarde"
    assert document["version"] == BACKUP_VERSION == 2
    assert document["created_at"] == "2025-09-02T08:30:15.123456+00:00"
    assert document["library"] == {"uai": UAI, "name": "Collège Victor Hugo"}
    assert document["counts"] == {"borrowers": 3, "records": 3, "copies": 4, "loans": 4, "loan_rules": 1,
                                  "reservations": 2, "alerts": 1, "events": 1}
    assert document["sha256"] == backup_checksum(document)
    assert len(document["sha256"]) == 64
    assert "update_runs" not in document and "librarians" not in document
    pupil = base["pupil"]
    assert document["borrowers"][0] == {
        "id": pupil.pk, "number": 1, "name": "LEFÈVRE Chloé", "status": "Elève", "school_class": "6eA",
        "birth_date": "2014-02-03", "email": "chloe@example.org", "borrower_type": "Usager",
        "ent_identity": "ENT-LEFEVRE", "created_at": pupil.created_at.isoformat(),
        "updated_at": pupil.updated_at.isoformat(),
    }
    assert [row["borrower_id"] for row in document["loans"]].count(None) == 1


def test_each_row_is_one_line_so_a_person_can_read_the_file(library, base):
    lines = library_backup_bytes(library=library, now=NOW).decode().splitlines()

    assert lines[0] == "{"
    assert lines[1] == ' "format": "sesame-bibliotheque-sauvegarde",'
    assert lines[-1] == "}"
    assert sum(1 for line in lines if line.startswith('  {"id": ')) == 19  # every row of every table


def test_the_checksum_ignores_the_layout_but_not_a_value(library, base):
    document = library_backup_data(library=library, now=NOW)
    checksum = backup_checksum(document)

    assert backup_checksum(json.loads(json.dumps(document, indent=4))) == checksum
    document["borrowers"][0]["name"] = "LEFEVRE Chloé"
    assert backup_checksum(document) != checksum


def test_reading_a_backup_gives_its_header(library, base):
    backup = backup_read(gzip.compress(library_backup_bytes(library=library, now=NOW)))

    assert (backup.uai, backup.name, backup.created_at) == (UAI, "Collège Victor Hugo", NOW)
    assert backup.counts["loans"] == 4


def test_every_table_linked_to_a_backed_up_table_is_backed_up_too(db):
    """Otherwise a restore would delete or unlink rows it cannot give back (it refuses instead)."""
    from django.apps import apps

    covered = {table.model for table in backup_tables()}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in covered:
                assert model in covered, f"{model.__name__}.{field.name} is not in the backup"


# --- Round trips --------------------------------------------------------------------------------


def test_backup_then_restore_gives_back_the_same_base_ids_included(library, base):
    before = library_tables_dump()

    result = library_restore(library=library, content=library_backup_bytes(library=library), acting_user=None)

    assert tables_but_restore_lines() == before
    assert result.counts == {"borrowers": 3, "records": 3, "copies": 4, "loans": 4, "loan_rules": 1,
                             "reservations": 2, "alerts": 1, "events": 1}
    assert result.journal_kept == 0


def test_a_gzipped_backup_restores_the_same(library, base):
    before = library_tables_dump()

    library_restore(library=library, content=gzip.compress(library_backup_bytes(library=library)),
                    acting_user=None)

    assert tables_but_restore_lines() == before


def test_restore_after_changes_brings_the_old_state_back_and_keeps_the_journal(library, base, librarian):
    content = library_backup_bytes(library=library)
    before = library_tables_dump()
    journal_before = before.pop("LibraryEvent")
    # A morning of work after the backup: a loan returned, another made, a borrower deleted,
    # a record edited, a new borrower, a rule deleted, history made anonymous.
    Loan.objects.filter(pk=base["open_loan"].pk).update(returned_on=date(2025, 9, 3))
    newcomer = make_borrower(library, "NGUYEN Léa", school_class="6eB")
    new_loan = make_loan(newcomer, copy=base["copies"][0])
    event = LibraryEvent.objects.create(library=library, actor=librarian, action="checkout",
                                            borrower=newcomer, copy=base["copies"][0], detail="prêt")
    later = LibraryEvent.objects.create(library=library, actor=librarian, action="return",
                                            borrower=base["pupil"], copy=base["copies"][0], detail="retour")
    Record.objects.filter(pk=base["record"].pk).update(title="Antigone")
    LoanRule.objects.filter(library=library).delete()
    Loan.objects.filter(library=library, returned_on__isnull=False).update(borrower=None)

    result = library_restore(library=library, content=content, acting_user=None)

    after = tables_but_restore_lines()
    journal_after = after.pop("LibraryEvent")
    assert after == before
    assert not Borrower.objects.filter(pk=newcomer.pk).exists()
    assert not Loan.objects.filter(pk=new_loan.pk).exists()
    # The journal keeps what happened since, linked again to the rows the backup gave back.
    assert journal_after[:1] == journal_before
    assert result.journal_kept == 2
    assert [(row.pk, row.borrower_id, row.copy_id) for row in
            LibraryEvent.objects.filter(pk__in=[event.pk, later.pk]).order_by("pk")] == [
        (event.pk, None, base["copies"][0].pk), (later.pk, base["pupil"].pk, base["copies"][0].pk)]


def test_after_a_restore_new_rows_get_new_ids(library, base):
    content = library_backup_bytes(library=library)
    newest = make_borrower(library, "DERNIER Arrivé")
    library_restore(library=library, content=content, acting_user=None)

    again = make_borrower(library, "ENCORE Un")

    assert again.pk > newest.pk  # an id handed out before is not handed out again
    assert again.number == 4


def test_a_backup_restores_into_an_emptied_library(library, base):
    """A lost base: the file alone gives everything back (here, after deleting every row)."""
    before = library_tables_dump()
    content = library_backup_bytes(library=library)
    for table in reversed(backup_tables()):
        table.model._base_manager.filter(library=library).delete()

    library_restore(library=library, content=content, acting_user=None)

    assert tables_but_restore_lines() == before


def test_a_desk_user_unknown_here_is_forgotten_not_invented(library, base):
    """A backup read back on another server: the journal keeps its lines, without a wrong "who"."""
    def unknown_user(document):
        document["events"][0]["actor_id"] = 999999

    content = edited(library, unknown_user)
    LibraryEvent.objects.filter(library=library).delete()

    library_restore(library=library, content=content, acting_user=None)

    restored = LibraryEvent.objects.filter(library=library).exclude(action="restore")
    assert list(restored.values_list("actor_id", "borrower_id")) == [(None, base["pupil"].pk)]


def test_a_table_the_backup_predates_comes_back_empty(library, base):
    """A backup written before loan rules existed: the base had none then."""
    def without_rules(document):
        del document["loan_rules"]

    library_restore(library=library, content=edited(library, without_rules), acting_user=None)

    assert not LoanRule.objects.filter(library=library).exists()
    assert Borrower.objects.filter(library=library).count() == 3


def test_a_backup_written_before_the_journal_was_renamed_restores_the_same(library, base):
    """Backups taken when the journal was the desk's only ("circulation_events", "notices")."""
    before = library_tables_dump()

    def with_old_keys(document):
        document["circulation_events"] = document.pop("events")
        document["notices"] = document.pop("alerts")
        for row in document["circulation_events"]:
            del row["data"]  # the column came with the rename
        counts = document["counts"]
        counts["circulation_events"], counts["notices"] = counts.pop("events"), counts.pop("alerts")

    result = library_restore(library=library, content=edited(library, with_old_keys), acting_user=None)

    assert tables_but_restore_lines() == before
    assert (result.counts["events"], result.counts["alerts"]) == (1, 1)


# --- The journal: who restored which backup --------------------------------------------------


def test_the_restore_is_journalled_last_with_who_restored_which_backup(library, base, librarian, clock):
    content = library_backup_bytes(library=library, now=NOW)
    backup = backup_read(content)
    clock.set(datetime(2025, 9, 3, 14, 0, tzinfo=UTC))

    result = library_restore(library=library, content=content, acting_user=librarian)

    line = LibraryEvent.objects.get(action="restore")
    assert (line.library, line.actor, line.at, line.borrower, line.copy) == (
        library, librarian, datetime(2025, 9, 3, 14, 0, tzinfo=UTC), None, None)
    assert line.detail == f"sauvegarde du 02/09/2025 10:30 (SHA-256 {backup.sha256[:12]}…)"
    assert line.data == {"sha256": backup.sha256, "created_at": NOW.isoformat(), "journal_kept": 0,
                         "counts": result.counts}
    # Written once the journal's own rows were back, after them: the restore does not erase it.
    assert line.pk > max(LibraryEvent.objects.exclude(pk=line.pk).values_list("pk", flat=True))
    assert restore_lines() == [(library.pk, librarian.pk, line.detail)]


def test_a_restore_line_survives_the_next_restore_of_the_same_backup(library, base):
    content = library_backup_bytes(library=library)

    library_restore(library=library, content=content, acting_user=None)
    again = library_restore(library=library, content=content, acting_user=None)

    assert again.journal_kept == 1  # the first restore's line, made after the backup
    assert len(restore_lines()) == 2


# --- Refusals: a French message, and every table as it was ---------------------------------------


def test_another_establishments_backup_is_refused(library, base, other):
    content = library_backup_bytes(library=library)

    assert refusal(other, content) == "Cette sauvegarde est celle de 0750001U, pas de 9990001X."


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda content: b"", "Le fichier est vide."),
    (lambda content: b"ceci n'est pas du JSON", DAMAGED.format("JSON illisible ligne 1")),
    (lambda content: content[: len(content) // 2],
     DAMAGED.format("le fichier est incomplet, coupé avant la fin")),
    (lambda content: content.replace("LEFÈVRE".encode(), b"LEF\xc8VRE"),
     DAMAGED.format("ce n'est pas du texte UTF-8")),
    (lambda content: content.replace("LEFÈVRE".encode(), b"LEFEVRE"),
     "Cette sauvegarde est endommagée ou a été modifiée : son empreinte SHA-256 ne correspond pas à son "
     "contenu."),
    (lambda content: gzip.compress(content)[:-30], "Le fichier compressé (gzip) est endommagé ou incomplet."),
    (lambda content: b"\x1f\x8b" + content, "Le fichier compressé (gzip) est endommagé ou incomplet."),
    (lambda content: b'{"format": "autre", "version": 2}',
     "Ce fichier n'est pas une sauvegarde de bibliothèque Sésame."),
    (lambda content: b"[1, 2, 3]", "Ce fichier n'est pas une sauvegarde de bibliothèque Sésame."),
    (lambda content: sealed({**json.loads(content), "version": 1}),
     "Cette sauvegarde est au format version 1, que cette version de Sésame ne sait pas relire "
     "(version 2 attendue)."),
    (lambda content: sealed({**json.loads(content), "counts": {**json.loads(content)["counts"], "loans": 3}}),
     DAMAGED.format("le nombre de lignes annoncé ne correspond pas au contenu")),
])
def test_a_damaged_file_is_refused(library, base, damage, expected):
    content = damage(library_backup_bytes(library=library))

    assert refusal(library, content) == expected


def test_a_file_cut_anywhere_near_its_end_is_said_to_be_incomplete(library, base):
    """Wherever the cut lands, even just after an inner ``}`` (an empty ``data`` value)."""
    content = library_backup_bytes(library=library)
    cuts = [cut for cut in range(1, 600)
            if _utf8(content[:-cut]) and content[:-cut].rstrip() != content.rstrip()]

    messages = set()
    for cut in cuts:
        with pytest.raises(BackupRefused) as caught:
            backup_read(content[:-cut])
        messages.add(caught.value.message)

    assert messages == {DAMAGED.format("le fichier est incomplet, coupé avant la fin")}
    # Among them, cuts right after a "}": the case a last-character test misses.
    assert any(content[:-cut].rstrip().endswith(b"}") for cut in cuts)


def _utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_rows_the_base_would_refuse_are_refused_even_with_a_good_checksum(library, base):
    def same_number(document):
        document["borrowers"][1]["number"] = document["borrowers"][0]["number"]

    def open_loan_without_borrower(document):
        next(row for row in document["loans"] if row["returned_on"] is None)["borrower_id"] = None

    def two_open_loans_of_one_copy(document):
        document["loans"][1]["copy_id"] = document["loans"][0]["copy_id"]
        document["loans"][1]["returned_on"] = None

    for edit, table in [(same_number, "emprunteurs"), (open_loan_without_borrower, "prêts"),
                        (two_open_loans_of_one_copy, "prêts")]:
        assert refusal(library, edited(library, edit)) == (
            f"Cette sauvegarde contient des lignes que la base refuse (table « {table} » : valeur en double "
            "ou combinaison interdite).")


def test_a_value_the_column_cannot_hold_is_refused_with_its_place(library, base):
    def long_status(document):
        document["borrowers"][2]["status"] = "x" * 61

    def bad_date(document):
        document["loans"][1]["loaned_on"] = "2025-02-30"

    def missing_number(document):
        document["borrowers"][0]["number"] = None

    assert refusal(library, edited(library, long_status)) == (
        "Cette sauvegarde contient une valeur incorrecte : table « emprunteurs », ligne 3, "
        f'colonne « status » ("{"x" * 61}").')
    assert refusal(library, edited(library, bad_date)) == (
        'Cette sauvegarde contient une valeur incorrecte : table « prêts », ligne 2, colonne « loaned_on » '
        '("2025-02-30").')
    assert refusal(library, edited(library, missing_number)) == (
        "Cette sauvegarde contient une valeur incorrecte : table « emprunteurs », ligne 1, "
        "colonne « number » (null).")


def test_a_link_to_a_row_the_file_lacks_is_refused(library, base, other):
    other_copy = Copy.objects.get(library=other)

    def foreign_copy(document):
        document["loans"][0]["copy_id"] = other_copy.pk

    assert refusal(library, edited(library, foreign_copy)) == (
        "Cette sauvegarde est incohérente : table « prêts », ligne 1, « copy_id » désigne une ligne absente "
        f"de la sauvegarde ({other_copy.pk}).")


def test_ids_another_library_uses_are_refused(library, base, other):
    other_borrower = Borrower.objects.get(library=other)

    def taken_id(document):
        old = document["borrowers"][2]["id"]
        document["borrowers"][2]["id"] = other_borrower.pk
        for row in document["loans"]:
            if row["borrower_id"] == old:
                row["borrower_id"] = other_borrower.pk

    assert refusal(library, edited(library, taken_id)) == (
        "Cette sauvegarde ne peut pas être restaurée ici : des identifiants de la table « emprunteurs » sont "
        "déjà pris par une autre bibliothèque de cette installation.")


def test_twice_the_same_id_is_refused(library, base):
    def duplicate(document):
        document["records"].append(dict(document["records"][0]))

    assert refusal(library, edited(library, duplicate)) == (
        f"Cette sauvegarde est incohérente : deux lignes de la table « notices » ont le même identifiant "
        f"({base['record'].pk}).")


def test_data_this_version_does_not_know_is_refused_rather_than_lost(library, base):
    def new_table(document):
        document["counts"]["inventaires"] = 0
        document["inventaires"] = []

    def new_column(document):
        document["borrowers"][0]["surnom"] = "Cloclo"

    assert refusal(library, edited(library, new_table)) == (
        "Cette sauvegarde contient des données que cette version de Sésame ne connaît pas (inventaires) : "
        "la restaurer les perdrait.")
    assert refusal(library, edited(library, new_column)) == (
        "Cette sauvegarde contient des colonnes que cette version de Sésame ne connaît pas "
        "(table « emprunteurs » : surnom) : la restaurer les perdrait.")


def test_a_crash_halfway_leaves_the_base_as_it_was(library, base, monkeypatch):
    content = library_backup_bytes(library=library)
    make_borrower(library, "NOUVEAU Venu")
    before = library_tables_dump()

    def crash(models):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(restore_module, "_advance_sequences", crash)
    with pytest.raises(RuntimeError):
        library_restore(library=library, content=content, acting_user=None)

    assert library_tables_dump() == before


@pytest.mark.django_db(transaction=True)
def test_a_crash_halfway_rolls_back_a_real_transaction(monkeypatch):
    """Without the test's enclosing transaction: the restore's own transaction is what undoes it."""
    library = make_library(UAI, "Collège Victor Hugo")
    make_loan(make_borrower(library, "PREMIER Élève"), returned=True)
    content = library_backup_bytes(library=library)
    make_loan(make_borrower(library, "SECOND Élève"))
    before = library_tables_dump()
    monkeypatch.setattr(restore_module, "_advance_sequences", lambda models: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        library_restore(library=library, content=content, acting_user=None)

    assert library_tables_dump() == before
    assert connection.in_atomic_block is False
