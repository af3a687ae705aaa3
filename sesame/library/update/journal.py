"""Carry out an update plan on the database, writing down everything needed to undo it.

Runs inside the caller's transaction. The journal is the before-image of each change: rows
deleted (borrowers and the loans removed with them), fields overwritten (with the time the row
was last changed), types changed, loans made anonymous, borrowers created. ``journal_undo``
replays it backwards, restoring primary keys, numbers and ``updated_at``, so "Annuler la
dernière mise à jour" gives back exactly the previous base.

Writes are grouped (one statement per group of rows, or one prepared statement run over many
rows) because the cost of an import is the number of statements, not of rows (performance
anchors §1.2): a start of year touches most of the base.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from django.db import connections, router
from django.db.models import Max, OuterRef, Subquery

from sesame.library.models import Borrower, BorrowerType, Library, Loan
from sesame.library.update.journal_links import links_detach, links_restore
from sesame.sync import UpdatePlan

_BIRTH_DATE_FORMAT = "%d/%m/%Y"
# Rows per ``pk IN (…)``: far below SQLite's limit on query parameters, whatever its build.
_CHUNK = 500


class JournalMismatch(Exception):
    """A row the journal would restore is no longer as the import left it: undoing is unsafe."""


def _expect(done: int, wanted: int) -> None:
    if done != wanted:
        raise JournalMismatch(f"{done} rows where {wanted} were expected")


def _row(instance) -> dict:
    """Every concrete column of a row as JSON-safe values (dates as ISO text)."""
    row = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        row[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return row


def _python(model, row: dict) -> dict:
    """A journal row back to Python values, for the columns it holds."""
    return {name: model._meta.get_field(name).to_python(value) for name, value in row.items()}


def _instance(model, row: dict):
    values = {}
    for field in model._meta.concrete_fields:
        # Journals written before a column existed lack it: the column's default is what it held.
        raw = row[field.attname] if field.attname in row else field.get_default()
        values[field.attname] = field.to_python(raw)
    return model(**values)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _field_value(field: str, text: str):
    if field == "birth_date":
        return datetime.strptime(text, _BIRTH_DATE_FORMAT).date() if text else None
    return text


def plan_execute(*, library: Library, plan: UpdatePlan, anonymize_history: bool, now: datetime) -> dict:
    """Apply the four groups of ``plan``; return the journal. Raises on anything unexpected.

    ``now`` is the import's time: the ``updated_at`` of the borrowers it changes, and the time of
    the alerts a dropped reservation gives.
    """
    journal: dict = {"created": [], "updated": [], "set_aside": [], "deleted": [], "deleted_loans": [],
                     "anonymized_loans": []}
    _create(library, plan, journal)
    _update(library, plan, journal, now)
    _set_aside(library, plan, journal, now)
    _delete(library, plan, journal, anonymize_history, now)
    return journal


def _create(library: Library, plan: UpdatePlan, journal: dict) -> None:
    """New borrowers, numbered after the highest number, in the order of the plan.

    The status is the one the plan chose (``NewBorrower.status``: the base's own spelling of the
    person's category, so a base kept homogeneous stays so); the person's spelling is only the
    fallback when the plan left it empty, exactly as ``apply_plan_in_memory`` does.
    """
    if not plan.new:
        return
    next_number = (Borrower.objects.filter(library=library).aggregate(top=Max("number"))["top"] or 0) + 1
    created = Borrower.objects.bulk_create(
        Borrower(
            library=library,
            number=next_number + offset,
            name=entry.person.name,
            status=entry.status or entry.person.status,
            school_class=entry.person.school_class,
            birth_date=entry.person.birth_date,
            email=entry.person.email,
            ent_identity=entry.person.ent_identity,
            borrower_type=BorrowerType.REGULAR,
        )
        for offset, entry in enumerate(plan.new)
    )
    # SQLite (3.35+) and PostgreSQL both return the keys of a bulk insert.
    journal["created"] = [borrower.pk for borrower in created]


def _update(library: Library, plan: UpdatePlan, journal: dict, now: datetime) -> None:
    """Overwrite the fields the file changes, one prepared statement per set of changed fields.

    A start of year changes most borrowers (the class, the identity stored): a ``save()`` per
    borrower is one round trip of the ORM each, the bulk of the import's time, while
    ``executemany`` on one statement is the raw path (performance anchors §1.2). Only the
    changed columns are written, as ``save(update_fields=…)`` would.
    """
    changing = [update for update in plan.updated if update.changes]
    if not changing:
        return
    borrowers = {}
    for chunk in _chunks([update.borrower_id for update in changing]):
        borrowers.update(Borrower.objects.filter(library=library).in_bulk(chunk))
    by_fields: dict[tuple[str, ...], list[tuple[int, list]]] = {}
    for update in changing:
        borrower = borrowers[update.borrower_id]
        fields = (*(change.field for change in update.changes), "updated_at")
        row = _row(borrower)
        journal["updated"].append({"pk": borrower.pk, "before": {field: row[field] for field in fields}})
        for change in update.changes:
            setattr(borrower, change.field, _field_value(change.field, change.new))
        borrower.updated_at = now
        by_fields.setdefault(fields, []).append((borrower.pk, [getattr(borrower, field) for field in fields]))
    _write_columns(library, by_fields)


def _write_columns(library: Library, by_fields: dict[tuple[str, ...], list[tuple[int, list]]]) -> None:
    """Set columns of borrowers, one prepared statement per set of columns: ``{fields: [(pk, values)]}``.

    Raw ``executemany`` rather than a ``save()`` or ``update()`` per borrower: a start of year
    touches most of the base, and the cost of a write is its number of statements, not of rows
    (performance anchors §1.2). It also leaves ``auto_now`` alone, so that an undo can write
    ``updated_at`` back as it was.
    """
    connection = connections[router.db_for_write(Borrower)]
    quote = connection.ops.quote_name
    where = f"WHERE {quote(_column('id').column)} = %s AND {quote(_column('library').column)} = %s"
    with connection.cursor() as cursor:
        for fields, rows in by_fields.items():
            if not rows:
                continue
            columns = [_column(field) for field in fields]
            params = [
                [*(column.get_db_prep_save(value, connection)
                   for column, value in zip(columns, values, strict=True)), pk, library.pk]
                for pk, values in rows
            ]
            # Identifiers come from the model, quoted; every value is a parameter.
            assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
            sql = f"UPDATE {quote(Borrower._meta.db_table)} SET {assignments} {where}"  # noqa: S608
            cursor.executemany(sql, params)


def _column(name: str):
    return Borrower._meta.get_field(name)


def _set_aside(library: Library, plan: UpdatePlan, journal: dict, now: datetime) -> None:
    """Leavers with open loans become *Usager temporaire* (seed C, "mis à l'écart")."""
    ids = [removal.borrower_id for removal in plan.set_aside]
    if not ids:
        return
    for chunk in _chunks(ids):
        rows = Borrower.objects.filter(library=library, pk__in=chunk)
        journal["set_aside"] += [
            {"pk": pk, "before": borrower_type, "updated_at": updated_at.isoformat()}
            for pk, borrower_type, updated_at in rows.values_list("pk", "borrower_type", "updated_at")
        ]
        rows.update(borrower_type=BorrowerType.TEMPORARY, updated_at=now)


def _delete(library: Library, plan: UpdatePlan, journal: dict, anonymize_history: bool,
            now: datetime) -> None:
    """Delete borrowers who left without a loan; their returned loans become anonymous or go.

    Anonymous loans keep the borrower's status and class (what statistics need), filled from the
    borrower when the loan did not record them. ``Loan.borrower`` is PROTECT: were an open loan
    still attached, the delete itself would fail and the whole transaction with it.
    """
    ids = [removal.borrower_id for removal in plan.deleted]
    for chunk in _chunks(ids):
        borrowers = list(Borrower.objects.filter(library=library, pk__in=chunk).order_by("pk"))
        history = Loan.objects.returned().filter(library=library, borrower_id__in=chunk)
        rows = [_row(loan) for loan in history.order_by("pk")]
        if anonymize_history:
            journal["anonymized_loans"] += rows
            of_borrower = Borrower.objects.filter(pk=OuterRef("borrower_id"))
            history.filter(borrower_status="").update(
                borrower_status=Subquery(of_borrower.values("status")[:1]))
            history.filter(borrower_class="").update(
                borrower_class=Subquery(of_borrower.values("school_class")[:1]))
            history.update(borrower=None)
        else:
            journal["deleted_loans"] += rows
            history.delete()
        journal["deleted"] += [_row(borrower) for borrower in borrowers]
        links_detach(library=library, borrower_ids=list(chunk), journal=journal, row=_row, now=now)
        Borrower.objects.filter(library=library, pk__in=chunk).delete()


def journal_undo(*, library: Library, journal: dict) -> None:
    """Replay a journal backwards, inside the caller's transaction.

    Every row it touches must still be there as the import left it; otherwise it raises
    ``JournalMismatch`` and the caller's transaction leaves the base as it is. Columns are
    written back as they were, ``created_at`` and ``updated_at`` included.
    """
    for chunk in _chunks(journal["created"]):
        created = Borrower.objects.filter(library=library, pk__in=chunk)
        _expect(created.filter(loans__isnull=True).count(), len(chunk))  # no loan made to them since
        created.delete()
    Borrower.objects.bulk_create(_instance(Borrower, row) for row in journal["deleted"])
    # ``bulk_create`` stamps auto_now(_add) columns with "now": put the recorded times back.
    times = ("created_at", "updated_at")
    _write_columns(library, {times: [
        (row["id"], list(_python(Borrower, {name: row[name] for name in times}).values()))
        for row in journal["deleted"]
    ]})
    Loan.objects.bulk_create(_instance(Loan, row) for row in journal["deleted_loans"])
    _restore_loans(library, journal["anonymized_loans"])
    links_restore(library=library, journal=journal, instance=_instance)

    set_aside = [entry["pk"] for entry in journal["set_aside"]]
    for chunk in _chunks(set_aside):
        still = Borrower.objects.filter(library=library, pk__in=chunk, borrower_type=BorrowerType.TEMPORARY)
        _expect(still.count(), len(chunk))
    _write_columns(library, {("borrower_type", "updated_at"): [
        (entry["pk"], list(_python(Borrower, {"borrower_type": entry["before"],
                                              "updated_at": entry["updated_at"]}).values()))
        for entry in journal["set_aside"]
    ]})

    updated = [entry["pk"] for entry in journal["updated"]]
    for chunk in _chunks(updated):
        _expect(Borrower.objects.filter(library=library, pk__in=chunk).count(), len(chunk))
    by_fields: dict[tuple[str, ...], list[tuple[int, list]]] = {}
    for entry in journal["updated"]:
        before = _python(Borrower, entry["before"])
        by_fields.setdefault(tuple(before), []).append((entry["pk"], list(before.values())))
    _write_columns(library, by_fields)


def _restore_loans(library: Library, rows: Iterable[dict]) -> None:
    """Give anonymised loans back their borrower, status and class, grouped by those values."""
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        key = (row["borrower_id"], row["borrower_status"], row["borrower_class"])
        groups.setdefault(key, []).append(row["id"])
    for (borrower_id, status, school_class), pks in groups.items():
        for chunk in _chunks(pks):
            anonymous = Loan.objects.filter(library=library, pk__in=chunk, borrower__isnull=True)
            done = anonymous.update(borrower_id=borrower_id, borrower_status=status,
                                    borrower_class=school_class)
            _expect(done, len(chunk))
