"""Why an STS-web staff export is refused as a whole.

Same shape as the SIECLE errors (code, data, French message, ``str(exc) == message``) but its own
classes: each national format stands alone. Problems with one person are ``StsProblem`` values.
"""

from sesame.interop.errors import FileRefused


class StsError(FileRefused):
    """Base of every refusal of an STS file; ``str(exc)`` is the French message."""

    default_code = "sts_error"


class StsUnsafeError(StsError):
    """The file could harm the reader (DTD, entities, excessive size): refused before use."""

    default_code = "unsafe"


class StsFormatError(StsError):
    """The file is not a readable STS export (not XML, wrong encoding, wrong root…)."""

    default_code = "format"
