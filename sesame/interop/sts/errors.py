"""Why an STS-web staff export is refused as a whole.

Same shape as the SIECLE errors (code, data, French message, ``str(exc) == message``) but its own
classes: each national format stands alone. Problems with one person are ``StsProblem`` values.
"""

from typing import Any


class StsError(Exception):
    """Base of every refusal of an STS file; ``str(exc)`` is the French message."""

    default_code = "sts_error"

    def __init__(self, message: str, *, code: str | None = None, data: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.data = dict(data or {})

    def __str__(self) -> str:
        return self.message


class StsUnsafeError(StsError):
    """The file could harm the reader (DTD, entities, excessive size): refused before use."""

    default_code = "unsafe"


class StsFormatError(StsError):
    """The file is not a readable STS export (not XML, wrong encoding, wrong root…)."""

    default_code = "format"
