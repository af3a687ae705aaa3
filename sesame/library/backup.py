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
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from sesame.interop.uai import normalize_uai

from .models import Library

logger = logging.getLogger(__name__)

BACKUP_FORMAT = "sesame-bibliotheque-sauvegarde"
BACKUP_VERSION = 2
MAX_BACKUP_BYTES = 512 * 1024 * 1024  # a large lycée with years of history stays far below
# Access rights are not the base (restoring them would grant or revoke access); update runs hold
# copies of ENT files, which are not the library's data, and are large.
EXCLUDED_MODELS = frozenset({"Library", "Librarian", "UpdateRun"})
JOURNAL_MODELS = frozenset({"CirculationEvent"})
_CHUNK = 500
_HEADER_KEYS = ("format", "version", "created_at", "library", "counts", "sha256")


class BackupRefused(Exception):
    """A backup cannot be read or restored; ``message`` says why, in French. Nothing was changed."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


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
            for field in _relations(table.model))), found[0])
        ordered.append(ready)
        found.remove(ready)
    return tuple(ordered)


def _relations(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not Library]


def _columns(model) -> list[models.Field]:
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
    names = [field.attname for field in _columns(table.model)]
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
    now = now or timezone.now()
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
    day = day or timezone.localdate()
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
        stripped = text.strip()
        if stripped.startswith("{") and not stripped.endswith("}"):  # a backup ends with its closing brace
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
    tables = {key: value for key, value in document.items() if key not in _HEADER_KEYS}
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


# --- Restoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupFile
    counts: dict[str, int]  # rows of each table after the restore
    journal_kept: int  # journal events made after the backup, kept


def library_restore(*, library: Library, content: bytes, acting_user=None) -> RestoreResult:
    """Replace the library's rows with the backup's, ids and numbers included, in one transaction.

    Refused, with nothing changed, for another establishment's file, a damaged file, or rows the
    base would refuse. The journal keeps the events made since the backup (module docstring).
    """
    backup = backup_for_library(library=library, content=content)
    tables = backup_tables()
    # Tables missing from the file did not exist when it was written: the base then had none.
    rows = {table.key: _instances(table, backup.tables.get(table.key, []), library) for table in tables}
    _check_references(tables, rows)
    try:
        with transaction.atomic():
            Library.objects.select_for_update().filter(pk=library.pk).first()
            kept = _replace(library, tables, rows)
    except (ProtectedError, RestrictedError) as exc:
        raise BackupRefused(_("La restauration supprimerait des données que la sauvegarde ne contient pas "
                              "(%(models)s).") % {"models": _model_names(exc)}, code="outside_rows") from exc
    counts = library_counts(library=library)
    logger.info("Library %s restored from the backup of %s (sha256 %s) by %s", library.uai,
                backup.created_at, backup.sha256, acting_user or "a command")
    return RestoreResult(backup=backup, counts=counts, journal_kept=kept)


def backup_for_library(*, library: Library, content: bytes) -> BackupFile:
    """The file read and checked against the library it is meant for, nothing written yet."""
    backup = backup_read(content)
    if normalize_uai(backup.uai) != library.uai:
        raise BackupRefused(_("Cette sauvegarde est celle de %(found)s, pas de %(expected)s.")
                            % {"found": backup.uai, "expected": library.uai}, code="other_library")
    unknown = sorted(set(backup.tables) - {table.key for table in backup_tables()})
    if unknown:
        raise BackupRefused(_("Cette sauvegarde contient des données que cette version de Sésame ne "
                              "connaît pas (%(tables)s) : la restaurer les perdrait.")
                            % {"tables": ", ".join(unknown)}, code="unknown_table")
    return backup


def _model_names(exc) -> str:
    objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
    return ", ".join(sorted({str(obj._meta.verbose_name_plural) for obj in objects}))


def _instances(table: Table, rows: list[dict], library: Library) -> list[models.Model]:
    """Rows as unsaved model instances, each value converted and checked as the database would.

    Checked here rather than left to the database because SQLite does not enforce lengths, and
    because a message naming the table, line and column lets someone repair the file.
    """
    columns = {field.attname: field for field in _columns(table.model)}
    pk_name = table.model._meta.pk.attname
    instances, seen = [], set()
    for line, row in enumerate(rows, start=1):
        extra = sorted(set(row) - set(columns))
        if extra:
            raise BackupRefused(_("Cette sauvegarde contient des colonnes que cette version de Sésame ne "
                                  "connaît pas (table « %(table)s » : %(columns)s) : la restaurer les "
                                  "perdrait.") % {"table": table.label, "columns": ", ".join(extra)},
                                code="unknown_column")
        values = {}
        for name, field in columns.items():
            if name not in row and field.has_default():  # a column added since the backup was taken
                values[name] = field.get_default()
            else:
                values[name] = _checked(table, line, field, row.get(name))
        if values[pk_name] in seen:
            raise BackupRefused(_("Cette sauvegarde est incohérente : deux lignes de la table « %(table)s » "
                                  "ont le même identifiant (%(id)s).")
                                % {"table": table.label, "id": values[pk_name]}, code="duplicate_id")
        seen.add(values[pk_name])
        instances.append(table.model(library=library, **values))
    return instances


def _checked(table: Table, line: int, field: models.Field, value):
    try:
        converted = field.to_python(value)
        if converted is None:
            if not field.null:
                raise ValidationError("null")
            return None
        if isinstance(converted, datetime) and timezone.is_naive(converted):
            raise ValidationError("naive")
        if not field.is_relation:
            field.run_validators(converted)
    except (ValidationError, TypeError, ValueError, decimal.InvalidOperation) as exc:
        raise BackupRefused(
            _("Cette sauvegarde contient une valeur incorrecte : table « %(table)s », ligne %(line)d, "
              "colonne « %(column)s » (%(value)s).")
            % {"table": table.label, "line": line, "column": field.attname,
               "value": json.dumps(value, ensure_ascii=False)[:80]}, code="bad_value") from exc
    return converted


def _check_references(tables: tuple[Table, ...], rows: dict[str, list]) -> None:
    """Every link between tables points at a row of the file: never at another library's row."""
    ids = {table.model: {instance.pk for instance in rows[table.key]} for table in tables}
    for table in tables:
        for field in _relations(table.model):
            if field.related_model not in ids:
                _external(table, field, rows[table.key])
                continue
            targets = ids[field.related_model]
            for line, instance in enumerate(rows[table.key], start=1):
                value = getattr(instance, field.attname)
                if value is not None and value not in targets:
                    raise BackupRefused(
                        _("Cette sauvegarde est incohérente : table « %(table)s », ligne %(line)d, "
                          "« %(column)s » désigne une ligne absente de la sauvegarde (%(id)s).")
                        % {"table": table.label, "line": line, "column": field.attname, "id": value},
                        code="dangling")


def _external(table: Table, field: models.Field, instances: list) -> None:
    """A link outside the library (a user): a missing one is emptied if it may be, else refused.

    Emptying is what deleting that user does (``SET_NULL``): a restore onto another server keeps
    the journal without inventing who did what.
    """
    wanted = {getattr(instance, field.attname) for instance in instances} - {None}
    existing = set()
    for chunk in _chunks(sorted(wanted)):
        existing |= set(field.related_model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    missing = wanted - existing
    if missing and not field.null:
        raise BackupRefused(_("Cette sauvegarde désigne des %(target)s qui n'existent pas ici (table "
                              "« %(table)s »).")
                            % {"target": field.related_model._meta.verbose_name_plural, "table": table.label},
                            code="dangling")
    for instance in instances:
        if getattr(instance, field.attname) in missing:
            setattr(instance, field.attname, None)


def _chunks(values: list, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _replace(library: Library, tables: tuple[Table, ...], rows: dict[str, list]) -> int:
    """Delete, write back, relink the journal, move sequences on, check: in the caller's transaction."""
    for table in tables:
        _refuse_foreign_ids(library, table, rows[table.key])
    _refuse_outside_rows(library, tables)
    replaced = {table.model for table in tables if not table.is_journal}
    journal_links = [_links(library, table, replaced) for table in tables if table.is_journal]
    for table in reversed(tables):
        if not table.is_journal:
            table.model._base_manager.filter(library=library).delete()
    kept = 0
    for table in tables:
        instances = rows[table.key]
        if table.is_journal:
            present = set(table.model._base_manager.filter(library=library).values_list("pk", flat=True))
            kept += len(present - {instance.pk for instance in instances})
            instances = [instance for instance in instances if instance.pk not in present]
        _write(table, instances)
    restored = {table.model: {instance.pk for instance in rows[table.key]} for table in tables}
    for links in journal_links:
        _relink(links, restored)
    _advance_sequences([table.model for table in tables])
    try:
        connection.check_constraints(table_names=[table.model._meta.db_table for table in tables])
    except IntegrityError as exc:
        raise BackupRefused(_("Cette sauvegarde contient des liens que la base refuse."),
                            code="constraint") from exc
    return kept


def _write(table: Table, instances: list) -> None:
    """Insert the rows as they are: ``bulk_create`` stamps ``auto_now`` columns with "now", so the
    backup's times are written back over them."""
    automatic = [field.attname for field in table.model._meta.concrete_fields
                 if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    times = [[getattr(instance, name) for name in automatic] for instance in instances]
    try:
        with transaction.atomic():
            table.model._base_manager.bulk_create(instances, batch_size=_CHUNK)
            if automatic and instances:
                for instance, values in zip(instances, times, strict=True):
                    for name, value in zip(automatic, values, strict=True):
                        setattr(instance, name, value)
                table.model._base_manager.bulk_update(instances, automatic, batch_size=_CHUNK)
    except IntegrityError as exc:
        raise BackupRefused(_("Cette sauvegarde contient des lignes que la base refuse (table "
                              "« %(table)s » : valeur en double ou combinaison interdite).")
                            % {"table": table.label}, code="constraint") from exc


def _refuse_foreign_ids(library: Library, table: Table, instances: list) -> None:
    """Ids are kept: one already used by another library (a file from another server) is refused."""
    ids = sorted(instance.pk for instance in instances)
    for chunk in _chunks(ids):
        if table.model._base_manager.filter(pk__in=chunk).exclude(library=library).exists():
            raise BackupRefused(_("Cette sauvegarde ne peut pas être restaurée ici : des identifiants de la "
                                  "table « %(table)s » sont déjà pris par une autre bibliothèque de cette "
                                  "installation.") % {"table": table.label}, code="foreign_ids")


def _refuse_outside_rows(library: Library, tables: tuple[Table, ...]) -> None:
    """Rows of a table the backup does not hold, linked to rows it replaces, would be lost or unlinked."""
    covered = {table.model for table in tables}
    for table in tables:
        for relation in table.model._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete) or relation.related_model in covered:
                continue
            if relation.many_to_many:
                continue  # a many-to-many of a covered model: its own table (none today)
            field = relation.field
            linked = relation.related_model._base_manager.filter(
                **{f"{field.name}__in": table.model._base_manager.filter(library=library)})
            if linked.exists():
                raise BackupRefused(_("La base contient des %(model)s liés aux %(table)s que la sauvegarde "
                                      "ne contient pas : la restauration les perdrait.")
                                    % {"model": relation.related_model._meta.verbose_name_plural,
                                       "table": table.label}, code="outside_rows")


def _links(library: Library, table: Table, replaced: set) -> dict:
    """The journal's links to rows the restore replaces, by column, before deleting empties them."""
    links = {}
    for field in _relations(table.model):
        if field.related_model in replaced:
            rows = table.model._base_manager.filter(library=library, **{f"{field.attname}__isnull": False})
            links[field] = list(rows.values_list("pk", field.attname))
    return links


def _relink(links: dict, restored: dict) -> None:
    """Give back each link whose row the backup restored: same id, same borrower or copy."""
    for field, pairs in links.items():
        by_target: dict[int, list[int]] = {}
        for pk, target in pairs:
            if target in restored[field.related_model]:
                by_target.setdefault(target, []).append(pk)
        for target, pks in by_target.items():
            for chunk in _chunks(pks):
                field.model._base_manager.filter(pk__in=chunk, **{f"{field.attname}__isnull": True}).update(
                    **{field.attname: target})


def _advance_sequences(models_: list) -> None:
    """PostgreSQL hands out ids from a sequence that written ids do not move: move it past them.

    Never backwards, so an id deleted since is not handed out again. SQLite's AUTOINCREMENT
    follows the ids written by itself.
    """
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            table, column = model._meta.db_table, model._meta.pk.column
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), column])
            (sequence,) = cursor.fetchone()
            if sequence is None:
                continue
            # Identifiers come from the models' metadata, quoted; the sequence name is a parameter.
            sql = (f"SELECT setval(%s::regclass, GREATEST(COALESCE(MAX({quote(column)}), 1), "  # noqa: S608
                   f"COALESCE(pg_sequence_last_value(%s::regclass), 1))) FROM {quote(table)}")
            cursor.execute(sql, [sequence, sequence])


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
