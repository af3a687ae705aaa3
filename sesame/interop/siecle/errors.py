"""Why a SIECLE file is refused as a whole.

House style (ARCHITECTURE, "errors carry a code, data and a translated message"): the message is
French because it is shown as is to the person who chose the file; ``code`` lets callers and tests
tell refusals apart without matching text. Problems with a single pupil are not exceptions: they
are ``SiecleProblem`` values in the file read, so the rest of the file is still usable.
"""

from sesame.interop.errors import FileRefused


class SiecleError(FileRefused):
    """Base of every refusal of a SIECLE file; ``str(exc)`` is the French message."""

    default_code = "siecle_error"


class SiecleUnsafeError(SiecleError):
    """The file could harm the reader (DTD, entities, excessive size): refused before use."""

    default_code = "unsafe"


class SiecleFormatError(SiecleError):
    """The file is not a readable SIECLE pupils export (not XML, wrong encoding, wrong root…)."""

    default_code = "format"
