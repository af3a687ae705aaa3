"""One establishment's library base as a file the librarian keeps, and reading it back.

Seed C ("Avertissements préalables") advises saving the base before the borrower update deletes
the borrowers who left; SPEC §4 asks that bad input change nothing. Sésame can undo its last
update, but a file kept outside the application is what protects against everything else (a
wrong file imported and worked on, a lost server).

The file is one JSON document (plain JSON, so the update page offers it as is and a person can
read it), self-describing: ``format`` and ``version``, the establishment, ``created_at``, the row
count of each table and a SHA-256 of the whole document (see ``backup_checksum``) so a damaged or
edited file is detected before anything is touched. Each table is a list of rows, one per line,
every column by attribute name (``borrower_id``) exactly as stored, primary keys included, so a
restore gives back the same rows under the same ids and numbers. A file may also be gzipped.

The tables are the library app's models that belong to one library (``library`` foreign key),
named by that key's ``related_name``, except ``EXCLUDED_MODELS``. The circulation journal is a
*journal*: a restore adds the events of the file that are missing and keeps those made since,
because "who did what" stays true after the base is put back (and lists the loans to re-enter).
"""

from __future__ import annotations

import base64
import decimal
import hashlib
import json
import logging
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.common.errors import LibraryRefused
from sesame.library.models import Library

logger = logging.getLogger(__name__)

BACKUP_FORMAT = "sesame-bibliotheque-sauvegarde"
BACKUP_VERSION = 2
MAX_BACKUP_BYTES = 512 * 1024 * 1024  # a large lycée with years of history stays far below
# Access rights are not the base (restoring them would grant or revoke access); update runs hold
# copies of ENT files, which are not the library's data, and are large.
EXCLUDED_MODELS = frozenset({"Library", "Librarian", "UpdateRun"})
JOURNAL_MODELS = frozenset({"LibraryEvent"})
CHUNK_SIZE = 500
# Tables whose key changed since version 1 was first written: a backup taken before the rename
# (the desk journal widened to every change, notices renamed alerts) reads as if taken today.
LEGACY_TABLE_KEYS = {"circulation_events": "events", "notices": "alerts"}
_HEADER_KEYS = ("format", "version", "created_at", "library", "counts", "sha256")


class BackupRefused(LibraryRefused):
    """A backup cannot be read or restored; ``message`` says why. Nothing was changed."""


@dataclass(frozen=True)
class Table:
    key: str  # the name in the file: the ``related_name`` of the model's ``library`` key
    model: type[models.Model]

    @property
    def is_journal(self) -> bool:
        return self.model.__name__ in JOURNAL_MODELS

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


def backup_tables() -> tuple[Table, ...]:
    """Every table a backup holds, parents before children (the order rows are written back)."""
    found = []
    for model in apps.get_app_config("library").get_models():
        if model.__name__ in EXCLUDED_MODELS:
            continue
        library_field = next((field for field in model._meta.concrete_fields
                              if field.is_relation and field.related_model is Library), None)
        if library_field is not None:
            found.append(Table(library_field.remote_field.related_name, model))
    covered = {table.model for table in found}
    ordered: list[Table] = []
    while found:  # a table comes once every table it points to is placed
        placed = {table.model for table in ordered} | {None}
        ready = next((table for table in found if all(
            (field.related_model if field.related_model in covered else None) in placed | {table.model}
            for field in table_relations(table.model))), found[0])
        ordered.append(ready)
        found.remove(ready)
    return tuple(ordered)


def table_relations(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not Library]


def table_columns(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.related_model is not Library]


# --- Writing ------------------------------------------------------------------------------------


def _json_value(value):
    """A stored value as JSON, losing nothing: full microseconds (``DjangoJSONEncoder`` drops them)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _table_rows(table: Table, library: Library) -> list[dict]:
    names = [field.attname for field in table_columns(table.model)]
    rows = table.model._base_manager.filter(library=library).order_by("pk").values_list(*names)
    return [{name: _json_value(value) for name, value in zip(names, row, strict=True)} for row in rows]


def backup_checksum(document: dict) -> str:
    """SHA-256 of the document without its ``sha256`` key, as canonical JSON.

    Canonical (keys sorted, no spaces, UTF-8) rather than the bytes of the file, so the layout may
    change and a gzipped copy has the same checksum; any changed value changes it.
    """
    body = {key: value for key, value in document.items() if key != "sha256"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def backup_render(document: dict) -> bytes:
    """The file: the header first, then each table with one row per line (readable, and small)."""
    document = {**document, "sha256": backup_checksum(document)}
    keys = [key for key in _HEADER_KEYS if key in document]
    keys += [key for key in document if key not in _HEADER_KEYS]
    lines = []
    for key in keys:
        value = document[key]
        if isinstance(value, list) and value:
            rows = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in value)
            text = f"[\n  {rows}\n ]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        lines.append(f" {json.dumps(key)}: {text}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def library_backup_data(*, library: Library, now: datetime | None = None) -> dict:
    """The backup as a JSON-ready dictionary, read in one consistent snapshot of the base."""
    now = now or clock.now()
    tables = backup_tables()
    with _snapshot():
        content = {table.key: _table_rows(table, library) for table in tables}
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": now.isoformat(),
        "library": {"uai": library.uai, "name": library.name},
        "counts": {key: len(rows) for key, rows in content.items()},
        **content,
    }


def library_backup_bytes(*, library: Library, now: datetime | None = None) -> bytes:
    """One library's base as UTF-8 JSON: what "Télécharger la sauvegarde" and ``backup_library`` give."""
    return backup_render(library_backup_data(library=library, now=now))


def library_backup_filename(*, library: Library, day: date | None = None) -> str:
    """``sauvegarde-<UAI>-<date>.json``: the name says which school and which day it was taken."""
    day = day or clock.today()
    return f"sauvegarde-{library.uai}-{day.isoformat()}.json"


@contextmanager
def _snapshot():
    """One read transaction, so a loan made meanwhile cannot point at a copy the file lacks.

    PostgreSQL's default isolation gives each query its own snapshot: ``REPEATABLE READ`` gives the
    whole backup one. SQLite's transaction is already a snapshot. Inside an enclosing transaction
    (tests) the isolation level can no longer be set, and that transaction's view is used.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


# --- Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupFile:
    """A backup read and checked as a file (format, checksum, counts), before it meets the base."""

    uai: str
    name: str
    created_at: datetime | None
    counts: dict[str, int]
    sha256: str
    tables: dict[str, list]


def _damaged(detail: str) -> BackupRefused:
    return BackupRefused(_("Ce fichier est endommagé ou n'est pas une sauvegarde de la bibliothèque "
                           "(%(detail)s).") % {"detail": detail}, code="damaged")


def _decompress(content: bytes) -> bytes:
    """Gunzip with a ceiling, so a small hostile file cannot fill the memory."""
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = reader.decompress(content, MAX_BACKUP_BYTES + 1)
        if len(data) > MAX_BACKUP_BYTES:
            raise BackupRefused(_("Le fichier décompressé dépasse 512 Mo : ce n'est pas une sauvegarde "
                                  "de bibliothèque."), code="too_large")
        if not reader.eof or reader.unused_data:
            raise zlib.error("incomplete")
    except zlib.error as exc:
        raise BackupRefused(_("Le fichier compressé (gzip) est endommagé ou incomplet."),
                            code="gzip") from exc
    return data


def _cut_short(text: str) -> bool:
    """True when the JSON text stops inside a string, an object or a list: a file cut before its end.

    A cut can land just after an inner ``}`` (an empty ``{}`` value), so the last character says
    nothing; the nesting depth at the end does. One linear pass, strings skipped with their escapes.
    """
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


def _reject_constant(name: str):
    raise ValueError(name)


def backup_read(content: bytes) -> BackupFile:
    """Read a backup file (JSON, gzipped or not), or refuse it with a French message.

    Everything that does not need the base is checked here: that it is JSON, of this format and
    version, that the checksum matches and that the counts match the rows.
    """
    if not content:
        raise BackupRefused(_("Le fichier est vide."), code="empty")
    if len(content) > MAX_BACKUP_BYTES:
        raise BackupRefused(_("Le fichier dépasse 512 Mo : ce n'est pas une sauvegarde de bibliothèque."),
                            code="too_large")
    if content[:2] == b"\x1f\x8b":
        content = _decompress(content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _damaged(_("ce n'est pas du texte UTF-8")) from exc
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if _cut_short(text):
            raise _damaged(_("le fichier est incomplet, coupé avant la fin")) from exc
        raise _damaged(_("JSON illisible ligne %(line)d") % {"line": exc.lineno}) from exc
    except (ValueError, RecursionError) as exc:
        raise _damaged(_("JSON illisible")) from exc
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupRefused(_("Ce fichier n'est pas une sauvegarde de bibliothèque Sésame."), code="format")
    if document.get("version") != BACKUP_VERSION:
        raise BackupRefused(_("Cette sauvegarde est au format version %(found)s, que cette version de "
                              "Sésame ne sait pas relire (version %(expected)d attendue).")
                            % {"found": document.get("version"), "expected": BACKUP_VERSION}, code="version")
    try:
        checksum = backup_checksum(document)
    except ValueError as exc:  # a number JSON can hold but not write back (1e400)
        raise _damaged(_("nombre hors limites")) from exc
    if document.get("sha256") != checksum:
        raise BackupRefused(_("Cette sauvegarde est endommagée ou a été modifiée : son empreinte SHA-256 "
                              "ne correspond pas à son contenu."), code="checksum")
    return _header(document)


def _header(document: dict) -> BackupFile:
    library, counts = document.get("library"), document.get("counts")
    if not (isinstance(library, dict) and isinstance(library.get("uai"), str) and isinstance(counts, dict)):
        raise _damaged(_("l'en-tête est incomplet"))
    tables = {LEGACY_TABLE_KEYS.get(key, key): value
              for key, value in document.items() if key not in _HEADER_KEYS}
    counts = {LEGACY_TABLE_KEYS.get(key, key): value for key, value in counts.items()}
    for key, rows in tables.items():
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise _damaged(_("la table « %(table)s » n'est pas une liste de lignes") % {"table": key})
    if set(counts) != set(tables) or any(counts[key] != len(rows) for key, rows in tables.items()):
        raise _damaged(_("le nombre de lignes annoncé ne correspond pas au contenu"))
    try:
        created_at = datetime.fromisoformat(document.get("created_at"))
    except (TypeError, ValueError):
        created_at = None
    if created_at is not None and timezone.is_naive(created_at):
        created_at = None  # a time without its zone could be an hour off: better say nothing
    return BackupFile(uai=library["uai"], name=str(library.get("name", "")), created_at=created_at,
                      counts=counts, sha256=document["sha256"], tables=tables)


def library_counts(*, library: Library) -> dict[str, int]:
    """Rows of each table the backup holds, as the file's ``counts`` names them."""
    return {table.key: table.model._base_manager.filter(library=library).count() for table in backup_tables()}


def backup_summary(counts: dict[str, int]) -> str:
    """"7 emprunteurs, 3 notices, …" for every table, in the order of the file."""
    parts = []
    for table in backup_tables():
        count = counts.get(table.key, 0)
        meta = table.model._meta
        name = meta.verbose_name if count <= 1 else meta.verbose_name_plural  # French: 0 and 1 singular
        parts.append(f"{count} {name}")
    return ", ".join(parts)
