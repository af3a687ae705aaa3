"""The users file "au format BCDI" (root FICHES_XML), read and written in pure Python.

ENTs (and PRONOTE) export their users in this format for the school library (BCDI, e-sidoc), and
Sésame's ENT writes it for the library in turn. The package is pure: bytes in, dataclasses out, no
Django, no network, no file system beyond the schema file shipped next to it, so that the reader
can be tested against hostile input on its own. The element names live in fields.py, the schema of
the output in fiches_xml.xsd, and the reasons to refuse a whole file in errors.py.
"""

from __future__ import annotations

from pathlib import Path

from .errors import (
    EmptyFileError,
    EncodingError,
    FichesXmlError,
    FileTooLargeError,
    NotXmlError,
    TooDeepError,
    UnsafeXmlError,
    WrongFormatError,
)
from .reader import iter_fiches, read_fiches
from .records import (
    DEFAULT_LIMITS,
    Limits,
    ReadResult,
    RecordProblem,
    Status,
    UserRecord,
    normalize_status,
)
from .writer import write_fiches, write_fiches_to

#: The schema the writer's output conforms to (see the comment at its top for its origin).
XSD_PATH: Path = Path(__file__).with_name("fiches_xml.xsd")

__all__ = [
    "DEFAULT_LIMITS",
    "XSD_PATH",
    "EmptyFileError",
    "EncodingError",
    "FichesXmlError",
    "FileTooLargeError",
    "Limits",
    "NotXmlError",
    "ReadResult",
    "RecordProblem",
    "Status",
    "TooDeepError",
    "UnsafeXmlError",
    "UserRecord",
    "WrongFormatError",
    "iter_fiches",
    "normalize_status",
    "read_fiches",
    "write_fiches",
    "write_fiches_to",
]
