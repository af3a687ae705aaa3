"""Single log-out messages (CAS 3.0 §2.3.3 and Appendix C).

When a ticket-granting ticket ends, the server MAY tell every service that validated one of its
service tickets, by POSTing a SAML 2.0 ``LogoutRequest`` whose ``SessionIndex`` is that service
ticket, in the form parameter ``logoutRequest``. The service then ends the session it opened
with that ticket.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from ._xml import parse_untrusted

__all__ = ["LOGOUT_REQUEST_PARAMETER", "parse_logout_request", "render_logout_request"]

LOGOUT_REQUEST_PARAMETER = "logoutRequest"
_SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
_SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def render_logout_request(*, session_index: str, request_id: str, issue_instant: datetime) -> bytes:
    """The Appendix C document: ``NameID`` is ``@NOT_USED@``, ``SessionIndex`` the service ticket."""
    root = etree.Element(
        f"{{{_SAMLP}}}LogoutRequest",
        nsmap={"samlp": _SAMLP, "saml": _SAML},
        ID=request_id,
        Version="2.0",
        IssueInstant=issue_instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    etree.SubElement(root, f"{{{_SAML}}}NameID").text = "@NOT_USED@"
    etree.SubElement(root, f"{{{_SAMLP}}}SessionIndex").text = session_index
    return etree.tostring(root, encoding="UTF-8")


def parse_logout_request(data: bytes) -> str:
    """The ``SessionIndex`` (service ticket) of a logout request; ``ValueError`` if there is none."""
    root = parse_untrusted(data, what="Demande de déconnexion")
    if root.tag != f"{{{_SAMLP}}}LogoutRequest":
        raise ValueError("Demande de déconnexion refusée : ce n'est pas un samlp:LogoutRequest.")
    indexes = root.findall(f"{{{_SAMLP}}}SessionIndex")
    if len(indexes) != 1 or not (indexes[0].text or "").strip():
        raise ValueError("Demande de déconnexion refusée : SessionIndex absent.")
    return indexes[0].text.strip()
