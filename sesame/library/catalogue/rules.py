"""The catalogue's field rules, shared by the services, the forms and the MARC import.

A title is required, an ISBN is checked by its key and stored as a compact ISBN-13, a year must
be plausible, a barcode is what a scanner reads. A refusal is a ``CatalogueRefused`` with the
sentence the librarian reads (translated) and, when one field is at fault, that field's name, so
a form can put the message beside it. Nothing here reads or writes the base: what needs it (an
ISBN or a barcode already taken) is the services' work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sesame.core import clock
from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.catalogue.errors import CatalogueRefused
from sesame.library.common.text import collapse_spaces

YEAR_MIN = 1450  # the first printed books; anything older is a typing slip in a CDI
BARCODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-_/.]*")
SEARCH_FIELDS = ("all", "title", "authors", "isbn", "subjects")
# The longest value each field holds (the columns of ``Record``), for messages and truncation.
MAX_LENGTHS = {"title": 500, "authors": 500, "publisher": 200, "subjects": 500, "support": 60,
               "call_number": 60}
SUPPORTS = ("Livre", "Bande dessinée", "Périodique", "Livre audio", "Vidéo", "Enregistrement sonore",
            "Carte", "Ressource électronique", "Partition", "Image", "Objet")
FIELD_LABELS = {
    "title": gettext_lazy("Titre"), "authors": gettext_lazy("Auteurs"),
    "publisher": gettext_lazy("Éditeur"), "subjects": gettext_lazy("Sujets"),
    "support": gettext_lazy("Support"), "call_number": gettext_lazy("Cote"),
}


def year_max(today: date | None = None) -> int:
    """Next year is still plausible: publishers print next year's date on autumn books."""
    return (today or clock.today()).year + 1


def isbn_message(error: isbn_rules.IsbnError) -> str:
    """The sentence for an ISBN refusal of the pure ``isbn`` module."""
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
        raise CatalogueRefused(isbn_message(error), "invalid_isbn", field="isbn") from error


def year_refusal(year: int) -> str | None:
    """The refusal of an implausible year, None if the year is plausible."""
    last = year_max()
    if YEAR_MIN <= year <= last:
        return None
    return _("Année invraisemblable : saisissez une année entre %(first)s et %(last)s.") % {
        "first": YEAR_MIN, "last": last}


def clean_barcode(text: str) -> str:
    """A barcode as the scanner reads it: letters, digits, and - _ / . inside, at most 40 characters."""
    barcode = text.strip()
    if not barcode:
        raise CatalogueRefused(_("Le code-barre est obligatoire."), "barcode_required", field="barcode")
    if len(barcode) > 40:
        raise CatalogueRefused(_("Un code-barre compte 40 caractères au plus."), "barcode_length",
                               field="barcode")
    if not BARCODE_PATTERN.fullmatch(barcode):
        raise CatalogueRefused(
            _("Code-barre incorrect : lettres, chiffres et les signes - _ / . seulement, sans espace."),
            "barcode_characters", field="barcode",
        )
    return barcode


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
        raise CatalogueRefused(_("Le titre est obligatoire."), "title_required", field="title")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            message = _("%(field)s : %(limit)s caractères au plus.") % {
                "field": FIELD_LABELS[name], "limit": limit}
            raise CatalogueRefused(message, "too_long", field=name)
    if year is not None and (refusal := year_refusal(year)):
        raise CatalogueRefused(refusal, "implausible_year", field="year")
    return RecordFields(year=year, isbn=clean_isbn(isbn), **values)
