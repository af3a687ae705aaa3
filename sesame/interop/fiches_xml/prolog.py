"""The start of a users file, before its root element: encoding, declaration, no DOCTYPE.

Kept apart from the streaming reader because it is a different job done on a few bytes: decide
the encoding people will be told about, and refuse before lxml sees it anything that could make
the parser fetch or expand something (a DOCTYPE, an ENTITY), or a file that is not XML at all.
"""

from __future__ import annotations

import codecs
import re

from . import fields
from .errors import EmptyFileError, EncodingError, NotXmlError, UnsafeXmlError, not_xml, too_large

#: Real prologs are one line; a megabyte of comments before the root is not a users file.
MAX_PROLOG_BYTES = 1024 * 1024

_XML_DECL_ENCODING = re.compile(r"""encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
#: Python codec name -> the name people know (and producers declare).
_DISPLAY_ENCODINGS = {
    "utf-8": "UTF-8", "cp1252": "windows-1252", "iso8859-1": "ISO-8859-1", "latin-1": "ISO-8859-1",
    "iso8859-15": "ISO-8859-15", "ascii": "US-ASCII", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}


def _display_encoding(declared: str) -> str:
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return declared
    return _DISPLAY_ENCODINGS.get(name, declared)


class Prolog:
    """Buffers the first bytes until the root element starts, refusing a DOCTYPE on the way.

    Only markup characters matter here, so ASCII-compatible encodings are decoded as Latin-1
    (never fails) and UTF-16 as UTF-16; the real decoding is lxml's job. It also notes the
    encoding, as declared or given by the byte-order mark, for the preview screen.
    """

    def __init__(self) -> None:
        self.head = bytearray()
        self.done = False
        self.encoding = "UTF-8"

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        self.head += chunk
        self.done = self._decide(final=final)
        if not self.done and len(self.head) > MAX_PROLOG_BYTES:
            raise too_large("prolog_too_large", size=MAX_PROLOG_BYTES)

    def _decide(self, *, final: bool) -> bool:
        raw = bytes(self.head)
        if len(raw) < 4 and not final:
            return False
        codec, skip, self.encoding = "latin-1", 0, "UTF-8"
        if raw.startswith(b"\xef\xbb\xbf"):
            skip = 3
        elif raw.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
            raise EncodingError(
                "Ce fichier est encodé en UTF-32, qui n'est pas accepté : enregistrez-le en UTF-8.",
                code="unsupported_encoding",
            )
        elif raw.startswith((b"\xfe\xff", b"\x00<")):
            codec, skip, self.encoding = "utf-16-be", 2 if raw[0] else 0, "UTF-16"
        elif raw.startswith((b"\xff\xfe", b"<\x00")):
            codec, skip, self.encoding = "utf-16-le", 2 if raw[0] == 0xFF else 0, "UTF-16"
        body = raw[skip:]
        if codec != "latin-1":
            body = body[: len(body) // 2 * 2]
        text = body.decode(codec, errors="replace")
        return self._scan(text, raw, final=final, ascii_like=codec == "latin-1")

    def _scan(self, text: str, raw: bytes, *, final: bool, ascii_like: bool) -> bool:
        pos, size = 0, len(text)
        while True:
            while pos < size and text[pos] in " \t\r\n":
                pos += 1
            if pos == size:
                if not final:
                    return False
                if not text.strip(" \t\r\n"):
                    raise EmptyFileError("Le fichier est vide.")
                raise NotXmlError(f"Ce fichier ne contient pas d'élément « {fields.ROOT} ».")
            if text.startswith(("<?", "<!--"), pos):
                opening, closing = ("<?", "?>") if text[pos + 1] == "?" else ("<!--", "-->")
                end = text.find(closing, pos + len(opening))
                if end < 0:
                    return final  # incomplete: wait for more, or let lxml report the truncation
                if pos == 0 and ascii_like and text.startswith("<?xml", pos):
                    match = _XML_DECL_ENCODING.search(text, pos, end)
                    if match and not raw.startswith(b"\xef\xbb\xbf"):
                        self.encoding = _display_encoding(match.group(1))
                pos = end + len(closing)
                continue
            if text.startswith("<!", pos):
                if size - pos < 9 and not final:
                    return False
                keyword = text[pos + 2 : pos + 9].upper()
                if keyword.startswith(("DOCTYPE", "ENTITY")):
                    raise UnsafeXmlError(line=text.count("\n", 0, pos) + 1)
                return True
            if text[pos] == "<":
                return final or size - pos > 1  # "<" alone may still become "<!DOCTYPE"
            raise not_xml(raw)
