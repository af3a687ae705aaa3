"""Import of records and copies from UNIMARC and MARC21 files (ISO 2709), as library systems export them.

A CDI arriving from BCDI, PMB or a public library's network brings its catalogue as one binary
file of records: UNIMARC in France (BCDI, PMB, the BnF), MARC21 elsewhere. Each record carries the
bibliographic data and, in a local field, its copies: 995 in France ("Recommandation 995": $f the
barcode, $k the call number), 852, 949 or 952 (Koha) in MARC21 systems.

The import reads the whole file first and decides, then writes everything in one transaction:

- a file that is not ISO 2709 at all (a spreadsheet, MARCXML, a text file) is refused with a
  French message and nothing is written;
- each record is imported, recognised as already in the catalogue (same ISBN, or same title,
  authors, publisher and year; its new copies join the existing record, so importing a file
  twice adds nothing), or skipped with its reason: « Notice 12 : pas de titre (200$a) — ignorée. »;
- a field that cannot be kept is dropped and said so, and the record is still imported: an ISBN
  whose key is wrong (the book is real, the typing was not), an implausible year, a copy whose
  barcode another copy already has.

Encodings are decided record by record, because files assembled over years mix them: UTF-8 when
the bytes are UTF-8; otherwise MARC-8 for MARC21 (its standard encoding, decoded by pymarc) and
ISO-8859-1 for UNIMARC (what BCDI writes), with the Windows-1252 letters (’ œ …) a Windows export
slips in. UNIMARC's ISO 5426 is not decoded: its accents would come out as stray signs.
"""


from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sesame.core import clock
from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.catalogue.marc.checking import Candidate, parse_file, text_key
from sesame.library.catalogue.marc.mapping import ParsedCopy, ParsedRecord
from sesame.library.catalogue.marc.report import MERGED, WARNING, ImportReport
from sesame.library.catalogue.rules import BARCODE_PATTERN
from sesame.library.common.audit import event_record
from sesame.library.common.locking import one
from sesame.library.models import Copy, EventAction, Library, Record

__all__ = ["ImportReport", "marc_import", "parse_file"]

BATCH_SIZE = 500

# --- Recognising a record already known ---------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The record a file's record joins: one of the catalogue (``pk``), or one this import creates
    (``index`` among the new records, ``number`` the position in the file of the record that made it).

    ``title`` is what the report quotes when a barcode is already taken.
    """

    title: str
    pk: int | None = None
    index: int | None = None
    number: int | None = None

    def is_same_record(self, other: Target) -> bool:
        return self.pk == other.pk and self.index == other.index


class _Known:
    """The records of the catalogue and of the file so far, and how a new one finds its twin.

    A book is the same when its ISBN is; a record without ISBN (none, or one dropped for a wrong
    key) is the same as one with the same title, authors, publisher and year; a record with an
    ISBN is also the same as such a record typed without ISBN. Two different ISBNs are two
    editions, never merged.
    """

    def __init__(self) -> None:
        self.by_isbn: dict[str, Target] = {}
        self.by_text: dict[tuple, Target] = {}
        self.without_isbn: dict[tuple, Target] = {}

    def add(self, isbn: str, text_key: tuple, target: Target) -> None:
        if isbn:
            self.by_isbn.setdefault(isbn, target)
        else:
            self.without_isbn.setdefault(text_key, target)
        self.by_text.setdefault(text_key, target)

    def find(self, isbn: str, text_key: tuple) -> Target | None:
        if isbn:
            return self.by_isbn.get(isbn) or self.without_isbn.get(text_key)
        return self.by_text.get(text_key)


def _stored_isbn(isbn: str) -> str:
    try:
        return isbn_rules.normalize(isbn)
    except isbn_rules.IsbnError:
        return ""  # a record typed before the check existed: it is recognised by its text


# --- Storing ------------------------------------------------------------------------------------


def marc_import(*, library: Library, content: bytes, acting_user, fmt: str | None = None,
                file_name: str = "", dry_run: bool = False, now: datetime | None = None) -> ImportReport:
    """Import a UNIMARC or MARC21 file into the library's catalogue, in one transaction.

    ``fmt`` None detects the format (the report says which and why). ``MarcFileError`` refuses the
    whole file; otherwise the report lists every record skipped, merged or imported with a remark,
    and the journal records the import with its counts. ``dry_run`` does everything, then rolls
    back: the report says what the import would do, and nothing (no journal line) is kept.
    """
    candidates, report = parse_file(content, fmt=fmt, file_name=file_name)
    report.dry_run = dry_run
    with transaction.atomic():
        # Lock the library's row: two imports at once would both see a barcode as free.
        one(Library.objects.select_for_update().filter(pk=library.pk))
        _store(library, candidates, report)
        event_record(
            library=library, action=EventAction.MARC_IMPORT, acting_user=acting_user, now=now or clock.now(),
            detail=f"{file_name or 'fichier'} : {report.imported} notice(s), {report.copies} exemplaire(s)",
            data={"file": file_name, "format": report.format, "read": report.read,
                  "imported": report.imported, "merged": report.merged, "skipped": report.skipped,
                  "copies": report.copies},
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Plan:
    """What the import will write: the new records, the copies to add, the barcodes taken so far."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.known = _Known()
        for pk, title, authors, publisher, year, isbn in Record.objects.filter(library=library).values_list(
                "pk", "title", "authors", "publisher", "year", "isbn").order_by("pk"):
            self.known.add(_stored_isbn(isbn), text_key(title, authors, publisher, year),
                           Target(title=title, pk=pk))
        self.taken: dict[str, Target] = {
            barcode: Target(title=title, pk=record_id)
            for barcode, record_id, title in Copy.objects.filter(library=library).values_list(
                "barcode", "record_id", "record__title")
        }
        self.records: list[Record] = []
        self.copies: list[tuple[Target, ParsedCopy]] = []

    def new_record(self, candidate: Candidate) -> Target:
        target = Target(title=candidate.values["title"], index=len(self.records),
                        number=candidate.parsed.number)
        self.known.add(candidate.values["isbn"], candidate.text_key, target)
        self.records.append(Record(library=self.library, **candidate.values))
        return target

    def write(self) -> int:
        """Write the new records, then the copies (some of them on the new records); the copies added."""
        created = Record.objects.bulk_create(self.records, batch_size=BATCH_SIZE)
        copies = [Copy(library=self.library, barcode=copy.barcode, status=copy.status,
                       record_id=created[target.index].pk if target.pk is None else target.pk)
                  for target, copy in self.copies]
        Copy.objects.bulk_create(copies, batch_size=BATCH_SIZE)
        return len(copies)


def _store(library: Library, candidates: list[Candidate], report: ImportReport) -> None:
    plan = _Plan(library)
    for candidate in candidates:
        target = plan.known.find(candidate.values["isbn"], candidate.text_key)
        is_new = target is None
        if is_new:
            target = plan.new_record(candidate)
            report.imported += 1
            report.lines.extend(candidate.remarks)
        added = _place_copies(plan, candidate, target, report)
        if not is_new:
            _report_merged(candidate.parsed, target, added, report)
    report.copies = plan.write()


def _copy_problem(number: int, barcode: str) -> str | None:
    if len(barcode) > 40 or not BARCODE_PATTERN.fullmatch(barcode):
        return _("Notice %(number)s : exemplaire « %(barcode)s » non repris — code-barre incorrect (lettres, "
                 "chiffres et - _ / . seulement, 40 caractères au plus).") % {
            "number": number, "barcode": barcode}
    return None


def _place_copies(plan: _Plan, candidate: Candidate, target: Target, report: ImportReport) -> int:
    """Give the record's copies to ``target``, except those a barcode rule or another copy refuses."""
    parsed, added = candidate.parsed, 0
    for copy in parsed.copies:
        problem = _copy_problem(parsed.number, copy.barcode)
        holder = plan.taken.get(copy.barcode)
        if problem:
            report.add(parsed.number, WARNING, problem)
        elif holder is None:
            plan.taken[copy.barcode] = replace(target, title=candidate.values["title"])
            plan.copies.append((target, copy))
            added += 1
        elif not holder.is_same_record(target):  # the same record: the file was imported before
            report.add(parsed.number, WARNING, _taken_message(parsed.number, copy.barcode, holder))
    for where in parsed.copies_without_barcode:
        message = _("Notice %(number)s : exemplaire sans code-barre (%(field)s) non repris.") % {
            "number": parsed.number, "field": where}
        report.add(parsed.number, WARNING, message)
    return added


def _taken_message(number: int, barcode: str, holder: Target) -> str:
    if holder.pk is not None:
        return _("Notice %(number)s : exemplaire %(barcode)s non repris — le code-barre existe "
                 "déjà (« %(title)s »).") % {"number": number, "barcode": barcode, "title": holder.title}
    return _("Notice %(number)s : exemplaire %(barcode)s non repris — le code-barre figure "
             "déjà dans la notice %(other)s du fichier.") % {
        "number": number, "barcode": barcode, "other": holder.number}


def _report_merged(parsed: ParsedRecord, target: Target, added: int, report: ImportReport) -> None:
    """A record recognised as one already known: said once, with the copies it brought."""
    report.merged += 1
    if target.pk is not None:
        message = _("Notice %(number)s : déjà au catalogue (« %(title)s »)") % {
            "number": parsed.number, "title": target.title}
    else:
        message = _("Notice %(number)s : même livre que la notice %(other)s du fichier") % {
            "number": parsed.number, "other": target.number}
    if added:
        message += " — " + _("exemplaires ajoutés à cette notice : %(count)s.") % {"count": added}
        report.add(parsed.number, MERGED, message)
    else:
        report.add(parsed.number, MERGED, message + " — " + _("ignorée."))
