"""The catalogue's services: records (*notices*) and copies (*exemplaires*), and the catalogue search.

Every change goes through here, from the pages, the MARC import or a command, so the rules hold
whatever the door: a title is required, an ISBN is checked by its key and stored as a compact
ISBN-13, a year must be plausible, a barcode is unique in its library. A refusal is a
``CatalogueRefused`` with the French sentence the librarian reads and, when one field is at
fault, that field's name, so a form can put the message beside it; nothing is changed.

A copy's status changes here except when a loan or a reservation holds the copy: a copy on loan
becomes *disponible* by its return and *perdu* by the circulation's loss declaration, which also
closes the loan; a copy set aside for a reservation is released by the reservation. Changing those
here would leave a loan open on a copy said to be on the shelf.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.common.text import collapse_spaces
from sesame.library.models import Copy, CopyStatus, Library, Loan, Record, Reservation, ReservationState
from sesame.sync.normalize import fold

YEAR_MIN = 1450  # the first printed books; anything older is a typing slip in a CDI
BARCODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_/.]*")
SEARCH_FIELDS = ("all", "title", "authors", "isbn", "subjects")
# The longest value each field holds (the columns of ``Record``), for messages and truncation.
MAX_LENGTHS = {"title": 500, "authors": 500, "publisher": 200, "subjects": 500, "support": 60,
               "call_number": 60}
SUPPORTS = ("Livre", "Bande dessinée", "Périodique", "Livre audio", "Vidéo", "Enregistrement sonore",
            "Carte", "Ressource électronique", "Partition", "Image", "Objet")


class CatalogueRefused(Exception):
    """A change the rules forbid; ``message`` is in French. Nothing was changed."""

    def __init__(self, message: str, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


# --- Field rules (shared by the services, the forms and the import) -----------------------------


def year_max() -> int:
    """Next year is still plausible: publishers print next year's date on autumn books."""
    return timezone.localdate().year + 1


def isbn_message(error: isbn_rules.IsbnError) -> str:
    """The French sentence for an ISBN refusal of the pure ``isbn`` module."""
    if error.code == "check_digit":
        return _("ISBN invalide : la clé de contrôle devrait être %(key)s.") % {"key": error.expected}
    if error.code == "length":
        return _("ISBN invalide : un ISBN compte 10 ou 13 chiffres, celui-ci en a %(count)s.") % {
            "count": error.count}
    if error.code == "prefix":
        return _("ISBN invalide : un ISBN à 13 chiffres commence par 978 ou 979.")
    if error.code == "x_position":
        return _("ISBN invalide : X ne peut être que la clé (le dernier caractère) d'un ISBN à 10 chiffres.")
    return _("ISBN invalide : seuls les chiffres, les tirets et les espaces sont permis.")


def clean_isbn(text: str) -> str:
    """The ISBN to store ("" when empty, else the compact ISBN-13), or ``CatalogueRefused``."""
    try:
        return isbn_rules.normalize(text)
    except isbn_rules.IsbnError as error:
        raise CatalogueRefused(isbn_message(error), code="invalid_isbn", field="isbn") from error


def year_refusal(year: int) -> str | None:
    """The French refusal of an implausible year, None if the year is plausible."""
    if YEAR_MIN <= year <= year_max():
        return None
    return _("Année invraisemblable : saisissez une année entre %(first)s et %(last)s.") % {
        "first": YEAR_MIN, "last": year_max()}


def clean_barcode(text: str) -> str:
    """A barcode as the scanner reads it: letters, digits, and - _ / . inside, at most 40 characters."""
    barcode = text.strip()
    if not barcode:
        raise CatalogueRefused(_("Le code-barre est obligatoire."), code="barcode_required", field="barcode")
    if len(barcode) > 40:
        raise CatalogueRefused(_("Un code-barre compte 40 caractères au plus."), code="barcode_length",
                               field="barcode")
    if not BARCODE_PATTERN.fullmatch(barcode):
        raise CatalogueRefused(
            _("Code-barre incorrect : lettres, chiffres et les signes - _ / . seulement, sans espace."),
            code="barcode_characters", field="barcode",
        )
    return barcode


FIELD_LABELS = {
    "title": gettext_lazy("Titre"), "authors": gettext_lazy("Auteurs"),
    "publisher": gettext_lazy("Éditeur"), "subjects": gettext_lazy("Sujets"),
    "support": gettext_lazy("Support"), "call_number": gettext_lazy("Cote"),
}


@dataclass(frozen=True)
class RecordFields:
    """What a librarian types on a record, checked and tidied by ``record_fields``."""

    title: str
    authors: str = ""
    publisher: str = ""
    year: int | None = None
    isbn: str = ""
    subjects: str = ""
    support: str = ""
    call_number: str = ""


def record_fields(
    *, title: str, authors: str = "", publisher: str = "", year: int | None = None, isbn: str = "",
    subjects: str = "", support: str = "", call_number: str = "",
) -> RecordFields:
    """The fields as they will be stored, or the first refusal (title, lengths, year, ISBN)."""
    values = {
        "title": collapse_spaces(title), "authors": collapse_spaces(authors),
        "publisher": collapse_spaces(publisher), "subjects": collapse_spaces(subjects),
        "support": collapse_spaces(support), "call_number": collapse_spaces(call_number),
    }
    if not values["title"]:
        raise CatalogueRefused(_("Le titre est obligatoire."), code="title_required", field="title")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            message = _("%(field)s : %(limit)s caractères au plus.") % {
                "field": FIELD_LABELS[name], "limit": limit}
            raise CatalogueRefused(message, code="too_long", field=name)
    if year is not None and (refusal := year_refusal(year)):
        raise CatalogueRefused(refusal, code="implausible_year", field="year")
    return RecordFields(year=year, isbn=clean_isbn(isbn), **values)


def _refuse_duplicate_isbn(library: Library, fields: RecordFields, exclude: int | None = None) -> None:
    """One record per ISBN: a second purchase of a book is a copy, not a record."""
    if not fields.isbn:
        return
    other = Record.objects.filter(library=library, isbn=fields.isbn).exclude(pk=exclude).first()
    if other is not None:
        raise CatalogueRefused(
            _("L'ISBN %(isbn)s est déjà celui de la notice « %(title)s » : ajoutez-y plutôt un "
              "exemplaire.") % {"isbn": fields.isbn, "title": other.title},
            code="duplicate_isbn", field="isbn",
        )


# --- Records ------------------------------------------------------------------------------------


@transaction.atomic
def record_create(*, library: Library, title: str, authors: str = "", publisher: str = "",
                  year: int | None = None, isbn: str = "", subjects: str = "", support: str = "",
                  call_number: str = "") -> Record:
    """A new record of the library (without copies: they are added one by one, with their barcode)."""
    fields = record_fields(title=title, authors=authors, publisher=publisher, year=year, isbn=isbn,
                           subjects=subjects, support=support, call_number=call_number)
    _refuse_duplicate_isbn(library, fields)
    return Record.objects.create(library=library, **asdict(fields))


def _record_of(library: Library, record_id: int, *, lock: bool = False) -> Record:
    records = Record.objects.filter(library=library, pk=record_id)
    record = (records.select_for_update() if lock else records).first()
    if record is None:
        raise CatalogueRefused(
            _("Aucune notice n'a le numéro %(number)s dans cette bibliothèque.") % {"number": record_id},
            code="unknown_record",
        )
    return record


@transaction.atomic
def record_update(*, library: Library, record_id: int, title: str, authors: str = "", publisher: str = "",
                  year: int | None = None, isbn: str = "", subjects: str = "", support: str = "",
                  call_number: str = "") -> Record:
    """Save every field of a record as the form shows them (an empty field empties the record's)."""
    record = _record_of(library, record_id, lock=True)
    fields = record_fields(title=title, authors=authors, publisher=publisher, year=year, isbn=isbn,
                           subjects=subjects, support=support, call_number=call_number)
    _refuse_duplicate_isbn(library, fields, exclude=record.pk)
    for name, value in asdict(fields).items():
        setattr(record, name, value)
    record.save()
    return record


# --- Copies -------------------------------------------------------------------------------------


def _barcode_taken(barcode: str) -> CatalogueRefused:
    return CatalogueRefused(_("Le code-barre %(barcode)s existe déjà.") % {"barcode": barcode},
                            code="duplicate_barcode", field="barcode")


def _refuse_manual_loan(status: str) -> None:
    if status == CopyStatus.ON_LOAN:
        raise CatalogueRefused(
            _("Un exemplaire devient « prêté » par l'enregistrement d'un prêt, pas à la main."),
            code="manual_loan_status", field="status",
        )
    if status not in CopyStatus.values:
        raise CatalogueRefused(_("Statut d'exemplaire inconnu."), code="unknown_status", field="status")


def _save_barcode(copy: Copy, barcode: str) -> None:
    """Insert or update inside a savepoint: a barcode taken meanwhile (two librarians at once)
    breaks the unique constraint, and on PostgreSQL the transaction must survive it."""
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError as error:
        raise _barcode_taken(barcode) from error


@transaction.atomic
def copy_add(*, library: Library, record_id: int, barcode: str,
             status: str = CopyStatus.AVAILABLE) -> Copy:
    """A new copy of a record, with a barcode no other copy of the library has."""
    record = _record_of(library, record_id)
    barcode = clean_barcode(barcode)
    _refuse_manual_loan(status)
    if Copy.objects.filter(library=library, barcode=barcode).exists():
        raise _barcode_taken(barcode)
    copy = Copy(library=library, record=record, barcode=barcode, status=status)
    _save_barcode(copy, barcode)
    return copy


def open_loan_of(copy: Copy) -> Loan | None:
    return Loan.objects.filter(copy=copy, returned_on__isnull=True).select_related("borrower").first()


def hold_of(copy: Copy) -> Reservation | None:
    return (Reservation.objects.filter(copy=copy, state=ReservationState.READY)
            .select_related("borrower").first())


@transaction.atomic
def copy_update(*, library: Library, copy_id: int, barcode: str, status: str) -> Copy:
    """Change a copy's barcode and status.

    The status of a copy on loan or set aside for a reservation is the circulation's: refused
    here with where to do it. Its barcode may still change (a label replaced).
    """
    copy = Copy.objects.select_for_update().filter(library=library, pk=copy_id).first()
    if copy is None:
        raise CatalogueRefused(_("Cet exemplaire n'existe pas dans cette bibliothèque."), code="unknown_copy")
    barcode = clean_barcode(barcode)
    if status != copy.status:
        loan = open_loan_of(copy)
        if loan is not None or copy.status == CopyStatus.ON_LOAN:
            raise CatalogueRefused(
                _("L'exemplaire %(barcode)s est prêté : son statut se change dans la gestion du prêt, par "
                  "son retour ou en le déclarant perdu (ce qui clôt le prêt).") % {"barcode": copy.barcode},
                code="on_loan", field="status",
            )
        _refuse_manual_loan(status)
        if hold_of(copy) is not None:
            raise CatalogueRefused(
                _("L'exemplaire %(barcode)s est mis de côté pour une réservation : son statut se change "
                  "dans la gestion du prêt, une fois la réservation honorée ou annulée.")
                % {"barcode": copy.barcode},
                code="on_hold", field="status",
            )
    if barcode != copy.barcode and Copy.objects.filter(library=library, barcode=barcode).exists():
        raise _barcode_taken(barcode)
    copy.barcode, copy.status = barcode, status
    _save_barcode(copy, barcode)
    return copy


def next_barcode(library: Library) -> str:
    """The barcode after the library's highest numeric one, zero-padded alike ("" if none).

    What a librarian labelling new books would take next; only a suggestion for the form.
    """
    numeric = [code for code in Copy.objects.filter(library=library).values_list("barcode", flat=True)
               if code.isdigit()]
    if not numeric:
        return ""
    top = max(numeric, key=int)
    return str(int(top) + 1).zfill(len(top))


# --- Search -------------------------------------------------------------------------------------


def record_search(*, library: Library, text: str, field: str = "all") -> list[int]:
    """The ids of the records matching ``text``, by title then id.

    Every word must appear in the chosen field, as a reader compares words (case, accents,
    ligatures and punctuation ignored): "oeil loup" finds "L'Œil du loup". An ISBN is compared
    digits to digits, an ISBN-10 as its ISBN-13, so either finds the record.

    The comparison runs in Python over the library's records: a CDI has a few thousand to a few
    tens of thousands, and neither SQLite nor PostgreSQL without an extension folds accents.
    """
    if field not in SEARCH_FIELDS:
        field = "all"
    rows = Record.objects.filter(library=library).values_list(
        "pk", "title", "authors", "isbn", "subjects", "publisher", "call_number")
    words = fold(text).split()
    digits = isbn_rules.search_key(text)
    looks_like_isbn = bool(re.fullmatch(r"[0-9X]{4,13}", digits))
    matches = []
    for pk, title, authors, isbn, subjects, publisher, call_number in rows:
        if field == "isbn":
            hit = bool(digits) and digits in isbn
        else:
            haystack = {
                "title": title, "authors": authors, "subjects": subjects,
                "all": f"{title} {authors} {subjects} {publisher} {call_number}",
            }[field]
            folded = fold(haystack)
            hit = all(word in folded for word in words)
            if not hit and field == "all" and looks_like_isbn:
                hit = digits in isbn
        if hit:
            matches.append((fold(title), pk))
    matches.sort()
    return [pk for _, pk in matches]
