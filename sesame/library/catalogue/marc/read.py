"""Reading MARC files (ISO 2709): framing records, decoding them, mapping fields to the catalogue's.

UNIMARC (what BCDI exports) and MARC21 are told apart by their fields; each record is decoded on
its own (UTF-8, MARC-8 for MARC21, ISO-8859-1 for UNIMARC with the Windows-1252 letters a Windows
export slips in) and read into a ``ParsedRecord``. Nothing here touches the database: deciding
what to import and storing it is ``marc_import``'s work.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import pymarc
from django.utils.translation import gettext as _

from sesame.library.common.text import collapse_spaces
from sesame.library.models import CopyStatus
from sesame.sync.normalize import fold

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
YEARS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
ISBN_CANDIDATE = re.compile(r"[0-9Xx](?:[0-9Xx\- ]*[0-9Xx])?")


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


def decode_record(raw: RawRecord, fmt: str) -> tuple[pymarc.Record | None, str, list[str]]:
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


