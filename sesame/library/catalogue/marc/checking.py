"""Reading and checking every record of a MARC file, before anything is stored.

Each record is decoded, read into the catalogue's fields and checked by the catalogue's rules:
a record without a title is skipped with its reason (« Notice 12 : pas de titre (200$a) —
ignorée. »); a field that cannot be kept is dropped and said so, and the record is still
imported: an ISBN whose key is wrong (the book is real, the typing was not), an implausible year,
a value longer than its column. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from sesame.library.catalogue import isbn as isbn_rules
from sesame.library.catalogue.errors import MarcFileError
from sesame.library.catalogue.marc.decoding import decode_record
from sesame.library.catalogue.marc.mapping import (
    ISBN_CANDIDATE,
    YEARS,
    ParsedRecord,
    join_unique,
    parse_marc21,
    parse_unimarc,
)
from sesame.library.catalogue.marc.read import (
    FORMAT_NAMES,
    MAX_FILE_SIZE,
    UNIMARC,
    RawRecord,
    detect_format,
    read_records,
)
from sesame.library.catalogue.marc.report import SKIPPED, WARNING, ImportReport, ReportLine
from sesame.library.catalogue.rules import FIELD_LABELS, MAX_LENGTHS, YEAR_MIN, isbn_message, year_max
from sesame.sync.normalize import fold


@dataclass
class Candidate:
    """A record ready to store: the model's values, and what recognises it (ISBN, text)."""

    parsed: ParsedRecord
    values: dict
    text_key: tuple
    remarks: list[ReportLine]  # reported only if the record is stored as a new one


def text_key(title: str, authors: str, publisher: str, year: int | None) -> tuple:
    """All a record says of itself, as a reader compares it (case, accents, punctuation ignored)."""
    return (fold(title), fold(authors), fold(publisher), year)


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


def _candidate(parsed: ParsedRecord, last_year: int) -> Candidate:
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
    key = text_key(values["title"], values["authors"], values["publisher"], values["year"])
    return Candidate(parsed, values, key, remarks.lines)


def parse_file(content: bytes, *, fmt: str | None = None, file_name: str = "",
               today: date | None = None) -> tuple[list[Candidate], ImportReport]:
    """Read and check every record, without touching the database."""
    if len(content) > MAX_FILE_SIZE:
        raise MarcFileError(_("Fichier trop volumineux (%(size)s Mo au plus) : aucune notice importée.")
                            % {"size": MAX_FILE_SIZE // (1024 * 1024)}, "too_large")
    raws = read_records(content)
    report = ImportReport(file_name=file_name, read=len(raws))
    if fmt:
        if fmt not in FORMAT_NAMES:
            raise MarcFileError(_("Format inconnu : UNIMARC ou MARC21."), "unknown_format")
        report.format = fmt
        report.format_note = _("Format indiqué : %(format)s.") % {"format": FORMAT_NAMES[fmt]}
    else:
        report.format, report.format_note = detect_format(raws)
    last_year = year_max(today)
    candidates = []
    for raw in raws:
        parsed = _parsed(raw, report)
        if parsed is not None:
            candidates.append(_candidate(parsed, last_year))
    return candidates, report


def _parsed(raw: RawRecord, report: ImportReport) -> ParsedRecord | None:
    """One record decoded and read, its remarks in the report; None (and why) when it is skipped."""
    if raw.chunk is None:
        report.skipped += 1
        report.add(raw.number, SKIPPED, _("Notice %(number)s : illisible (%(reason)s) — ignorée.")
                   % {"number": raw.number, "reason": raw.problem})
        return None
    record, encoding, remarks = decode_record(raw, report.format)
    if record is None:
        report.skipped += 1
        report.add(raw.number, SKIPPED,
                   _("Notice %(number)s : illisible (caractères ou zones incorrects) — ignorée.")
                   % {"number": raw.number})
        return None
    report.encodings[encoding] += 1
    for remark in remarks:
        report.add(raw.number, WARNING, remark)
    if raw.repaired:
        report.add(raw.number, WARNING,
                   _("Notice %(number)s : longueurs du répertoire incorrectes (fichier modifié par un "
                     "éditeur de texte ?), notice relue zone par zone.") % {"number": raw.number})
    parsed = (parse_unimarc if report.format == UNIMARC else parse_marc21)(raw.number, record)
    if not parsed.title:
        report.skipped += 1
        report.add(raw.number, SKIPPED, _("Notice %(number)s : pas de titre (%(field)s) — ignorée.")
                   % {"number": raw.number, "field": parsed.title_field})
        return None
    return parsed

