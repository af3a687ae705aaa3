"""Parse an untrusted STS-web export with lxml, refusing anything that could harm the reader.

The file comes from outside (a download from STS-web, then a USB key or an
e-mail): entity expansion, DTDs and network access are off, and any DOCTYPE is refused outright,
which closes both the "billion laughs" and the external-entity (XXE) attacks. The size is capped
before parsing; lxml's default limits (``huge_tree=False``) cap depth and text node sizes.

This is deliberately a copy of the same few lines in ``sesame.interop.siecle``: each national format
stands alone (an import-linter contract), so neither may import the other.
"""

from lxml import etree

from .errors import StsFormatError, StsUnsafeError

MAX_BYTES = 64 * 1024 * 1024

_ENCODING_ERRORS = frozenset({
    etree.ErrorTypes.ERR_INVALID_ENCODING,
    etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING,
    etree.ErrorTypes.ERR_UNKNOWN_ENCODING,
    etree.ErrorTypes.ERR_INVALID_CHAR,
})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_safely(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element of ``data``, or a French ``StsError`` saying why the file is refused."""
    if len(data) > max_bytes:
        raise StsUnsafeError(
            f"Le fichier est trop volumineux ({len(data) / 1_048_576:.0f} Mo) : "
            f"la limite est de {max_bytes // 1_048_576} Mo.",
            code="too_large",
            data={"size": len(data), "limit": max_bytes},
        )
    if not data.strip():
        raise StsFormatError("Le fichier est vide.", code="empty")
    if b"<!DOCTYPE" in data:
        raise _doctype_refused()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 0)
        if exc.code in _ENCODING_ERRORS:
            raise StsFormatError(
                f"Le fichier n'est pas dans l'encodage qu'il déclare (ligne {line}) : "
                "il doit être en ISO-8859-15, ISO-8859-1 ou UTF-8, comme STS-web l'exporte.",
                code="encoding",
                data={"line": line},
            ) from exc
        raise StsFormatError(
            f"Le fichier n'est pas un XML bien formé (ligne {line}, colonne {column}).",
            code="malformed",
            data={"line": line, "column": column, "detail": str(exc)},
        ) from exc
    # A DOCTYPE in an encoding the byte scan cannot see (UTF-16) still ends here.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _doctype_refused()
    return root


def _doctype_refused() -> StsUnsafeError:
    return StsUnsafeError(
        "Le fichier contient une déclaration DOCTYPE (DTD ou entités) : il est refusé par sécurité, "
        "un export STS-web n'en contient jamais.",
        code="doctype",
    )
