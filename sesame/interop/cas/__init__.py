"""The CAS protocol (3.0, with 1.0 and 2.0), in pure Python: no Django, no network.

Both sides use it: the ENT's CAS server renders answers and applies the ticket and service rules
with it; the portal's client builds URLs and parses answers with it. Section numbers in the
docstrings refer to the CAS Protocol 3.0 specification (apereo/cas, CAS-Protocol-Specification.md).

- ``errors``: the §2.5.3 codes and the exceptions that carry them and render themselves.
- ``responses``: ``/serviceValidate`` XML and ``/validate`` text answers, rendered and parsed;
  ``ServiceResponseError`` for an answer that cannot be read.
- ``tickets``: ticket format, randomness and lifetime (§3).
- ``services``: service URL safety and the registry's anchored matching rule (§2.2.1, §2.3.1).
- ``urls``: login, logout and validation URLs; adding ``ticket`` to a service URL (§2.2.4).
- ``logout``: single log-out requests (§2.3.3, Appendix C).
"""

from .errors import (
    CasError,
    ErrorCode,
    InternalError,
    InvalidProxyCallbackError,
    InvalidRequestError,
    InvalidServiceError,
    InvalidTicketError,
    InvalidTicketSpecError,
    UnauthorizedServiceProxyError,
)
from .logout import LOGOUT_REQUEST_PARAMETER, parse_logout_request, render_logout_request
from .responses import (
    CAS_NAMESPACE,
    ServiceResponseError,
    ValidationFailure,
    ValidationSuccess,
    parse_cas1_response,
    parse_service_response,
    render_cas1_failure,
    render_cas1_success,
    render_service_response,
)
from .services import (
    InvalidPatternError,
    ServiceDefinition,
    UnsafeServiceUrlError,
    check_service_url,
    compile_linear,
    compile_pattern,
    find_service,
    matching_services,
)
from .tickets import (
    MAX_TICKET_LENGTH,
    PROXY_TICKET_PREFIX,
    SERVICE_TICKET_PREFIX,
    TICKET_GRANTING_TICKET_PREFIX,
    is_expired,
    is_well_formed,
    new_ticket,
)
from .urls import login_url, logout_url, service_url_with_ticket, validate_url

__all__ = [
    "CAS_NAMESPACE",
    "LOGOUT_REQUEST_PARAMETER",
    "MAX_TICKET_LENGTH",
    "PROXY_TICKET_PREFIX",
    "SERVICE_TICKET_PREFIX",
    "TICKET_GRANTING_TICKET_PREFIX",
    "CasError",
    "ErrorCode",
    "InternalError",
    "InvalidPatternError",
    "InvalidProxyCallbackError",
    "InvalidRequestError",
    "InvalidServiceError",
    "InvalidTicketError",
    "InvalidTicketSpecError",
    "ServiceDefinition",
    "ServiceResponseError",
    "UnauthorizedServiceProxyError",
    "UnsafeServiceUrlError",
    "ValidationFailure",
    "ValidationSuccess",
    "check_service_url",
    "compile_linear",
    "compile_pattern",
    "find_service",
    "is_expired",
    "is_well_formed",
    "login_url",
    "logout_url",
    "matching_services",
    "new_ticket",
    "parse_cas1_response",
    "parse_logout_request",
    "parse_service_response",
    "render_cas1_failure",
    "render_cas1_success",
    "render_logout_request",
    "render_service_response",
    "service_url_with_ticket",
    "validate_url",
]
