"""The §2.5.3 codes, as exceptions that render themselves."""

import pytest

from sesame.interop.cas import (
    CasError,
    ErrorCode,
    InternalError,
    InvalidProxyCallbackError,
    InvalidRequestError,
    InvalidServiceError,
    InvalidTicketError,
    InvalidTicketSpecError,
    UnauthorizedServiceProxyError,
    ValidationFailure,
    parse_service_response,
)

CLASSES = {
    InvalidRequestError: "INVALID_REQUEST",
    InvalidTicketSpecError: "INVALID_TICKET_SPEC",
    UnauthorizedServiceProxyError: "UNAUTHORIZED_SERVICE_PROXY",
    InvalidProxyCallbackError: "INVALID_PROXY_CALLBACK",
    InvalidTicketError: "INVALID_TICKET",
    InvalidServiceError: "INVALID_SERVICE",
    InternalError: "INTERNAL_ERROR",
}


def test_the_enum_is_exactly_the_spec_codes():
    assert [code.value for code in ErrorCode] == list(CLASSES.values())


@pytest.mark.parametrize("error_class, code", CLASSES.items())
def test_each_error_renders_its_code(error_class, code):
    error = error_class()

    assert isinstance(error, CasError)
    assert parse_service_response(error.to_xml()) == ValidationFailure(code=code, message=error.message)
    assert error.to_text() == b"no\n\n"


def test_a_message_replaces_the_default():
    error = InvalidTicketError("Ticket expiré.")

    assert (str(error), error.code) == ("Ticket expiré.", ErrorCode.INVALID_TICKET)
