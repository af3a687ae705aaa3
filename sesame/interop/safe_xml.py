"""Parse an untrusted national XML export (SIECLE, STS-web) with lxml, refusing anything harmful.

Such files come from outside (a download from the national application, then a USB key or an
e-mail): entity expansion, DTDs and network access are off, and any DOCTYPE is refused outright,
which closes both the "billion laughs" and the external-entity (XXE) attacks. The size is capped
before parsing; lxml's default limits (``huge_tree=False``) cap depth and text node sizes.

Each format keeps its own error classes and wording (``source`` names the application in the
messages), so this module only takes them as parameters and never imports a format package.
"""

from lxml import etree

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


def parse_untrusted(
    data: bytes,
    *,
    source: str,
    unsafe_error: type[Exception],
    format_error: type[Exception],
    max_bytes: int = MAX_BYTES,
) -> etree._Element:
    """The root element of ``data``, or ``unsafe_error``/``format_error`` with a French message.

    ``source`` is the application that exports the file ("SIECLE", "STS-web"); both error classes
    take ``(message, *, code=, data=)``.
    """
    if len(data) > max_bytes:
        raise unsafe_error(
            f"Le fichier est trop volumineux ({len(data) / 1_048_576:.0f} Mo) : "
            f"la limite est de {max_bytes // 1_048_576} Mo.",
            code="too_large",
            data={"size": len(data), "limit": max_bytes},
        )
    if not data.strip():
        raise format_error("Le fichier est vide.", code="empty")
    if b"<!DOCTYPE" in data:
        raise _doctype_refused(source, unsafe_error)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 0)
        if exc.code in _ENCODING_ERRORS:
            raise format_error(
                f"Le fichier n'est pas dans l'encodage qu'il déclare (ligne {line}) : "
                f"il doit être en ISO-8859-15, ISO-8859-1 ou UTF-8, comme {source} l'exporte.",
                code="encoding",
                data={"line": line},
            ) from exc
        raise format_error(
            f"Le fichier n'est pas un XML bien formé (ligne {line}, colonne {column}).",
            code="malformed",
            data={"line": line, "column": column, "detail": str(exc)},
        ) from exc
    # A DOCTYPE in an encoding the byte scan cannot see (UTF-16) still ends here.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _doctype_refused(source, unsafe_error)
    return root


def _doctype_refused(source: str, unsafe_error: type[Exception]) -> Exception:
    return unsafe_error(
        "Le fichier contient une déclaration DOCTYPE (DTD ou entités) : il est refusé par sécurité, "
        f"un export {source} n'en contient jamais.",
        code="doctype",
    )
