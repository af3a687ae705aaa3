"""The catalogue's changes: records (*notices*) and copies (*exemplaires*) (SPEC §2).

Every change goes through here, from the pages, the MARC import or a command, so the rules hold
whatever the door (``rules``: title, ISBN key, plausible year, barcode characters), and what needs
the base is checked here: one record per ISBN, a barcode unique in its library. Each service is
keyword-only, runs in one transaction, takes ``acting_user`` (the librarian, or None for a
command) and writes one line of the library's journal with it; a refusal is a
``CatalogueRefused`` raised before anything is written.

A copy's status changes here except when a loan or a reservation holds the copy: a copy on loan
becomes *disponible* by its return and *perdu* by the circulation's loss declaration, which also
closes the loan; a copy set aside for a reservation is released by the reservation. Changing those
here would leave a loan open on a copy said to be on the shelf.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.catalogue.errors import CatalogueRefused
from sesame.library.catalogue.rules import RecordFields, clean_barcode, record_fields
from sesame.library.catalogue.selectors import hold_of, open_loan_of
from sesame.library.common.audit import event_record
from sesame.library.common.locking import one
from sesame.library.models import Copy, CopyStatus, EventAction, Library, Record

# --- Records ------------------------------------------------------------------------------------


def _refuse_duplicate_isbn(library: Library, fields: RecordFields, exclude: int | None = None) -> None:
    """One record per ISBN: a second purchase of a book is a copy, not a record."""
    if not fields.isbn:
        return
    other = Record.objects.filter(library=library, isbn=fields.isbn).exclude(pk=exclude).first()
    if other is not None:
        raise CatalogueRefused(
            _("L'ISBN %(isbn)s est déjà celui de la notice « %(title)s » : ajoutez-y plutôt un "
              "exemplaire.") % {"isbn": fields.isbn, "title": other.title},
            "duplicate_isbn", field="isbn",
        )


def _record_detail(record: Record) -> str:
    return f"notice n° {record.pk} : {record.title}"


def record_create(*, library: Library, acting_user, title: str, authors: str = "", publisher: str = "",
                  year: int | None = None, isbn: str = "", subjects: str = "", support: str = "",
                  call_number: str = "", now: datetime | None = None) -> Record:
    """A new record of the library (without copies: they are added one by one, with their barcode)."""
    fields = record_fields(title=title, authors=authors, publisher=publisher, year=year, isbn=isbn,
                           subjects=subjects, support=support, call_number=call_number)
    with transaction.atomic():
        _refuse_duplicate_isbn(library, fields)
        record = Record.objects.create(library=library, **asdict(fields))
        event_record(library=library, action=EventAction.RECORD_CREATE, acting_user=acting_user,
                     now=now or clock.now(), detail=_record_detail(record), data={"record": record.pk})
    return record


def _record_of(library: Library, record_id: int, *, lock: bool = False) -> Record:
    records = Record.objects.filter(library=library, pk=record_id)
    record = one(records.select_for_update() if lock else records)
    if record is None:
        raise CatalogueRefused(
            _("Aucune notice n'a le numéro %(number)s dans cette bibliothèque.") % {"number": record_id},
            "unknown_record",
        )
    return record


def record_update(*, library: Library, record_id: int, acting_user, title: str, authors: str = "",
                  publisher: str = "", year: int | None = None, isbn: str = "", subjects: str = "",
                  support: str = "", call_number: str = "", now: datetime | None = None) -> Record:
    """Save every field of a record as the form shows them (an empty field empties the record's).

    A form saved without a change changes nothing and writes no journal line.
    """
    fields = record_fields(title=title, authors=authors, publisher=publisher, year=year, isbn=isbn,
                           subjects=subjects, support=support, call_number=call_number)
    with transaction.atomic():
        record = _record_of(library, record_id, lock=True)
        _refuse_duplicate_isbn(library, fields, exclude=record.pk)
        changed = [name for name, value in asdict(fields).items() if getattr(record, name) != value]
        if not changed:
            return record
        for name in changed:
            setattr(record, name, getattr(fields, name))
        record.save(update_fields=changed)
        event_record(library=library, action=EventAction.RECORD_UPDATE, acting_user=acting_user,
                     now=now or clock.now(), detail=_record_detail(record),
                     data={"record": record.pk, "fields": changed})
    return record


# --- Copies -------------------------------------------------------------------------------------


def _barcode_taken(barcode: str) -> CatalogueRefused:
    return CatalogueRefused(_("Le code-barre %(barcode)s existe déjà.") % {"barcode": barcode},
                            "duplicate_barcode", field="barcode")


def _refuse_manual_loan(status: str) -> None:
    if status == CopyStatus.ON_LOAN:
        raise CatalogueRefused(
            _("Un exemplaire devient « prêté » par l'enregistrement d'un prêt, pas à la main."),
            "manual_loan_status", field="status",
        )
    if status not in CopyStatus.values:
        raise CatalogueRefused(_("Statut d'exemplaire inconnu."), "unknown_status", field="status")


def _save_barcode(copy: Copy, barcode: str) -> None:
    """Insert or update inside a savepoint: a barcode taken meanwhile (two librarians at once)
    breaks the unique constraint, and on PostgreSQL the transaction must survive it."""
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError as error:
        raise _barcode_taken(barcode) from error


def copy_add(*, library: Library, record_id: int, barcode: str, acting_user,
             status: str = CopyStatus.AVAILABLE, now: datetime | None = None) -> Copy:
    """A new copy of a record, with a barcode no other copy of the library has."""
    with transaction.atomic():
        record = _record_of(library, record_id)
        barcode = clean_barcode(barcode)
        _refuse_manual_loan(status)
        if Copy.objects.filter(library=library, barcode=barcode).exists():
            raise _barcode_taken(barcode)
        copy = Copy(library=library, record=record, barcode=barcode, status=status)
        _save_barcode(copy, barcode)
        event_record(library=library, action=EventAction.COPY_ADD, acting_user=acting_user,
                     now=now or clock.now(), copy=copy,
                     detail=f"{barcode} ({status}), notice n° {record.pk}",
                     data={"record": record.pk, "status": status})
    return copy


def _refuse_circulation_status(copy: Copy) -> None:
    """The status of a copy on loan or held for a reservation is changed at the desk, not here."""
    if copy.status == CopyStatus.ON_LOAN or open_loan_of(copy) is not None:
        raise CatalogueRefused(
            _("L'exemplaire %(barcode)s est prêté : son statut se change dans la gestion du prêt, par "
              "son retour ou en le déclarant perdu (ce qui clôt le prêt).") % {"barcode": copy.barcode},
            "on_loan", field="status",
        )


def copy_update(*, library: Library, copy_id: int, barcode: str, status: str, acting_user,
                now: datetime | None = None) -> Copy:
    """Change a copy's barcode and status.

    The status of a copy on loan or set aside for a reservation is the circulation's: refused
    here with where to do it. Its barcode may still change (a label replaced). Saved without a
    change, nothing is written.
    """
    with transaction.atomic():
        copy = one(Copy.objects.select_for_update().filter(library=library, pk=copy_id))
        if copy is None:
            raise CatalogueRefused(_("Cet exemplaire n'existe pas dans cette bibliothèque."), "unknown_copy")
        barcode = clean_barcode(barcode)
        if status != copy.status:
            _refuse_circulation_status(copy)
            _refuse_manual_loan(status)
            if hold_of(copy) is not None:
                raise CatalogueRefused(
                    _("L'exemplaire %(barcode)s est mis de côté pour une réservation : son statut se change "
                      "dans la gestion du prêt, une fois la réservation honorée ou annulée.")
                    % {"barcode": copy.barcode},
                    "on_hold", field="status",
                )
        if barcode != copy.barcode and Copy.objects.filter(library=library, barcode=barcode).exists():
            raise _barcode_taken(barcode)
        changes = {name: [before, after] for name, before, after in
                   (("barcode", copy.barcode, barcode), ("status", copy.status, status)) if before != after}
        if not changes:
            return copy
        copy.barcode, copy.status = barcode, status
        _save_barcode(copy, barcode)
        event_record(library=library, action=EventAction.COPY_UPDATE, acting_user=acting_user,
                     now=now or clock.now(), copy=copy,
                     detail=" ; ".join(f"{before} → {after}" for before, after in changes.values()),
                     data=changes)
    return copy
