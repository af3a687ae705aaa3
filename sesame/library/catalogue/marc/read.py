"""Reading MARC files (ISO 2709): cutting the file into records and telling UNIMARC from MARC21.

A file that is not ISO 2709 at all (a spreadsheet, MARCXML, a text file, a file of authority
records) is refused here with a ``MarcFileError``; a damaged record among good ones is kept as a
``RawRecord`` that says why it cannot be read, for the report. Each record is then decoded
(``decoding``) and its fields read into the catalogue's (``mapping``). Nothing here touches the
database: deciding what to import and storing it is the importer's work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sesame.library.catalogue.errors import MarcFileError

UNIMARC = "unimarc"
MARC21 = "marc21"
FORMAT_NAMES = {UNIMARC: "UNIMARC", MARC21: "MARC21"}
MAX_FILE_SIZE = 50 * 1024 * 1024  # a whole CDI catalogue is a few megabytes; this is ten times that
RECORD_TERMINATOR = b"\x1d"
FIELD_TERMINATOR = b"\x1e"
LEADER_LENGTH = 24

# Tags found in one format's bibliographic records and not in the other's (100 and 700 are in both).
_UNIMARC_TAGS = frozenset({"200", "210", "214", "010", "101", "215", "225", "330", "606", "607", "676",
                           "686", "701", "702", "801", "995"})
_MARC21_TAGS = frozenset({"245", "260", "264", "008", "020", "040", "082", "300", "490", "520", "650",
                          "651", "852", "949", "952"})


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
        raise MarcFileError(_("Le fichier est vide : aucune notice importée."), "empty")
    content = content.removeprefix(b"\xef\xbb\xbf")
    if content.lstrip()[:1] == b"<":
        raise MarcFileError(_("Ce fichier est du XML (MARCXML ?), pas un fichier ISO 2709 : exportez les "
                              "notices au format UNIMARC ou MARC21 « ISO 2709 ». Aucune notice importée."),
                            "xml")
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
                              "aucune notice importée."), "not_marc")
    # Leader position 6 says what kind of record: x, y, z are authorities (names, subjects) in
    # both formats, exported from the same menus as the catalogue and easily picked by mistake.
    authorities = sum(1 for record in readable if record.chunk[6:7] in (b"x", b"y", b"z"))
    if authorities * 2 > len(readable):
        raise MarcFileError(_("Ce fichier contient des notices d'autorité (auteurs, sujets), pas des notices "
                              "bibliographiques : aucune notice importée."), "authorities")
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
                          "(titre MARC21). Indiquez le format. Aucune notice importée."), "unknown_format")
