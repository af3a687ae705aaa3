"""What the backup tests share: the school's UAI, the refusal messages, restore and dump helpers."""

import json
from datetime import UTC, datetime

import pytest

from sesame.library.models import LibraryEvent
from sesame.library.tools.backup import BackupRefused, backup_render, library_backup_bytes
from sesame.library.tools.restore import library_restore
from tests.library.factories import library_tables_dump

UAI = "0750001U"
NOW = datetime(2025, 9, 2, 8, 30, 15, 123456, tzinfo=UTC)
NOTHING = "Rien n'a été modifié."
DAMAGED = "Ce fichier est endommagé ou n'est pas une sauvegarde de la bibliothèque ({})."


def sealed(document: dict) -> bytes:
    """A document written as a genuine backup (checksum recomputed): what only the content can refuse."""
    return backup_render({key: value for key, value in document.items() if key != "sha256"})


def edited(library, edit) -> bytes:
    """The library's backup edited by ``edit``, counts and checksum made to match again."""
    document = json.loads(library_backup_bytes(library=library))
    edit(document)
    document["counts"] = {key: len(document[key]) for key in document["counts"] if key in document}
    return sealed(document)


def refusal(library, content: bytes) -> str:
    """The message of the restore's refusal, having checked that every table is as it was."""
    before = library_tables_dump()
    with pytest.raises(BackupRefused) as caught:
        library_restore(library=library, content=content, acting_user=None)
    assert library_tables_dump() == before
    return caught.value.message


def restore_lines() -> list[tuple]:
    """The journal's restore lines: library, who, what."""
    return list(LibraryEvent.objects.filter(action="restore").order_by("pk").values_list(
        "library_id", "actor_id", "detail"))


def tables_but_restore_lines() -> dict[str, list[tuple]]:
    """Every table as ``library_tables_dump`` gives it, without the lines that record a restore:
    what a restore gives back, compared with what was backed up."""
    dump = library_tables_dump()
    lines = set(LibraryEvent.objects.filter(action="restore").values_list("pk", flat=True))
    dump["LibraryEvent"] = [row for row in dump["LibraryEvent"] if row[0] not in lines]
    return dump
