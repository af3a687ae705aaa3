"""Library-side builders: a base, its borrowers, catalogue and loans, and the ENT's users file.

Each test says only what matters to it: a borrower is "NOM Prénom" with a status, a class and the
rest left at plausible values; a loan needs only a borrower (the copy and record are made for it).
``users_file`` writes the file the ENT would export, through the real writer, so the update reads
exactly what a school would give it.
"""

import itertools
from datetime import date, timedelta

from django.db.models import Max

from sesame.interop.fiches_xml import UserRecord, write_fiches
from sesame.library.models import Borrower, BorrowerType, Copy, Library, Loan, Record

UAI = "0693456G"
OTHER_UAI = "9990001X"
TODAY = date(2025, 9, 2)

_barcodes = itertools.count(1)
_identities = itertools.count(1)


def make_library(uai: str = UAI, name: str = "Collège Jean Moulin") -> Library:
    return Library.objects.create(uai=uai, name=name)


def make_borrower(
    library: Library,
    name: str,
    *,
    status: str = "Elève",
    school_class: str = "",
    birth_date: date | None = None,
    email: str = "",
    ent_identity: str = "",
    borrower_type: str = BorrowerType.REGULAR,
    number: int | None = None,
) -> Borrower:
    """A borrower with the next free number of its library (BCDI numbers them in order)."""
    if number is None:
        top = Borrower.objects.filter(library=library).aggregate(top=Max("number"))["top"] or 0
        number = top + 1
    return Borrower.objects.create(
        library=library, number=number, name=name, status=status, school_class=school_class,
        birth_date=birth_date, email=email, ent_identity=ent_identity, borrower_type=borrower_type,
    )


def make_record(library: Library, title: str = "Le Petit Prince") -> Record:
    return Record.objects.create(library=library, title=title, authors="Saint-Exupéry, Antoine de")


def make_copy(library: Library, record: Record | None = None) -> Copy:
    record = record or make_record(library)
    return Copy.objects.create(library=library, record=record, barcode=f"E{next(_barcodes):07d}")


def make_loan(
    borrower: Borrower,
    *,
    returned: bool = False,
    loaned_on: date = TODAY - timedelta(days=20),
    copy: Copy | None = None,
) -> Loan:
    """An open loan (the copy is then *prêté*) or a returned one, of a new copy unless given."""
    library = borrower.library
    copy = copy or make_copy(library)
    loan = Loan.objects.create(
        library=library, copy=copy, borrower=borrower, borrower_status=borrower.status,
        borrower_class=borrower.school_class, loaned_on=loaned_on, due_on=loaned_on + timedelta(days=21),
        returned_on=loaned_on + timedelta(days=10) if returned else None,
    )
    if not returned:
        Copy.objects.filter(pk=copy.pk).update(status="prêté")
    return loan


def person(
    name: str,
    *,
    status: str = "Élève",
    school_class: str = "",
    birth_date: date | None = None,
    email: str = "",
    ent_identity: str = "",
) -> UserRecord:
    """One person of the users file; an ENT identity is invented when none is given."""
    return UserRecord(
        name=name, ent_identity=ent_identity or f"ENT{next(_identities):06d}", status=status,
        birth_date=birth_date, school_class=school_class, email=email,
    )


def users_file(people) -> bytes:
    """The users file the ENT exports for these people (UTF-8, schema order)."""
    return write_fiches(people)


def users_file_path(tmp_path, people, name: str = "export_ent.xml"):
    """The users file written to disk, for the management command."""
    path = tmp_path / name
    path.write_bytes(users_file(people))
    return path


# --- Dumps: what "nothing changed" and "exactly as before" compare --------------------------------

BORROWER_FIELDS = (
    "pk", "library_id", "number", "name", "status", "school_class", "birth_date", "email",
    "borrower_type", "ent_identity", "created_at",
)
LOAN_FIELDS = (
    "pk", "library_id", "copy_id", "borrower_id", "borrower_status", "borrower_class", "loaned_on",
    "due_on", "returned_on",
)


def borrower_rows(library: Library | None = None, *, with_updated_at: bool = True) -> list[tuple]:
    """Every column of every borrower; without ``updated_at`` to compare *what*, not *when*."""
    rows = Borrower.objects.all() if library is None else Borrower.objects.filter(library=library)
    fields = (*BORROWER_FIELDS, "updated_at") if with_updated_at else BORROWER_FIELDS
    return list(rows.order_by("pk").values_list(*fields))


def loan_rows(library: Library | None = None) -> list[tuple]:
    """Every column of every loan, anonymous ones included."""
    rows = Loan.objects.all() if library is None else Loan.objects.filter(library=library)
    return list(rows.order_by("pk").values_list(*LOAN_FIELDS))


def base_dump(library: Library | None = None, *, with_updated_at: bool = True) -> dict[str, list[tuple]]:
    """Borrowers and loans, row by row, for before/after comparisons.

    A refusal must leave even ``updated_at`` alone; an undo restores the content, and the
    rows it writes back get a new ``updated_at``, so it is compared without.
    """
    return {"borrowers": borrower_rows(library, with_updated_at=with_updated_at),
            "loans": loan_rows(library)}


# --- Circulation: rules, reservations, and the dump a refusal must leave unchanged -----------------


def make_loan_rule(library: Library, status: str = "", *, loan_days: int = 21, max_loans: int = 5,
                   renewals_allowed: int = 1):
    """A loan rule; an empty status is the library's default rule."""
    from sesame.library.models import LoanRule

    return LoanRule.objects.create(library=library, status=status, loan_days=loan_days, max_loans=max_loans,
                                   renewals_allowed=renewals_allowed)


def _all_columns(model, library: Library | None) -> list[tuple]:
    rows = model.objects.all() if library is None else model.objects.filter(library=library)
    names = [field.attname for field in model._meta.concrete_fields]
    return list(rows.order_by("pk").values_list(*names))


def circulation_dump(library: Library | None = None) -> dict[str, list[tuple]]:
    """Every column of borrowers, copies, loans, reservations, notices and desk-journal rows.

    What a refused circulation operation must leave exactly as it was, ``updated_at`` included.
    """
    from sesame.library.models import LibrarianAlert, LibraryEvent, Reservation

    return {
        name: _all_columns(model, library)
        for name, model in (("borrowers", Borrower), ("copies", Copy), ("loans", Loan),
                            ("reservations", Reservation), ("alerts", LibrarianAlert),
                            ("events", LibraryEvent))
    }


# --- MARC files (ISO 2709): UNIMARC and MARC21 records, in the encodings real exports use ---------
# (imported here, below the other builders, so that this section stands on its own)

import unicodedata  # noqa: E402

import pymarc  # noqa: E402

# MARC-8 writes an accent as a combining byte *before* its letter; œ and æ have letters of their own.
_MARC8_COMBINING = {"\u0300": 0xE1, "\u0301": 0xE2, "\u0302": 0xE3, "\u0303": 0xE4, "\u0308": 0xE8,
                    "\u0327": 0xF0}
_MARC8_LETTERS = {"Æ": 0xA5, "Œ": 0xA6, "æ": 0xB5, "œ": 0xB6}
UNIMARC_LEADER = "00000nam  2200000   450 "
MARC21_LEADER = "00000nam a2200000 i 4500"


def _marc8(text: str) -> str:
    """MARC-8 bytes of ``text`` as code points below 256 (written out byte for byte as ISO-8859-1)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if char in _MARC8_COMBINING:
            out.insert(len(out) - 1, chr(_MARC8_COMBINING[char]))
        elif char in _MARC8_LETTERS:
            out.append(chr(_MARC8_LETTERS[char]))
        else:
            assert ord(char) < 128, f"no MARC-8 for {char!r} in this builder"
            out.append(char)
    return "".join(out)


def _as_bytes(text: str, encoding: str) -> str:
    if encoding == "marc-8":
        return _marc8(text)
    if encoding == "latin-1":
        return text.encode("latin-1").decode("latin-1")  # refuses what ISO-8859-1 cannot write
    if encoding == "cp1252":  # Windows letters (’ œ); UNIMARC's sorting marks (C1 controls) as their byte
        return "".join(c if ord(c) < 0xA0 else c.encode("cp1252").decode("latin-1") for c in text)
    return text


def marc_field(tag: str, *pairs: str, indicators: str = "  ") -> pymarc.Field:
    """``marc_field("200", "a", "Le lion", "f", "Joseph Kessel", indicators="1 ")``; a control
    field (below 010) takes its data as the only argument."""
    if tag < "010":
        return pymarc.Field(tag=tag, data=pairs[0])
    subfields = [pymarc.Subfield(code, value) for code, value in zip(pairs[::2], pairs[1::2], strict=True)]
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(*indicators), subfields=subfields)


def marc_record(*fields: pymarc.Field, leader: str = UNIMARC_LEADER) -> pymarc.Record:
    record = pymarc.Record(leader=leader)
    record.leader = pymarc.Leader(leader)  # the constructor forces MARC21's "4500"; UNIMARC has "450 "
    record.add_field(*fields)
    return record


def marc_bytes(record: pymarc.Record, *, encoding: str = "utf-8", declare_utf8: bool = False) -> bytes:
    """One record in ISO 2709: ``utf-8``, ``latin-1`` (BCDI's ISO-8859-1), ``cp1252`` (the same
    written by Windows, with ’ and œ) or ``marc-8``.

    Leader position 9 says "a" (UTF-8) only with ``declare_utf8``: UNIMARC leaves it blank, and
    many MARC21 exports in UTF-8 forget it.
    """
    copy = pymarc.Record(leader=str(record.leader))
    copy.leader = pymarc.Leader(str(record.leader))
    for field in record.fields:
        if field.is_control_field():
            copy.add_field(pymarc.Field(tag=field.tag, data=field.data))
            continue
        values = [pymarc.Subfield(code, _as_bytes(value, encoding)) for code, value in field.subfields]
        copy.add_field(pymarc.Field(tag=field.tag, indicators=field.indicators, subfields=values))
    if encoding == "utf-8":
        data = copy.as_marc()  # pymarc writes UTF-8 and sets position 9 to "a"
    else:
        copy.to_unicode = False  # pymarc then writes every character as one ISO-8859-1 byte
        copy.leader = pymarc.Leader(str(copy.leader)[:9] + " " + str(copy.leader)[10:])
        data = copy.as_marc()
    flag = b"a" if declare_utf8 else b" "
    return data[:9] + flag + data[10:]


def marc_file(records, **options) -> bytes:
    """Records one after the other, as exports write them."""
    return b"".join(marc_bytes(record, **options) for record in records)


CATALOGUE_FIELDS = ("pk", "library_id", "title", "authors", "publisher", "year", "isbn", "subjects",
                    "support", "call_number")
COPY_FIELDS = ("pk", "library_id", "record_id", "barcode", "status")


def catalogue_dump(library: Library | None = None) -> dict[str, list[tuple]]:
    """Records and copies, row by row, for "nothing changed" comparisons."""
    records = Record.objects.all() if library is None else Record.objects.filter(library=library)
    copies = Copy.objects.all() if library is None else Copy.objects.filter(library=library)
    return {"records": list(records.order_by("pk").values_list(*CATALOGUE_FIELDS)),
            "copies": list(copies.order_by("pk").values_list(*COPY_FIELDS))}


# --- Whole-base dumps: what "the same base" and "nothing changed" compare for backups ----------


def library_tables_dump() -> dict[str, list[tuple]]:
    """Every column of every row of every table of the library app, every library, in id order.

    Binary columns are compared as bytes (PostgreSQL gives ``memoryview``).
    """
    from django.apps import apps

    dump = {}
    for model in apps.get_app_config("library").get_models():
        names = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*names)
        dump[model.__name__] = [
            tuple(bytes(value) if isinstance(value, memoryview) else value for value in row) for row in rows
        ]
    return dump
