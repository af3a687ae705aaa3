"""A small RTF 1.x writer: enough for a report that Word, LibreOffice and WordPad open alike.

BCDI hands the librarian the update report as an RTF file (seed C, "Rapport de la mise à jour"),
so Sésame does too. The output is pure ASCII: every character outside ASCII is written as
``\\uN?`` (signed 16-bit, with "?" for readers that do not know Unicode, as ``\\uc1`` declares),
and characters beyond the Basic Multilingual Plane as their two UTF-16 halves, which is what
the RTF 1.6+ specification asks and what keeps accented names intact whatever the code page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

_PAGE = r"\paperw11906\paperh16838\margl1134\margr1134\margt1134\margb1134"  # A4, 2 cm margins
_FONTS = r"{\fonttbl{\f0\fswiss\fcharset0 Arial;}}"
_COLOURS = r"{\colortbl;\red0\green0\blue0;\red96\green96\blue96;}"


def _unicode_escape(code: int) -> str:
    return f"\\u{code - 0x10000 if code > 0x7FFF else code}?"


class _EscapeTable(dict):
    """``str.translate`` table filled on first sight of each character: reports repeat few characters."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "\\{}":
            value = "\\" + char
        elif char == "\n":
            value = "\\line "
        elif char == "\t":
            value = "\\tab "
        elif 32 <= code < 127:
            value = char
        elif code < 32 or code == 127:
            value = ""
        elif code <= 0xFFFF:
            value = _unicode_escape(code)
        else:
            high, low = divmod(code - 0x10000, 0x400)
            value = _unicode_escape(0xD800 + high) + _unicode_escape(0xDC00 + low)
        self[code] = value
        return value


_ESCAPES = _EscapeTable()


def escape(text: str) -> str:
    """Text as RTF: control characters of RTF escaped, non-ASCII as ``\\uN?``, line breaks kept."""
    return text.translate(_ESCAPES)


class RtfDocument:
    """Paragraphs, headings and tables appended in order, then ``to_bytes``."""

    def __init__(self, *, title: str, author: str, created: datetime):
        info = (
            rf"{{\info{{\title {escape(title)}}}{{\author {escape(author)}}}"
            rf"{{\creatim\yr{created.year}\mo{created.month}\dy{created.day}"
            rf"\hr{created.hour}\min{created.minute}}}}}"
        )
        self._parts = [
            rf"{{\rtf1\ansi\ansicpg1252\deff0\uc1{_FONTS}{_COLOURS}{info}{_PAGE}\viewkind4\f0\fs20" + "\n"
        ]

    def heading(self, text: str, *, level: int = 1) -> None:
        size = {1: 32, 2: 26}.get(level, 22)
        self._parts.append(rf"\pard\sb240\sa120\keepn\b\fs{size} {escape(text)}\b0\fs20\par" + "\n")

    def paragraph(self, text: str, *, bold: bool = False, grey: bool = False) -> None:
        style = (r"\b" if bold else "") + (r"\cf2" if grey else "")
        reset = (r"\b0" if bold else "") + (r"\cf0" if grey else "")
        self._parts.append(rf"\pard\sa60{style} {escape(text)}{reset}\par" + "\n")

    def table(self, widths: Sequence[int], header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table whose widths are in twips (1/1440 inch); the header row repeats on each page."""
        edges, position = [], 0
        for width in widths:
            position += width
            edges.append(rf"\clbrdrb\brdrs\brdrw5\cellx{position}")
        for number, cells in enumerate([header, *rows]):
            head = number == 0
            row = [r"\trowd\trgaph70\trleft0" + (r"\trhdr" if head else "") + "".join(edges)]
            for cell in cells:
                text = escape(cell)
                row.append(rf"\pard\intbl{{\b {text}}}\cell" if head else rf"\pard\intbl {text}\cell")
            row.append(r"\row")
            self._parts.append("".join(row) + "\n")
        self._parts.append(r"\pard\sa120\par" + "\n")

    def to_bytes(self) -> bytes:
        return ("".join(self._parts) + "}").encode("ascii")
