"""CAS endpoints for services (back channel): ``validate``, ``serviceValidate``, ``proxyValidate``,
``p3/serviceValidate`` and ``p3/proxyValidate`` (CAS 3.0 §2.4–§2.6, §2.8, §2.9).

All of them spend the ticket whatever happens (§3.1.1). The 2.0 and 3.0 answers are the same XML,
with the registered attributes (§2.5.5); python-cas reads them from both. No proxy granting
ticket is ever issued: a ``pgtUrl`` gets ``UNAUTHORIZED_SERVICE_PROXY`` (or
``INVALID_PROXY_CALLBACK`` when it is not https), and proxy tickets do not exist here.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sesame.interop.cas import (
    CasError,
    InternalError,
    ValidationSuccess,
    render_cas1_success,
    render_service_response,
)

from .services import service_ticket_validate
from .views import is_set

logger = logging.getLogger(__name__)

XML_CONTENT_TYPE = "application/xml; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


def _validate(request: HttpRequest) -> ValidationSuccess | CasError:
    try:
        return service_ticket_validate(
            ticket=request.GET.get("ticket", ""),
            service=request.GET.get("service", ""),
            renew=is_set(request.GET.get("renew")),
            pgt_url=request.GET.get("pgtUrl", ""),
        )
    except CasError as error:
        logger.info("CAS validation refused: %s", error.code)
        return error
    except Exception:
        logger.exception("CAS validation failed")
        return InternalError()


def _status(outcome: ValidationSuccess | CasError) -> int:
    return 500 if isinstance(outcome, InternalError) else 200


@never_cache
@require_GET
def validate(request: HttpRequest) -> HttpResponse:
    """CAS 1.0 (§2.4): ``yes``/``no`` text."""
    outcome = _validate(request)
    if isinstance(outcome, CasError):
        return HttpResponse(outcome.to_text(), content_type=TEXT_CONTENT_TYPE, status=_status(outcome))
    try:
        body = render_cas1_success(outcome.user)
    except ValueError:
        logger.exception("CAS 1.0 answer could not be written")
        error = InternalError()
        return HttpResponse(error.to_text(), content_type=TEXT_CONTENT_TYPE, status=500)
    return HttpResponse(body, content_type=TEXT_CONTENT_TYPE)


@never_cache
@require_GET
def service_validate(request: HttpRequest) -> HttpResponse:
    """CAS 2.0/3.0 XML (§2.5, §2.6, §2.8, §2.9): one view for the four XML endpoints."""
    outcome = _validate(request)
    if isinstance(outcome, CasError):
        return HttpResponse(outcome.to_xml(), content_type=XML_CONTENT_TYPE, status=_status(outcome))
    try:
        body = render_service_response(outcome)
    except ValueError:
        logger.exception("CAS answer could not be written")
        return HttpResponse(InternalError().to_xml(), content_type=XML_CONTENT_TYPE, status=500)
    return HttpResponse(body, content_type=XML_CONTENT_TYPE)
