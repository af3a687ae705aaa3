"""Restoring one establishment's library from its backup file (see ``backup`` for the format).

A restore replaces every row of the library's tables with the file's, ids and numbers included,
in one transaction; anything wrong (another establishment, a damaged file, rows the base would
refuse) is refused before or during it, and the base is left exactly as it was. The journal says
who restored which backup: that line is written last, once the journal itself has been put back,
in the same transaction, so the restore cannot erase its own trace.
"""

from __future__ import annotations

import decimal
import json
import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.interop.uai import normalize_uai
from sesame.library.common.audit import event_record
from sesame.library.common.locking import one
from sesame.library.models import EventAction, Library
from sesame.library.tools.backup import (
    CHUNK_SIZE,
    BackupFile,
    BackupRefused,
    Table,
    backup_read,
    backup_tables,
    library_counts,
    table_columns,
    table_relations,
)

logger = logging.getLogger(__name__)

# --- Restoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupFile
    counts: dict[str, int]  # rows of each table the restore put back (its own journal line aside)
    journal_kept: int  # journal events made after the backup, kept


def library_restore(*, library: Library, content: bytes, acting_user,
                    now: datetime | None = None) -> RestoreResult:
    """Replace the library's rows with the backup's, ids and numbers included, in one transaction.

    Refused, with nothing changed, for another establishment's file, a damaged file, or rows the
    base would refuse. The journal keeps the events made since the backup (module docstring), and
    gains one line saying who restored which backup.
    """
    backup = backup_for_library(library=library, content=content)
    tables = backup_tables()
    # Tables missing from the file did not exist when it was written: the base then had none.
    rows = {table.key: _instances(table, backup.tables.get(table.key, []), library) for table in tables}
    _check_references(tables, rows)
    try:
        with transaction.atomic():
            one(Library.objects.select_for_update().filter(pk=library.pk))
            kept = _replace(library, tables, rows)
            counts = library_counts(library=library)
            _journal(library, backup, counts, kept, acting_user=acting_user, now=now or clock.now())
    except (ProtectedError, RestrictedError) as exc:
        raise BackupRefused(_("La restauration supprimerait des données que la sauvegarde ne contient pas "
                              "(%(models)s).") % {"models": _model_names(exc)}, code="outside_rows") from exc
    logger.info("Library %s restored from the backup of %s (sha256 %s) by %s", library.uai,
                backup.created_at, backup.sha256, acting_user or "a command")
    return RestoreResult(backup=backup, counts=counts, journal_kept=kept)


def _journal(library: Library, backup: BackupFile, counts: dict[str, int], kept: int, *, acting_user,
             now: datetime) -> None:
    """The restore's own line, after the journal's rows are back (and the ids moved past theirs)."""
    when = timezone.localtime(backup.created_at).strftime("%d/%m/%Y %H:%M") if backup.created_at else "?"
    event_record(
        library=library, action=EventAction.RESTORE, acting_user=acting_user, now=now,
        detail=f"sauvegarde du {when} (SHA-256 {backup.sha256[:12]}…)",
        data={"sha256": backup.sha256, "counts": counts, "journal_kept": kept,
              "created_at": backup.created_at.isoformat() if backup.created_at else None},
    )


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
    columns = {field.attname: field for field in table_columns(table.model)}
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
        for field in table_relations(table.model):
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


def _chunks(values: list, size: int = CHUNK_SIZE):
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
            table.model._base_manager.bulk_create(instances, batch_size=CHUNK_SIZE)
            if automatic and instances:
                for instance, values in zip(instances, times, strict=True):
                    for name, value in zip(automatic, values, strict=True):
                        setattr(instance, name, value)
                table.model._base_manager.bulk_update(instances, automatic, batch_size=CHUNK_SIZE)
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
    for field in table_relations(table.model):
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


