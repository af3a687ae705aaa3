"""The catalogue's refusals: subclasses of the library's one error base."""

from sesame.library.common.errors import LibraryRefused


class CatalogueRefused(LibraryRefused):
    """A change to a record or a copy the catalogue's rules forbid; ``field`` names the form field
    at fault when there is one, so the page puts the message beside it. Nothing was changed."""


class MarcFileError(CatalogueRefused):
    """A whole MARC file refused (not ISO 2709, MARCXML, authorities, too large…): nothing imported."""

    default_code = "marc_file"
