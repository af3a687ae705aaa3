"""Safe parsing of an STS-web export, with the shared rules of ``sesame.interop.safe_xml``."""

from lxml import etree

from sesame.interop.safe_xml import MAX_BYTES, parse_untrusted

from .errors import StsFormatError, StsUnsafeError


def parse_safely(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element of ``data``, or a French error saying why the file is refused."""
    return parse_untrusted(
        data, source="STS-web", unsafe_error=StsUnsafeError, format_error=StsFormatError, max_bytes=max_bytes
    )
