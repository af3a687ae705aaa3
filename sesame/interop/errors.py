"""The shape every refusal of an outside file takes, whatever its format.

House style (ARCHITECTURE, "errors carry a code, data and a translated message"): the message is
French because it is shown as is to the person who chose the file; ``code`` lets callers and
tests tell refusals apart without matching text; ``data`` holds the figures the message quotes.
"""

from typing import Any


class FileRefused(Exception):
    """Base of a format's refusals; ``str(exc)`` is the French message."""

    default_code = "refused"

    def __init__(self, message: str, *, code: str | None = None, data: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.data = dict(data or {})

    def __str__(self) -> str:
        return self.message
