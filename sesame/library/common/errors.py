"""The one base of every refusal in the library (house style, rule 4).

A refusal carries a ``code`` a program can test, a ``message`` already translated into the
language of the request (French unless English was chosen) that the page shows as it is, and
``data`` for whatever the caller may want to show next to it (a number, a barcode). Each
capability subclasses it once (``CirculationRefused``, ``UpdateRefused``, …) so that a page
catches its own refusals and lets the others through. Every refusal is raised before anything is
written, or inside the service's transaction so that what was written is rolled back: a refusal
never changes the base.

The argument order is the one ``sesame.interop.errors.FileRefused`` uses: message, then code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class LibraryRefused(Exception):
    """An operation the library's rules forbid, and why, for the librarian."""

    default_code = "refused"

    def __init__(self, message: str, code: str | None = None, *, data: Mapping[str, Any] | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.data = dict(data or {})
        self.field = field  # the form field the refusal is about, when there is one

    def __str__(self) -> str:
        return self.message
