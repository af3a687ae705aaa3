"""Reasons to refuse a whole file.

A problem with one person is a `RecordProblem`, not an exception: the rest of the school is still
read. An exception means the file as a whole cannot be trusted, so nothing from it may be applied
(a truncated or foreign file must never empty a library). Every message is French, written for a
school librarian, and says what to do when there is something to do.

- `FichesXmlError`: base class; `code`, `message`, `line` (None when unknown); `str(exc) == exc.message`.
- `NotXmlError` (codes `not_xml`, `truncated`): the bytes are not XML at all (an image, a CSV), or
  the XML is malformed or truncated; the message gives the line when the parser knows it.
- `WrongFormatError` (`wrong_format`): well-formed XML, but the root element is not FICHES_XML (for
  instance a SIECLE export, root BEE_ELEVES).
- `UnsafeXmlError` (`unsafe_xml`): the file has a DOCTYPE/DTD, an entity declaration, an entity
  reference or a reference to an external resource. These are the vehicles of "billion laughs" and
  XXE attacks and no producer of this format uses them, so the file is refused outright rather
  than sanitised.
- `FileTooLargeError`: over a bound that keeps memory and time in check: `file_too_large` (bytes,
  `Limits.max_bytes`), `too_many_records` (`Limits.max_records`), `prolog_too_large`,
  `token_too_large` (one tag or text of more than 1 MB), `record_too_large` (a person with more
  than 100 elements), `text_too_large` (libxml2's own limit on a text).
- `TooDeepError` (`too_deep`): elements nested deeper than the format (FICHES_XML / EMPRUNTEURS /
  field, `Limits.max_depth`).
- `EmptyFileError` (`empty_file`, `no_record`): nothing in the file (0 bytes, only blanks), or a
  FICHES_XML without any person. Refusing the latter protects against an export that failed
  upstream and would otherwise look like "everybody left".
- `EncodingError` (`encoding`, `unsupported_encoding`): bytes that do not decode in the declared
  encoding (typically windows-1252 text in a file declared UTF-8, or undeclared), or an encoding
  the parser does not know (UTF-32 included).
"""

from __future__ import annotations

from lxml import etree

from . import fields

UNSAFE_MESSAGE = (
    "Ce fichier contient une DTD (DOCTYPE) ou des entités XML, refusées par sécurité : elles "
    "permettent de lire des fichiers du serveur ou de saturer sa mémoire. Aucun export d'ENT n'en "
    "contient ; demandez un nouvel export du fichier d'utilisateurs."
)
_EXPECTED = f"Le fichier attendu est l'export des utilisateurs au format BCDI (« {fields.ROOT} »)."
_SIGNATURES = (
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"%PDF", "un document PDF"),
    (b"PK\x03\x04", "une archive ZIP (un classeur Excel ou LibreOffice, par exemple)"),
    (b"\xd0\xcf\x11\xe0", "un ancien document Microsoft Office (.xls, .doc)"),
)
_ERR = etree.ErrorTypes
_UNKNOWN_ENCODING_ERRORS = {_ERR.ERR_UNSUPPORTED_ENCODING, _ERR.ERR_UNKNOWN_ENCODING, _ERR.ERR_ENCODING_NAME}
_ENCODING_ERRORS = {_ERR.ERR_INVALID_ENCODING, _ERR.ERR_MISSING_ENCODING}
_ENTITY_ERRORS = {
    _ERR.ERR_UNDECLARED_ENTITY, _ERR.ERR_ENTITY_LOOP, _ERR.ERR_ENTITY_IS_EXTERNAL,
    _ERR.ERR_ENTITY_IS_PARAMETER, _ERR.ERR_UNPARSED_ENTITY, _ERR.ERR_ENTITY_PROCESSING,
    _ERR.ERR_ENTITYREF_IN_PROLOG, _ERR.ERR_ENTITYREF_IN_EPILOG, _ERR.ERR_ENTITYREF_IN_DTD,
    _ERR.ERR_EXT_ENTITY_STANDALONE,
}
_TRUNCATION_ERRORS = {_ERR.ERR_TAG_NOT_FINISHED, _ERR.ERR_DOCUMENT_END, _ERR.ERR_DOCUMENT_EMPTY}


class FichesXmlError(Exception):
    """Base class: the whole file is refused."""

    default_code = "fiches_xml_error"

    def __init__(self, message: str, *, line: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code or self.default_code

    def __str__(self) -> str:
        return self.message


class NotXmlError(FichesXmlError):
    """Not XML, malformed XML or a truncated file."""

    default_code = "not_xml"


class WrongFormatError(FichesXmlError):
    """XML whose root element is not FICHES_XML."""

    default_code = "wrong_format"

    def __init__(self, root: str, *, line: int | None = None) -> None:
        super().__init__(
            "Ce fichier n'est pas un fichier d'utilisateurs au format BCDI : "
            f"l'élément racine est « {root} », « {fields.ROOT} » était attendu.",
            line=line,
        )
        self.root = root


class UnsafeXmlError(FichesXmlError):
    """DTD, entity or external reference: refused for safety."""

    default_code = "unsafe_xml"

    def __init__(self, message: str = UNSAFE_MESSAGE, *, line: int | None = None) -> None:
        super().__init__(message, line=line)


class FileTooLargeError(FichesXmlError):
    """Over a size limit (bytes, people or length of a text)."""

    default_code = "file_too_large"


class TooDeepError(FichesXmlError):
    """Elements nested deeper than the format allows."""

    default_code = "too_deep"


class EmptyFileError(FichesXmlError):
    """No content, or no person."""

    default_code = "empty_file"


class EncodingError(FichesXmlError):
    """Bytes that do not match the declared encoding, or an unknown encoding."""

    default_code = "encoding"


def not_xml(raw: bytes) -> NotXmlError:
    """The refusal of bytes that do not even start like XML, saying what they look like."""
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            return NotXmlError(f"Ce fichier n'est pas un fichier XML : il ressemble à {what}. {_EXPECTED}")
    first_line = raw.split(b"\n", 1)[0]
    if first_line.count(b";") + first_line.count(b",") >= 2 and b"<" not in first_line:
        what = "un tableau CSV"
        return NotXmlError(f"Ce fichier n'est pas un fichier XML : il ressemble à {what}. {_EXPECTED}")
    return NotXmlError(f"Ce fichier n'est pas un fichier XML (il ne commence pas par « < »). {_EXPECTED}")


def from_parser_error(exc: etree.XMLSyntaxError, *, at_eof: bool) -> FichesXmlError:
    """Turn a libxml2 error into the reason a librarian can act on.

    The exception's own code is often a generic one; the last entry of its error log holds the
    real cause (the reader clears the log before each file, so it is this file's).
    """
    error = exc.error_log.last_error
    kind = error.type if error is not None else exc.code
    line = (error.line if error is not None else exc.lineno) or None
    detail = (error.message if error is not None else exc.msg).strip()
    where = f" à la ligne {line}" if line else ""
    if kind in _UNKNOWN_ENCODING_ERRORS:
        return EncodingError(
            f"Le fichier annonce un encodage inconnu (détail technique : {detail}) ; "
            "demandez un nouvel export ou réenregistrez-le en UTF-8.",
            line=line, code="unsupported_encoding",
        )
    if kind in _ENCODING_ERRORS:
        return EncodingError(
            f"Le fichier contient{where} des caractères qui ne correspondent pas à l'encodage qu'il "
            "annonce (UTF-8 s'il n'en annonce aucun) : il a sans doute été enregistré dans un autre "
            "encodage, windows-1252 par exemple. Demandez un nouvel export ou réenregistrez-le en UTF-8.",
            line=line,
        )
    if kind in _ENTITY_ERRORS:
        return UnsafeXmlError(line=line)
    if kind == _ERR.ERR_RESOURCE_LIMIT:
        if "depth" in detail.lower():
            return TooDeepError(
                f"Le fichier contient des éléments imbriqués trop profondément{where}.", line=line
            )
        return FileTooLargeError(
            f"Le fichier contient un texte démesuré{where} : ce n'est pas un fichier d'utilisateurs normal.",
            line=line,
            code="text_too_large",
        )
    if at_eof and kind in _TRUNCATION_ERRORS:
        return NotXmlError(
            f"Le fichier est incomplet : il s'arrête avant la balise de fin « </{fields.ROOT}> » "
            "(export interrompu ou copie tronquée ?). Aucune personne n'en est importée.",
            line=line,
            code="truncated",
        )
    return NotXmlError(f"Le fichier XML est mal formé{where} (détail technique : {detail}).", line=line)


_TOO_LARGE = {
    "file_too_large": "Le fichier dépasse la taille maximale acceptée ({size}).",
    "prolog_too_large": (
        f"Le début du fichier, avant l'élément « {fields.ROOT} », dépasse {{size}} : "
        "ce n'est pas un fichier d'utilisateurs normal."
    ),
    "too_many_records": "Le fichier contient plus de {limit} personnes.",
    "record_too_large": (
        "La fiche commençant à la ligne {line} contient plus de {limit} éléments : "
        "ce n'est pas un fichier d'utilisateurs normal."
    ),
    "token_too_large": (
        "Le fichier contient une balise ou un texte démesuré (plus de {size} d'un seul tenant) {where} : "
        "ce n'est pas un fichier d'utilisateurs normal."
    ),
}


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} Mo" if size >= 1024 * 1024 else f"{size} octets"


def too_large(code: str, *, line: int | None = None, size: int = 0, **values: object) -> FileTooLargeError:
    """A FileTooLargeError with the message for `code` (see _TOO_LARGE)."""
    message = _TOO_LARGE[code].format(line=line, size=_size(size), **values)
    return FileTooLargeError(message, line=line, code=code)


def too_deep(line: int | None) -> TooDeepError:
    return TooDeepError(
        f"Le fichier contient des éléments imbriqués trop profondément (ligne {line}) : "
        "une fiche ne contient que des champs simples.",
        line=line,
    )
