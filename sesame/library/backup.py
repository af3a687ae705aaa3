"""The backup offered before the borrower update (seed C, "Avertissements préalables").

BCDI advises saving the base before the update deletes the borrowers who left. Sésame can undo
its last update, but a file the librarian keeps outside the application is still what protects
against everything else (a wrong file imported, then further work on top of it). The backup is
one JSON document with the library's borrowers, records, copies and loans, every column as it is
stored, so that nothing is lost if it is ever read back. Update runs are left out: they hold
copies of ENT files, which are not the library's data and are large.
"""

import json
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import Borrower, Copy, Library, Loan, Record

BACKUP_FORMAT = "sesame-bibliotheque-sauvegarde"
BACKUP_VERSION = 1

# Each table in an order that can be read back without dangling references.
_TABLES = (("borrowers", Borrower), ("records", Record), ("copies", Copy), ("loans", Loan))


def _rows(model, library: Library) -> list[dict]:
    """Every concrete column, by attribute name (``borrower_id``), so foreign keys stay plain ids."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname != "library_id"]
    return list(model.objects.filter(library=library).order_by("pk").values(*names))


def library_backup_data(*, library: Library, now: datetime | None = None) -> dict:
    """The backup as a plain dictionary (what ``library_backup_bytes`` writes)."""
    now = now or timezone.now()
    data = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": now.isoformat(),
        "library": {"uai": library.uai, "name": library.name},
    }
    for key, model in _TABLES:
        data[key] = _rows(model, library)
    return data


def library_backup_bytes(*, library: Library, now: datetime | None = None) -> bytes:
    """One library's base as UTF-8 JSON, readable by a person as well as by a program."""
    data = library_backup_data(library=library, now=now)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def library_backup_filename(*, library: Library, day: date | None = None) -> str:
    """``sauvegarde-<UAI>-<date>.json``: the name says which school and which day it was taken."""
    day = day or timezone.localdate()
    return f"sauvegarde-{library.uai}-{day.isoformat()}.json"
