"""STS-web, the national staff and timetable base: read its ``STS_EDT`` export for the ENT directory.

Pure: bytes in, frozen dataclasses out; no Django (import-linter contract). The ENT's
``ent_import_sts`` command maps each ``FONCTION`` to a profile and imports the people.
"""

from .errors import StsError, StsFormatError, StsUnsafeError
from .reader import read_sts_staff
from .records import StsFile, StsPerson, StsProblem

__all__ = [
    "StsError",
    "StsFile",
    "StsFormatError",
    "StsPerson",
    "StsProblem",
    "StsUnsafeError",
    "read_sts_staff",
]
