"""Safe parsing of a SIECLE export: the shared rules of ``sesame.interop.safe_xml``, this format's errors."""

from lxml import etree

from sesame.interop.safe_xml import MAX_BYTES, parse_untrusted

from .errors import SiecleFormatError, SiecleUnsafeError


def parse_safely(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element of ``data``, or a French error saying why the file is refused."""
    return parse_untrusted(
        data, source="SIECLE", unsafe_error=SiecleUnsafeError, format_error=SiecleFormatError,
        max_bytes=max_bytes,
    )
