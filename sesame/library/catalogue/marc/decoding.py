"""Decoding MARC records: each record in its own encoding, its text made clean.

Files assembled over years mix encodings, so each record is decoded on its own: UTF-8 when the
bytes are UTF-8; otherwise MARC-8 for MARC21 (its standard encoding, decoded by pymarc) and
ISO-8859-1 for UNIMARC (what BCDI writes), with the Windows-1252 letters (’ œ …) a Windows
export slips in. UNIMARC's ISO 5426 is not decoded: its accents would come out as stray signs.
"""

from __future__ import annotations

import re
import warnings

import pymarc
from django.utils.translation import gettext as _

from sesame.library.catalogue.marc.read import LEADER_LENGTH, MARC21, UNIMARC, RawRecord
from sesame.library.common.text import collapse_spaces

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_C1_CHARACTERS = re.compile(r"[\x80-\x9f]")
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")


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
