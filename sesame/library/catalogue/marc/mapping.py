"""From MARC fields to the catalogue's: a decoded record read into a ``ParsedRecord``.

UNIMARC (200 title, 210/214 publication, 700s authors, 600s subjects, 995 copies as the
"Recommandation 995" has them) and MARC21 (245, 260/264, 100/700, 650s, and the copies of 852,
949 or 952 as Koha writes them). Nothing here decides what to import: that is the importer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pymarc

from sesame.library.models import CopyStatus
from sesame.sync.normalize import fold

# Leader position 6 (type of record), the same letters in both formats but for electronic resources.
_SUPPORTS = {"c": "Partition", "d": "Partition", "e": "Carte", "f": "Carte", "g": "Vidéo",
             "i": "Enregistrement sonore", "j": "Enregistrement sonore", "k": "Image", "r": "Objet"}
YEARS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
ISBN_CANDIDATE = re.compile(r"[0-9Xx](?:[0-9Xx\- ]*[0-9Xx])?")


@dataclass
class ParsedCopy:
    barcode: str
    call_number: str = ""
    status: str = CopyStatus.AVAILABLE


@dataclass
class ParsedRecord:
    number: int
    title: str
    title_field: str  # "200$a" or "245$a", for the report
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    year_text: str = ""
    fallback_year: str = ""  # from the coded data (UNIMARC 100, MARC21 008) when the text has none
    isbns: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    support: str = ""
    call_number: str = ""
    copies: list[ParsedCopy] = field(default_factory=list)
    copies_without_barcode: list[str] = field(default_factory=list)  # "995$f" for each


def _values(record: pymarc.Record, tags: tuple[str, ...], code: str) -> list[str]:
    return [value for f in record.get_fields(*tags) for value in f.get_subfields(code) if value]


def _first(marc_field: pymarc.Field | None, *codes: str) -> str:
    if marc_field is None:
        return ""
    for code in codes:
        for value in marc_field.get_subfields(code):
            if value:
                return value
    return ""


def _strip_isbd(text: str, *, final_period: bool = False) -> str:
    """Without the ISBD punctuation MARC21 leaves at the end of subfields ("Le lion /", "Paris :").

    A final period goes too, except after an initial ("Rowling, J. K.") or in an ellipsis.
    """
    text = text.rstrip(" /:;=,")
    if final_period and text.endswith(".") and not text.endswith("..") and not re.search(r"\b\w\.$", text):
        text = text[:-1]
    return text.strip()


def _support(leader: str) -> str:
    kind, level = leader[6:7], leader[7:8]
    if kind == "a":
        return "Périodique" if level == "s" else "Livre"
    if kind in ("l", "m"):
        return "Ressource électronique"
    return _SUPPORTS.get(kind, "")


def join_unique(values: list[str]) -> list[str]:
    seen, result = set(), []
    for value in values:
        if value and fold(value) not in seen:
            seen.add(fold(value))
            result.append(value)
    return result


def parse_unimarc(number: int, record: pymarc.Record) -> ParsedRecord:
    title_field = record.get("200")
    title = _first(title_field, "a")
    if title and title_field is not None:
        for subtitle in title_field.get_subfields("e"):
            title += f" : {subtitle}"
        part = ", ".join(v for v in title_field.get_subfields("h", "i") if v)
        if part:
            title += f". {part}"
    authors = []
    for f in record.get_fields("700", "701", "710", "711"):
        name = _first(f, "a")
        first_name = _first(f, "b")
        authors.append(f"{name}, {first_name}" if name and first_name else name)
    if not any(authors) and title_field is not None:
        authors = [v for v in title_field.get_subfields("f", "g") if v]
    publication = record.get("210") or record.get("214")
    coded = record.get("100")
    subjects = []
    for f in record.get_fields("600", "601", "606", "607", "610"):
        name = _first(f, "a")
        first_name = _first(f, "b") if f.tag == "600" else ""
        subjects.append(f"{name}, {first_name}" if name and first_name else name)
    holdings = record.get_fields("995")
    copies = [ParsedCopy(_first(f, "f"), _first(f, "k")) for f in holdings if _first(f, "f")]
    call_numbers = [c.call_number for c in copies if c.call_number] or [
        *_values(record, ("686",), "a"), *_values(record, ("676",), "a")]
    return ParsedRecord(
        number=number, title=title, title_field="200$a", authors=join_unique(authors),
        publisher=_first(publication, "c"), year_text=_first(publication, "d"),
        fallback_year=(_first(coded, "a")[9:13] if coded is not None else ""),
        isbns=_values(record, ("010",), "a"), subjects=join_unique(subjects),
        support=_support(str(record.leader)), call_number=call_numbers[0] if call_numbers else "",
        copies=copies, copies_without_barcode=["995$f" for f in holdings if not _first(f, "f")],
    )


def _marc21_copies(record: pymarc.Record) -> tuple[list[ParsedCopy], list[str]]:
    copies, missing = [], []
    for f in record.get_fields("852", "949", "952"):
        if f.tag == "852":
            barcode, call_number = _first(f, "p"), " ".join(v for v in f.get_subfields("h", "i") if v)
            where = "852$p"
        elif f.tag == "949":
            barcode, call_number, where = _first(f, "i", "p"), _first(f, "a"), "949$i"
        else:  # Koha: $p barcode, $o call number, $1 lost, $7 not for loan (0 or empty: neither)
            barcode, call_number, where = _first(f, "p"), _first(f, "o"), "952$p"
        if not barcode:
            missing.append(where)
            continue
        status = CopyStatus.AVAILABLE
        if f.tag == "952" and _first(f, "1") not in ("", "0"):
            status = CopyStatus.LOST
        elif f.tag == "952" and _first(f, "7") not in ("", "0"):
            status = CopyStatus.EXCLUDED
        copies.append(ParsedCopy(barcode, call_number, status))
    return copies, missing


def parse_marc21(number: int, record: pymarc.Record) -> ParsedRecord:
    title_field = record.get("245")
    title = _strip_isbd(_first(title_field, "a"), final_period=True)
    if title and title_field is not None:
        parts = [_strip_isbd(v, final_period=True) for v in title_field.get_subfields("n", "p") if v]
        if parts:
            title += ". " + ", ".join(parts)
        subtitle = _strip_isbd(_first(title_field, "b"), final_period=True)
        if subtitle:
            title += f" : {subtitle}"
    authors = [_strip_isbd(_first(f, "a"), final_period=True)
               for f in record.get_fields("100", "110", "111", "700", "710", "711")]
    published = [f for f in record.get_fields("264") if f.indicator2 == "1"]
    publication = published[0] if published else record.get("260")
    coded = record.get("008")
    subjects = [_strip_isbd(v, final_period=True)
                for v in _values(record, ("600", "610", "650", "651", "653"), "a")]
    copies, missing = _marc21_copies(record)
    call_numbers = [c.call_number for c in copies if c.call_number]
    if not call_numbers:
        local = record.get("090") or record.get("092")
        if local is not None:
            call_numbers = [" ".join(v for v in local.get_subfields("a", "b") if v)]
        else:
            call_numbers = _values(record, ("082",), "a")
    return ParsedRecord(
        number=number, title=title, title_field="245$a", authors=join_unique(authors),
        publisher=_strip_isbd(_first(publication, "b")), year_text=_first(publication, "c"),
        fallback_year=(coded.data[7:11] if coded is not None and coded.data else ""),
        isbns=_values(record, ("020",), "a"), subjects=join_unique(subjects),
        support=_support(str(record.leader)), call_number=call_numbers[0] if call_numbers else "",
        copies=copies, copies_without_barcode=missing,
    )
