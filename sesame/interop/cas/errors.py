"""CAS protocol errors: the codes of the CAS 3.0 specification, as exceptions that render themselves.

The specification (CAS Protocol 3.0, §2.5.3) fixes the codes a ticket validation failure carries;
clients branch on the code, people read the text. Each code is an exception class here, so the
server raises ``InvalidTicketError("…")`` where validation fails and the view turns it into the
right answer for the endpoint: CAS 2.0/3.0 XML (§2.5.2) or the CAS 1.0 ``no`` line (§2.4.2).

Hierarchy:

- ``CasError``: base class; ``code`` (an ``ErrorCode``), ``message`` (French, for the people who
  read logs and answers), ``str(exc) == exc.message``.
  - ``InvalidRequestError`` — a required parameter is missing (§2.5.3 ``INVALID_REQUEST``).
  - ``InvalidTicketSpecError`` — the request does not meet the validation specification, e.g. a
    proxy ticket sent to ``/serviceValidate`` (§2.5 and §2.5.3 ``INVALID_TICKET_SPEC``).
  - ``UnauthorizedServiceProxyError`` — the service may not proxy (§2.5.3).
  - ``InvalidProxyCallbackError`` — the ``pgtUrl`` is not acceptable (§2.5.3, §2.5.4).
  - ``InvalidTicketError`` — unknown, already used or expired ticket, or a ticket not from a new
    login when ``renew`` was asked (§2.5.1, §2.5.3, §3.1.1).
  - ``InvalidServiceError`` — the ticket was issued for another service (§2.5.3).
  - ``InternalError`` — the server failed (§2.5.3 ``INTERNAL_ERROR``).

An answer the client cannot read at all is not one of these codes: that is
``responses.ServiceResponseError``, next to the parser that raises it.
"""

from __future__ import annotations

from enum import StrEnum

from .responses import ValidationFailure, render_cas1_failure, render_service_response

__all__ = [
    "CasError",
    "ErrorCode",
    "InternalError",
    "InvalidProxyCallbackError",
    "InvalidRequestError",
    "InvalidServiceError",
    "InvalidTicketError",
    "InvalidTicketSpecError",
    "UnauthorizedServiceProxyError",
]


class ErrorCode(StrEnum):
    """The authentication failure codes of CAS 3.0 §2.5.3, spelled as the specification spells them."""

    INVALID_REQUEST = "INVALID_REQUEST"
    INVALID_TICKET_SPEC = "INVALID_TICKET_SPEC"
    UNAUTHORIZED_SERVICE_PROXY = "UNAUTHORIZED_SERVICE_PROXY"
    INVALID_PROXY_CALLBACK = "INVALID_PROXY_CALLBACK"
    INVALID_TICKET = "INVALID_TICKET"
    INVALID_SERVICE = "INVALID_SERVICE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class CasError(Exception):
    """A validation failure with its specification code; it renders itself for each protocol version."""

    code: ErrorCode = ErrorCode.INTERNAL_ERROR
    default_message: str = "Erreur interne du serveur CAS."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def to_xml(self) -> bytes:
        """The CAS 2.0/3.0 ``authenticationFailure`` answer (§2.5.2)."""
        return render_service_response(ValidationFailure(code=self.code, message=self.message))

    def to_text(self) -> bytes:
        """The CAS 1.0 answer (§2.4.2): ``no``, then an empty line; CAS 1.0 has no codes."""
        return render_cas1_failure()


class InvalidRequestError(CasError):
    code = ErrorCode.INVALID_REQUEST
    default_message = "Paramètres manquants : « ticket » et « service » sont obligatoires."


class InvalidTicketSpecError(CasError):
    code = ErrorCode.INVALID_TICKET_SPEC
    default_message = "La demande ne respecte pas la spécification de validation."


class UnauthorizedServiceProxyError(CasError):
    code = ErrorCode.UNAUTHORIZED_SERVICE_PROXY
    default_message = "Ce service n'est pas autorisé à utiliser le mode proxy (non pris en charge)."


class InvalidProxyCallbackError(CasError):
    code = ErrorCode.INVALID_PROXY_CALLBACK
    default_message = "L'adresse de rappel du proxy (pgtUrl) est invalide : elle doit être en https."


class InvalidTicketError(CasError):
    code = ErrorCode.INVALID_TICKET
    default_message = "Ticket inconnu, déjà utilisé ou expiré."


class InvalidServiceError(CasError):
    code = ErrorCode.INVALID_SERVICE
    default_message = "Ce ticket a été délivré pour un autre service."


class InternalError(CasError):
    code = ErrorCode.INTERNAL_ERROR
    default_message = "Erreur interne du serveur CAS."

