"""SIECLE, the national pupils database: read its ``BEE_ELEVES`` export to feed the ENT directory.

Pure: bytes in, frozen dataclasses out; no Django (import-linter contract). The ENT's
``ent_import_siecle`` command turns the result into directory entries.
"""

from .errors import SiecleError, SiecleFormatError, SiecleUnsafeError
from .reader import read_siecle_pupils
from .records import SiecleProblem, SieclePupil, SieclePupilsFile

__all__ = [
    "SiecleError",
    "SiecleFormatError",
    "SiecleProblem",
    "SieclePupil",
    "SieclePupilsFile",
    "SiecleUnsafeError",
    "read_siecle_pupils",
]
