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

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field

import pymarc
from django.db import transaction
from django.utils.translation import gettext as _

from sesame.sync.normalize import fold

from . import isbn as isbn_rules
from .catalogue import (
    BARCODE_PATTERN,
    FIELD_LABELS,
    MAX_LENGTHS,
    YEAR_MIN,
    collapse_spaces,
    isbn_message,
    year_max,
)
from .models import Copy, CopyStatus, Library, Record

UNIMARC = "unimarc"
MARC21 = "marc21"
FORMAT_NAMES = {UNIMARC: "UNIMARC", MARC21: "MARC21"}
MAX_FILE_SIZE = 50 * 1024 * 1024  # a whole CDI catalogue is a few megabytes; this is ten times that
RECORD_TERMINATOR = b"\x1d"
FIELD_TERMINATOR = b"\x1e"
LEADER_LENGTH = 24
BATCH_SIZE = 500

# Tags found in one format's bibliographic records and not in the other's (100 and 700 are in both).
_UNIMARC_TAGS = frozenset({"200", "210", "214", "010", "101", "215", "225", "330", "606", "607", "676",
                           "686", "701", "702", "801", "995"})
_MARC21_TAGS = frozenset({"245", "260", "264", "008", "020", "040", "082", "300", "490", "520", "650",
                          "651", "852", "949", "952"})

# Leader position 6 (type of record), the same letters in both formats but for electronic resources.
_SUPPORTS = {"c": "Partition", "d": "Partition", "e": "Carte", "f": "Carte", "g": "Vidéo",
             "i": "Enregistrement sonore", "j": "Enregistrement sonore", "k": "Image", "r": "Objet"}

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_C1_CHARACTERS = re.compile(r"[\x80-\x9f]")
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")
_YEARS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISBN_CANDIDATE = re.compile(r"[0-9Xx](?:[0-9Xx\- ]*[0-9Xx])?")


class MarcFileError(Exception):
    """The whole file is refused; ``message`` is in French. Nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Reading ISO 2709 ---------------------------------------------------------------------------


@dataclass
class RawRecord:
    """One record as cut from the file: its bytes ready for pymarc, or why it cannot be read."""

    number: int  # position in the file, from 1, as the report names it
    chunk: bytes | None
    tags: tuple[str, ...] = ()
    problem: str = ""
    repaired: bool = False


def _rebuild(leader: bytes, tags: tuple[str, ...], fields: list[bytes]) -> bytes:
    """The record with a directory recomputed from its fields as they are cut in the data."""
    directory, offset = b"", 0
    for tag, data in zip(tags, fields, strict=True):
        length = len(data) + 1
        directory += f"{tag}{length:04d}{offset:05d}".encode("ascii")
        offset += length
    base = LEADER_LENGTH + len(directory) + 1
    body = b"".join(data + FIELD_TERMINATOR for data in fields)
    total = base + len(body) + 1
    new_leader = f"{total:05d}".encode("ascii") + leader[5:12] + f"{base:05d}".encode("ascii") + leader[17:]
    return new_leader + directory + FIELD_TERMINATOR + body + RECORD_TERMINATOR


def _frame(number: int, piece: bytes) -> RawRecord:
    """Check the structure of one record (leader, directory, fields) without decoding its text.

    When the lengths of the directory do not add up but the data still cuts into as many fields as
    the directory names, the record is rebuilt from its field terminators: that is what a file
    converted or re-saved by a text editor looks like (the lengths counted bytes that changed).
    """
    data = piece + RECORD_TERMINATOR
    unreadable = RawRecord(number, None, problem=_("ce n'est pas une notice ISO 2709"))
    leader = data[:LEADER_LENGTH]
    if len(data) < LEADER_LENGTH + 2 or not leader.isascii() or not leader[:5].isdigit():
        return unreadable
    if not leader[12:17].isdigit():
        return RawRecord(number, None, problem=_("adresse des données incorrecte"))
    base = int(leader[12:17])
    directory = data[LEADER_LENGTH:base - 1]
    if (base <= LEADER_LENGTH or base > len(data) - 1 or data[base - 1:base] != FIELD_TERMINATOR
            or not directory or len(directory) % 12):
        return RawRecord(number, None, problem=_("répertoire incorrect"))
    entries = [directory[i:i + 12] for i in range(0, len(directory), 12)]
    if not all(entry.isascii() and entry[3:].isdigit() and entry[:3].isalnum() for entry in entries):
        return RawRecord(number, None, problem=_("répertoire incorrect"))
    tags = tuple(entry[:3].decode("ascii") for entry in entries)
    body = data[base:-1]
    ends = [int(entry[7:12]) + int(entry[3:7]) for entry in entries]
    consistent = int(leader[:5]) == len(data) and all(
        0 < end <= len(body) and body[end - 1:end] == FIELD_TERMINATOR for end in ends
    )
    if consistent:
        return RawRecord(number, data, tags)
    fields = body.split(FIELD_TERMINATOR)
    if fields and fields[-1] == b"":
        fields.pop()
    if len(fields) != len(tags):
        return RawRecord(number, None, problem=_("longueurs du répertoire incohérentes, notice tronquée"))
    return RawRecord(number, _rebuild(leader, tags, fields), tags, repaired=True)


def read_records(content: bytes) -> list[RawRecord]:
    """Cut the file into records; refuse it when it is not a file of MARC records at all."""
    if not content.strip():
        raise MarcFileError(_("Le fichier est vide : aucune notice importée."))
    content = content.removeprefix(b"\xef\xbb\xbf")
    if content.lstrip()[:1] == b"<":
        raise MarcFileError(_("Ce fichier est du XML (MARCXML ?), pas un fichier ISO 2709 : exportez les "
                              "notices au format UNIMARC ou MARC21 « ISO 2709 ». Aucune notice importée."))
    pieces = content.split(RECORD_TERMINATOR)
    if not pieces[-1].strip():
        pieces.pop()  # what follows the last terminator: nothing, or a line break
    records = []
    for piece in pieces:
        piece = piece.lstrip(b"\r\n\t \x00")  # some exports put a line break between records
        if piece:
            records.append(_frame(len(records) + 1, piece))
    readable = [record for record in records if record.chunk is not None]
    # A damaged record among good ones is reported; a file where most cannot be read is not MARC.
    if not readable or len(readable) < len(records) - len(readable):
        raise MarcFileError(_("Ce fichier n'est pas un fichier de notices UNIMARC ou MARC21 (ISO 2709) : "
                              "aucune notice importée."))
    # Leader position 6 says what kind of record: x, y, z are authorities (names, subjects) in
    # both formats, exported from the same menus as the catalogue and easily picked by mistake.
    authorities = sum(1 for record in readable if record.chunk[6:7] in (b"x", b"y", b"z"))
    if authorities * 2 > len(readable):
        raise MarcFileError(_("Ce fichier contient des notices d'autorité (auteurs, sujets), pas des notices "
                              "bibliographiques : aucune notice importée."))
    return records


def detect_format(records: list[RawRecord]) -> tuple[str, str]:
    """UNIMARC or MARC21 from the tags present, and the French sentence saying why.

    The title field decides (200 in UNIMARC, 245 in MARC21: every record has one); failing it,
    the fields only one of the formats uses.
    """
    tags = [set(record.tags) for record in records if record.chunk is not None]
    unimarc_titles = sum(1 for found in tags if "200" in found)
    marc21_titles = sum(1 for found in tags if "245" in found)
    if unimarc_titles != marc21_titles:
        if unimarc_titles > marc21_titles:
            return UNIMARC, _("Format reconnu : UNIMARC (titres en zone 200).")
        return MARC21, _("Format reconnu : MARC21 (titres en zone 245).")
    unimarc_fields = sum(len(found & _UNIMARC_TAGS) for found in tags)
    marc21_fields = sum(len(found & _MARC21_TAGS) for found in tags)
    if unimarc_fields > marc21_fields:
        return UNIMARC, _("Format reconnu : UNIMARC (zones propres à UNIMARC).")
    if marc21_fields > unimarc_fields:
        return MARC21, _("Format reconnu : MARC21 (zones propres à MARC21).")
    raise MarcFileError(_("Format non reconnu : les notices n'ont ni zone 200 (titre UNIMARC) ni zone 245 "
                          "(titre MARC21). Indiquez le format. Aucune notice importée."))


# --- Decoding -----------------------------------------------------------------------------------


def _single_byte_text(value: str) -> str:
    """A value read as ISO-8859-1, with what the C1 range means in files from France.

    UNIMARC marks the articles left out of sorting with control characters (0x88/0x89, or 0x98
    before and 0x9C after): dropped. The other bytes of that range are Windows-1252 letters that a
    Windows export writes (’ « œ …), and 0x9C alone is its "œ".
    """
    if not _C1_CHARACTERS.search(value):
        return value
    out, opened = [], False
    for char in value:
        code = ord(char)
        if code in (0x88, 0x89):
            continue
        if code == 0x98:
            opened = True
            continue
        if code == 0x9C and opened:
            opened = False
            continue
        if 0x80 <= code <= 0x9F:
            char = bytes([code]).decode("cp1252", errors="ignore")
        out.append(char)
    return "".join(out)


def _decode(raw: RawRecord, fmt: str) -> tuple[pymarc.Record | None, str, list[str]]:
    """The pymarc record, the encoding it was read in, and the remarks on it (French)."""
    chunk = raw.chunk
    assert chunk is not None
    body = chunk[LEADER_LENGTH:]
    remarks = []
    try:
        body.decode("utf-8")
        is_utf8 = True
    except UnicodeDecodeError:
        is_utf8 = False
    declared_utf8 = chunk[9:10] == b"a"
    has_high = _HIGH_BYTES.search(body) is not None
    if is_utf8 and (has_high or declared_utf8 or fmt == UNIMARC):
        encoding, options = "UTF-8", {"force_utf8": True}
    elif fmt == MARC21 and not declared_utf8:
        encoding, options = "MARC-8", {"file_encoding": "iso8859-1"}  # pymarc's name for MARC-8 input
    else:
        if declared_utf8:
            remarks.append(_("Notice %(number)s : annoncée en UTF-8 mais n'en est pas, lue en ISO-8859-1.")
                           % {"number": raw.number})
        encoding, options = "ISO-8859-1", {"file_encoding": "latin-1"}
        chunk = chunk[:9] + b" " + chunk[10:]
    if not has_high and b"\x1b" not in body:
        encoding = "ASCII"  # decoded as chosen above, but says nothing of the file's encoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            record = pymarc.Record(chunk, to_unicode=True, hide_utf8_warnings=True, **options)
    except Exception:  # pymarc raises many kinds (its own, UnicodeDecodeError, ValueError)
        return None, encoding, remarks
    single_byte = options.get("file_encoding") == "latin-1"
    for marc_field in record.fields:
        if marc_field.is_control_field():
            marc_field.data = _CONTROL_CHARACTERS.sub("", marc_field.data or "")
            continue
        marc_field.subfields = [
            pymarc.Subfield(code, _clean(_single_byte_text(value) if single_byte else value))
            for code, value in marc_field.subfields
        ]
    return record, encoding, remarks


def _clean(value: str) -> str:
    if not value.isprintable():  # fast path: most values have no control character at all
        value = _CONTROL_CHARACTERS.sub("", value)
    return collapse_spaces(value)


# --- From MARC fields to the catalogue's ---------------------------------------------------------


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


def _join_unique(values: list[str]) -> list[str]:
    seen, result = set(), []
    for value in values:
        if value and fold(value) not in seen:
            seen.add(fold(value))
            result.append(value)
    return result


def _parse_unimarc(number: int, record: pymarc.Record) -> ParsedRecord:
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
        number=number, title=title, title_field="200$a", authors=_join_unique(authors),
        publisher=_first(publication, "c"), year_text=_first(publication, "d"),
        fallback_year=(_first(coded, "a")[9:13] if coded is not None else ""),
        isbns=_values(record, ("010",), "a"), subjects=_join_unique(subjects),
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


def _parse_marc21(number: int, record: pymarc.Record) -> ParsedRecord:
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
        number=number, title=title, title_field="245$a", authors=_join_unique(authors),
        publisher=_strip_isbd(_first(publication, "b")), year_text=_first(publication, "c"),
        fallback_year=(coded.data[7:11] if coded is not None and coded.data else ""),
        isbns=_values(record, ("020",), "a"), subjects=_join_unique(subjects),
        support=_support(str(record.leader)), call_number=call_numbers[0] if call_numbers else "",
        copies=copies, copies_without_barcode=missing,
    )


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
    years = [int(y) for y in _YEARS.findall(parsed.year_text)]
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
        match = _ISBN_CANDIDATE.search(text)  # "9782070612758 (broché)": the number, not the binding
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
    call_numbers = _join_unique([copy.call_number for copy in parsed.copies])
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
    parse = _parse_unimarc if report.format == UNIMARC else _parse_marc21
    last_year = year_max()
    candidates = []
    for raw in raws:
        if raw.chunk is None:
            report.skipped += 1
            report.add(raw.number, SKIPPED, _("Notice %(number)s : illisible (%(reason)s) — ignorée.")
                       % {"number": raw.number, "reason": raw.problem})
            continue
        record, encoding, remarks = _decode(raw, report.format)
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
