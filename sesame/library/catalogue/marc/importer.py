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

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.catalogue.marc.read import (
    BATCH_SIZE,
    FORMAT_NAMES,
    ISBN_CANDIDATE,
    MAX_FILE_SIZE,
    UNIMARC,
    YEARS,
    MarcFileError,
    ParsedCopy,
    ParsedRecord,
    decode_record,
    detect_format,
    join_unique,
    parse_marc21,
    parse_unimarc,
    read_records,
)
from sesame.library.catalogue.services import (
    BARCODE_PATTERN,
    FIELD_LABELS,
    MAX_LENGTHS,
    YEAR_MIN,
    isbn_message,
    year_max,
)
from sesame.library.models import Copy, Library, Record
from sesame.sync.normalize import fold

# --- The report ---------------------------------------------------------------------------------

SKIPPED, MERGED, WARNING = "skipped", "merged", "warning"


@dataclass
class ReportLine:
    number: int | None  # the record's position in the file; None for the file as a whole
    kind: str  # SKIPPED, MERGED or WARNING
    message: str


@dataclass
class ImportReport:
    file_name: str
    format: str = ""
    format_note: str = ""
    dry_run: bool = False
    read: int = 0
    imported: int = 0
    merged: int = 0
    skipped: int = 0
    copies: int = 0
    encodings: Counter = field(default_factory=Counter)
    lines: list[ReportLine] = field(default_factory=list)

    def add(self, number: int | None, kind: str, message: str) -> None:
        self.lines.append(ReportLine(number, kind, message))

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES.get(self.format, "")

    def encoding_note(self) -> str:
        """The encodings met; records without any accent (ASCII) count only when alone."""
        found = Counter({name: count for name, count in self.encodings.items() if name != "ASCII"})
        found = found or self.encodings
        if len(found) == 1:
            return _("Encodage des caractères : %(encoding)s.") % {"encoding": next(iter(found))}
        detail = ", ".join(f"{name} : {count}" for name, count in found.most_common())
        return _("Encodages des caractères (notices) : %(detail)s.") % {"detail": detail}

    def summary(self) -> str:
        return _("Notices lues : %(read)s — importées : %(imported)s — déjà au catalogue : %(merged)s — "
                 "ignorées : %(skipped)s — exemplaires ajoutés : %(copies)s.") % {
            "read": self.read, "imported": self.imported, "merged": self.merged, "skipped": self.skipped,
            "copies": self.copies}

    def sorted_lines(self) -> list[ReportLine]:
        return sorted(self.lines, key=lambda line: (line.number or 0))

    def as_text(self) -> str:
        """The report as a plain text file the librarian keeps (UTF-8, one remark a line)."""
        head = [_("Import de notices — %(file)s") % {"file": self.file_name or "?"}, self.format_note]
        if self.encodings:
            head.append(self.encoding_note())
        if self.dry_run:
            head.append(_("Simulation : rien n'a été enregistré."))
        head.append(self.summary())
        return "\n".join([*head, "", *(line.message for line in self.sorted_lines())]) + "\n"


# --- Checking and storing -----------------------------------------------------------------------


@dataclass
class _Candidate:
    """A record ready to store: the model's values, and what recognises it (ISBN, text)."""

    parsed: ParsedRecord
    values: dict
    text_key: tuple
    remarks: list[ReportLine]  # reported only if the record is stored as a new one


def _text_key(title: str, authors: str, publisher: str, year: int | None) -> tuple:
    """All a record says of itself, as a reader compares it (case, accents, punctuation ignored)."""
    return (fold(title), fold(authors), fold(publisher), year)


class _Known:
    """The records of the catalogue and of the file so far, and how a new one finds its twin.

    A book is the same when its ISBN is; a record without ISBN (none, or one dropped for a wrong
    key) is the same as one with the same title, authors, publisher and year; a record with an
    ISBN is also the same as such a record typed without ISBN. Two different ISBNs are two
    editions, never merged.
    """

    def __init__(self) -> None:
        self.by_isbn: dict[str, tuple] = {}
        self.by_text: dict[tuple, tuple] = {}
        self.without_isbn: dict[tuple, tuple] = {}

    def add(self, isbn: str, text_key: tuple, target: tuple) -> None:
        if isbn:
            self.by_isbn.setdefault(isbn, target)
        else:
            self.without_isbn.setdefault(text_key, target)
        self.by_text.setdefault(text_key, target)

    def find(self, isbn: str, text_key: tuple) -> tuple | None:
        if isbn:
            return self.by_isbn.get(isbn) or self.without_isbn.get(text_key)
        return self.by_text.get(text_key)


def _stored_isbn(isbn: str) -> str:
    try:
        return isbn_rules.normalize(isbn)
    except isbn_rules.IsbnError:
        return ""  # a record typed before the check existed: it is recognised by its text


def _year(parsed: ParsedRecord, report: ImportReport, last_year: int) -> int | None:
    years = [int(y) for y in YEARS.findall(parsed.year_text)]
    plausible = [y for y in years if YEAR_MIN <= y <= last_year]
    if plausible:
        return plausible[0]
    if years:
        report.add(parsed.number, WARNING,
                   _("Notice %(number)s : année « %(year)s » invraisemblable, non reprise.")
                   % {"number": parsed.number, "year": parsed.year_text})
        return None
    if parsed.fallback_year.isdigit() and YEAR_MIN <= int(parsed.fallback_year) <= last_year:
        return int(parsed.fallback_year)
    return None


def _isbn(parsed: ParsedRecord, report: ImportReport) -> str:
    """The first valid ISBN of the record; an invalid one is reported and the record kept without."""
    first_error = None
    for text in parsed.isbns:
        match = ISBN_CANDIDATE.search(text)  # "9782070612758 (broché)": the number, not the binding
        candidate = match.group(0) if match else text
        try:
            return isbn_rules.normalize(candidate)
        except isbn_rules.IsbnError as error:
            first_error = first_error or (candidate, error)
    if first_error:
        candidate, error = first_error
        message = _("Notice %(number)s : ISBN « %(isbn)s » non repris — %(reason)s La notice est importée "
                    "sans ISBN.") % {
            "number": parsed.number, "isbn": candidate, "reason": isbn_message(error)}
        report.add(parsed.number, WARNING, message)
    return ""


def _fit(parsed: ParsedRecord, name: str, value: str, report: ImportReport) -> str:
    limit = MAX_LENGTHS[name]
    if len(value) <= limit:
        return value
    message = _("Notice %(number)s : champ « %(field)s » coupé à %(limit)s caractères.") % {
        "number": parsed.number, "field": FIELD_LABELS[name], "limit": limit}
    report.add(parsed.number, WARNING, message)
    return value[:limit].rstrip()


def _candidate(parsed: ParsedRecord, last_year: int) -> _Candidate:
    remarks = ImportReport(file_name="")
    values = {
        "title": _fit(parsed, "title", parsed.title, remarks),
        "authors": _fit(parsed, "authors", " ; ".join(parsed.authors), remarks),
        "publisher": _fit(parsed, "publisher", parsed.publisher, remarks),
        "year": _year(parsed, remarks, last_year),
        "isbn": _isbn(parsed, remarks),
        "subjects": _fit(parsed, "subjects", " ; ".join(parsed.subjects), remarks),
        "support": parsed.support,
        "call_number": _fit(parsed, "call_number", parsed.call_number, remarks),
    }
    call_numbers = join_unique([copy.call_number for copy in parsed.copies])
    if len(call_numbers) > 1:
        message = _("Notice %(number)s : cotes différentes selon les exemplaires (%(list)s) — la première "
                    "est gardée pour la notice.") % {"number": parsed.number, "list": ", ".join(call_numbers)}
        remarks.add(parsed.number, WARNING, message)
    key = _text_key(values["title"], values["authors"], values["publisher"], values["year"])
    return _Candidate(parsed, values, key, remarks.lines)


def parse_file(content: bytes, *, fmt: str | None = None, file_name: str = "") -> tuple[
        list[_Candidate], ImportReport]:
    """Read and check every record, without touching the database."""
    if len(content) > MAX_FILE_SIZE:
        raise MarcFileError(_("Fichier trop volumineux (%(size)s Mo au plus) : aucune notice importée.")
                            % {"size": MAX_FILE_SIZE // (1024 * 1024)})
    raws = read_records(content)
    report = ImportReport(file_name=file_name, read=len(raws))
    if fmt:
        if fmt not in FORMAT_NAMES:
            raise MarcFileError(_("Format inconnu : UNIMARC ou MARC21."))
        report.format = fmt
        report.format_note = _("Format indiqué : %(format)s.") % {"format": FORMAT_NAMES[fmt]}
    else:
        report.format, report.format_note = detect_format(raws)
    parse = parse_unimarc if report.format == UNIMARC else parse_marc21
    last_year = year_max()
    candidates = []
    for raw in raws:
        if raw.chunk is None:
            report.skipped += 1
            report.add(raw.number, SKIPPED, _("Notice %(number)s : illisible (%(reason)s) — ignorée.")
                       % {"number": raw.number, "reason": raw.problem})
            continue
        record, encoding, remarks = decode_record(raw, report.format)
        if record is None:
            report.skipped += 1
            report.add(raw.number, SKIPPED,
                       _("Notice %(number)s : illisible (caractères ou zones incorrects) — ignorée.")
                       % {"number": raw.number})
            continue
        report.encodings[encoding] += 1
        for remark in remarks:
            report.add(raw.number, WARNING, remark)
        if raw.repaired:
            report.add(raw.number, WARNING,
                       _("Notice %(number)s : longueurs du répertoire incorrectes (fichier modifié par un "
                         "éditeur de texte ?), notice relue zone par zone.") % {"number": raw.number})
        parsed = parse(raw.number, record)
        if not parsed.title:
            report.skipped += 1
            report.add(raw.number, SKIPPED, _("Notice %(number)s : pas de titre (%(field)s) — ignorée.")
                       % {"number": raw.number, "field": parsed.title_field})
            continue
        candidates.append(_candidate(parsed, last_year))
    return candidates, report


def _copy_problem(number: int, barcode: str) -> str | None:
    if len(barcode) > 40 or not BARCODE_PATTERN.fullmatch(barcode):
        return _("Notice %(number)s : exemplaire « %(barcode)s » non repris — code-barre incorrect (lettres, "
                 "chiffres et - _ / . seulement, 40 caractères au plus).") % {
            "number": number, "barcode": barcode}
    return None


def marc_import(*, library: Library, content: bytes, fmt: str | None = None, file_name: str = "",
                dry_run: bool = False) -> ImportReport:
    """Import a UNIMARC or MARC21 file into the library's catalogue, in one transaction.

    ``fmt`` None detects the format (the report says which and why). ``MarcFileError`` refuses the
    whole file; otherwise the report lists every record skipped, merged or imported with a remark.
    ``dry_run`` does everything, then rolls back: the report says what the import would do.
    """
    candidates, report = parse_file(content, fmt=fmt, file_name=file_name)
    report.dry_run = dry_run
    with transaction.atomic():
        # Lock the library's row: two imports at once would both see a barcode as free.
        Library.objects.select_for_update().filter(pk=library.pk).first()
        _store(library, candidates, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _store(library: Library, candidates: list[_Candidate], report: ImportReport) -> None:
    known = _Known()  # targets: ("db", pk, title) or ("file", index of the new record, title)
    for pk, title, authors, publisher, year, isbn in Record.objects.filter(library=library).values_list(
            "pk", "title", "authors", "publisher", "year", "isbn").order_by("pk"):
        known.add(_stored_isbn(isbn), _text_key(title, authors, publisher, year), ("db", pk, title))
    taken: dict[str, tuple[str, int, str]] = {
        barcode: ("db", record_id, title)
        for barcode, record_id, title in Copy.objects.filter(library=library).values_list(
            "barcode", "record_id", "record__title")
    }
    new_records: list[Record] = []
    new_copies: list[tuple[tuple[str, int], ParsedCopy]] = []  # (("db", pk) or ("file", index), copy)
    numbers: list[int] = []  # the file position of each new record
    for candidate in candidates:
        parsed = candidate.parsed
        target = known.find(candidate.values["isbn"], candidate.text_key)
        if target is None:
            target = ("file", len(new_records), candidate.values["title"])
            known.add(candidate.values["isbn"], candidate.text_key, target)
            new_records.append(Record(library=library, **candidate.values))
            numbers.append(parsed.number)
            report.imported += 1
            report.lines.extend(candidate.remarks)
        added = 0
        for copy in parsed.copies:
            problem = _copy_problem(parsed.number, copy.barcode)
            holder = taken.get(copy.barcode)
            if problem:
                report.add(parsed.number, WARNING, problem)
            elif holder is None:
                taken[copy.barcode] = (target[0], target[1], candidate.values["title"])
                new_copies.append(((target[0], target[1]), copy))
                added += 1
            elif holder[:2] == target[:2]:
                continue  # this very copy is already there: the file was imported before
            elif holder[0] == "db":
                message = _("Notice %(number)s : exemplaire %(barcode)s non repris — le code-barre existe "
                            "déjà (« %(title)s »).") % {
                    "number": parsed.number, "barcode": copy.barcode, "title": holder[2]}
                report.add(parsed.number, WARNING, message)
            else:
                message = _("Notice %(number)s : exemplaire %(barcode)s non repris — le code-barre figure "
                            "déjà dans la notice %(other)s du fichier.") % {
                    "number": parsed.number, "barcode": copy.barcode, "other": numbers[holder[1]]}
                report.add(parsed.number, WARNING, message)
        for where in parsed.copies_without_barcode:
            message = _("Notice %(number)s : exemplaire sans code-barre (%(field)s) non repris.") % {
                "number": parsed.number, "field": where}
            report.add(parsed.number, WARNING, message)
        if target[0] == "file" and numbers[target[1]] == parsed.number:
            continue  # a new record
        report.merged += 1
        if target[0] == "db":
            message = _("Notice %(number)s : déjà au catalogue (« %(title)s »)") % {
                "number": parsed.number, "title": target[2]}
        else:
            message = _("Notice %(number)s : même livre que la notice %(other)s du fichier") % {
                "number": parsed.number, "other": numbers[target[1]]}
        if added:
            message += " — " + _("exemplaires ajoutés à cette notice : %(count)s.") % {"count": added}
            report.add(parsed.number, MERGED, message)
        else:
            report.add(parsed.number, MERGED, message + " — " + _("ignorée."))
    created = Record.objects.bulk_create(new_records, batch_size=BATCH_SIZE)
    copies = []
    for (origin, ident), copy in new_copies:
        record_id = created[ident].pk if origin == "file" else ident
        copies.append(Copy(library=library, record_id=record_id, barcode=copy.barcode, status=copy.status))
    Copy.objects.bulk_create(copies, batch_size=BATCH_SIZE)
    report.copies = len(copies)
