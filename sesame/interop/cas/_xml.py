"""The one hardened lxml parser of the CAS core: no DTD, no entities, no network, bounded size.

Validation answers and logout requests come over the network from another system; a DOCTYPE is
never part of a CAS message (CAS 3.0 Appendix A and C), so it is refused outright, which closes
"billion laughs" and external entities (XXE) whatever the parser version.
"""

from __future__ import annotations

from lxml import etree

MAX_MESSAGE_BYTES = 1024 * 1024


def parse_untrusted(data: bytes, *, what: str) -> etree._Element:
    """The root element of ``data``; ``ValueError`` with a French message when it cannot be trusted."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise ValueError(f"{what} trop volumineux ({len(data)} octets).")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError(f"{what} refusé : il contient une déclaration DOCTYPE ou ENTITY.")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{what} illisible : ce n'est pas un XML bien formé.") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # A DOCTYPE in an encoding the byte scan cannot see (UTF-16) still ends here.
        raise ValueError(f"{what} refusé : il contient une déclaration DOCTYPE.")
    return root


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname
