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
