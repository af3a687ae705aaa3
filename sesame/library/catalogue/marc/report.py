"""The report of a MARC import: what was read, imported, recognised, skipped, and every remark.

The page shows it and offers it as a text file the librarian keeps; the command prints it. Each
remark names the record by its position in the file (« Notice 12 : … »), as the librarian finds
it in the old system's export.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sesame.library.catalogue.marc.read import FORMAT_NAMES

SKIPPED, MERGED, WARNING = "skipped", "merged", "warning"


@dataclass
class ReportLine:
    number: int | None  # the record's position in the file; None for the file as a whole
    kind: str  # SKIPPED, MERGED or WARNING
    message: str


@dataclass
class ImportReport:
    file_name: str
    format: str = ""
    format_note: str = ""
    dry_run: bool = False
    read: int = 0
    imported: int = 0
    merged: int = 0
    skipped: int = 0
    copies: int = 0
    encodings: Counter = field(default_factory=Counter)
    lines: list[ReportLine] = field(default_factory=list)

    def add(self, number: int | None, kind: str, message: str) -> None:
        self.lines.append(ReportLine(number, kind, message))

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES.get(self.format, "")

    def encoding_note(self) -> str:
        """The encodings met; records without any accent (ASCII) count only when alone."""
        found = Counter({name: count for name, count in self.encodings.items() if name != "ASCII"})
        found = found or self.encodings
        if len(found) == 1:
            return _("Encodage des caractères : %(encoding)s.") % {"encoding": next(iter(found))}
        detail = ", ".join(f"{name} : {count}" for name, count in found.most_common())
        return _("Encodages des caractères (notices) : %(detail)s.") % {"detail": detail}

    def summary(self) -> str:
        return _("Notices lues : %(read)s — importées : %(imported)s — déjà au catalogue : %(merged)s — "
                 "ignorées : %(skipped)s — exemplaires ajoutés : %(copies)s.") % {
            "read": self.read, "imported": self.imported, "merged": self.merged, "skipped": self.skipped,
            "copies": self.copies}

    def sorted_lines(self) -> list[ReportLine]:
        return sorted(self.lines, key=lambda line: (line.number or 0))

    def as_text(self) -> str:
        """The report as a plain text file the librarian keeps (UTF-8, one remark a line)."""
        head = [_("Import de notices — %(file)s") % {"file": self.file_name or "?"}, self.format_note]
        if self.encodings:
            head.append(self.encoding_note())
        if self.dry_run:
            head.append(_("Simulation : rien n'a été enregistré."))
        head.append(self.summary())
        return "\n".join([*head, "", *(line.message for line in self.sorted_lines())]) + "\n"
