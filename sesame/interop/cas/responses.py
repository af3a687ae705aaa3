"""Validation answers of CAS 1.0, 2.0 and 3.0: render them (server) and parse them (client).

- CAS 2.0/3.0 (``/serviceValidate``, ``/proxyValidate``, ``/p3/serviceValidate``, §2.5.2, §2.6.2):
  an XML ``cas:serviceResponse`` in the ``http://www.yale.edu/tp/cas`` namespace holding either
  ``cas:authenticationSuccess`` (``cas:user`` and the released ``cas:attributes``, §2.5.5 and
  Appendix A) or ``cas:authenticationFailure code="…"`` (§2.5.3).
- CAS 1.0 (``/validate``, §2.4.2): ``yes<LF>user<LF>`` or ``no<LF><LF>``.

The server renders with the same module the portal's client parses with, so one round-trip test
``parse_service_response(render_service_response(m)) == m`` covers both sides. The parser trusts
nothing: only an explicit, well-formed ``authenticationSuccess`` with exactly one non-empty
``cas:user`` is a success (CVE-2017-1000071); everything else is a failure or an error.

``ServiceResponseError`` (a ``ValueError``, not a ``CasError``) is that error: an answer that
cannot be trusted at all — not XML, a DOCTYPE, neither success nor failure. A client treats it as
a failure. It lives here, with the parser, because it is a parse failure of an answer, not one of
the §2.5.3 codes a server sends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from ._xml import local_name, parse_untrusted

__all__ = [
    "CAS_NAMESPACE",
    "ServiceResponseError",
    "ValidationFailure",
    "ValidationSuccess",
    "parse_cas1_response",
    "parse_service_response",
    "render_cas1_failure",
    "render_cas1_success",
    "render_service_response",
]

CAS_NAMESPACE = "http://www.yale.edu/tp/cas"
_NS = "{" + CAS_NAMESPACE + "}"
_NSMAP = {"cas": CAS_NAMESPACE}
# Attribute names become element names (§2.5.5): an ASCII XML name without a colon.
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")


class ServiceResponseError(ValueError):
    """A validation answer that is neither a well-formed success nor a well-formed failure."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ValidationSuccess:
    """A successful validation: the principal (``cas:user``) and the released attributes."""

    user: str
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ValidationFailure:
    """A failed validation: the §2.5.3 code (a foreign server may send another) and its text."""

    code: str
    message: str = ""


def render_service_response(message: ValidationSuccess | ValidationFailure) -> bytes:
    """The CAS 2.0/3.0 XML answer (§2.5.2); attributes in ``cas:attributes``, one element per value."""
    root = etree.Element(_NS + "serviceResponse", nsmap=_NSMAP)
    if isinstance(message, ValidationSuccess):
        if not message.user.strip():
            raise ValueError("A CAS success needs a non-empty user.")
        success = etree.SubElement(root, _NS + "authenticationSuccess")
        etree.SubElement(success, _NS + "user").text = message.user
        if message.attributes:
            attributes = etree.SubElement(success, _NS + "attributes")
            for name, values in message.attributes.items():
                if not _ATTRIBUTE_NAME.fullmatch(name):
                    raise ValueError(f"Invalid CAS attribute name: {name!r}")
                for value in values:
                    etree.SubElement(attributes, _NS + name).text = value
    else:
        failure = etree.SubElement(root, _NS + "authenticationFailure", code=str(message.code))
        failure.text = message.message
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def render_cas1_success(user: str) -> bytes:
    """``yes<LF>user<LF>`` (§2.4.2); a user name on several lines would forge the answer."""
    if not user or any(char in user for char in "\r\n"):
        raise ValueError("A CAS 1.0 user must be one non-empty line.")
    return f"yes\n{user}\n".encode()


def render_cas1_failure() -> bytes:
    """``no<LF><LF>`` (§2.4.2)."""
    return b"no\n\n"


def parse_service_response(data: bytes) -> ValidationSuccess | ValidationFailure:
    """Read a CAS 2.0/3.0 validation answer; ``ServiceResponseError`` unless clearly one or the other."""
    try:
        root = parse_untrusted(data, what="Réponse CAS")
    except ValueError as exc:
        raise ServiceResponseError(str(exc)) from exc
    if root.tag != _NS + "serviceResponse":
        raise ServiceResponseError("Réponse CAS refusée : l'élément racine n'est pas cas:serviceResponse.")
    children = [child for child in root if isinstance(child.tag, str)]
    if len(children) != 1:
        raise ServiceResponseError("Réponse CAS refusée : elle doit contenir exactement un résultat.")
    outcome = children[0]
    if outcome.tag == _NS + "authenticationFailure":
        code = (outcome.get("code") or "").strip()
        if not code:
            raise ServiceResponseError("Réponse CAS refusée : échec sans code.")
        return ValidationFailure(code=code, message=(outcome.text or "").strip())
    if outcome.tag != _NS + "authenticationSuccess":
        raise ServiceResponseError("Réponse CAS refusée : ni succès ni échec d'authentification.")
    users = outcome.findall(_NS + "user")
    user = (users[0].text or "").strip() if len(users) == 1 else ""
    if not user or len(users[0]):
        raise ServiceResponseError("Réponse CAS refusée : le succès doit contenir un et un seul cas:user.")
    return ValidationSuccess(user=user, attributes=_attributes(outcome))


def _attributes(success: etree._Element) -> dict[str, tuple[str, ...]]:
    blocks = success.findall(_NS + "attributes")
    if len(blocks) > 1:
        raise ServiceResponseError("Réponse CAS refusée : plusieurs blocs cas:attributes.")
    values: dict[str, list[str]] = {}
    for element in blocks[0] if blocks else ():
        if isinstance(element.tag, str):
            values.setdefault(local_name(element), []).append((element.text or "").strip())
    return {name: tuple(items) for name, items in values.items()}


def parse_cas1_response(data: bytes) -> ValidationSuccess | ValidationFailure:
    """Read a CAS 1.0 answer (§2.4.2): only ``yes`` followed by a non-empty user line is a success."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise ServiceResponseError("Réponse CAS 1.0 refusée : elle n'est pas en UTF-8.") from exc
    if len(lines) >= 2 and lines[0] == "yes" and lines[1].strip():
        return ValidationSuccess(user=lines[1].strip())
    if lines[0] == "no":
        return ValidationFailure(code="", message="")
    raise ServiceResponseError("Réponse CAS 1.0 refusée : ni « yes » ni « no ».")
