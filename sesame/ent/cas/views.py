"""CAS endpoints for browsers: ``login`` and ``logout`` (CAS 3.0 §2.1–§2.3).

The ticket-granting ticket is bound to the ENT's Django session: signing in through the CAS form
signs in to the ENT too, and an ENT session is single sign-on for CAS. The ``CASTGC`` cookie
(§3.6) names the ticket-granting ticket; it is HttpOnly, SameSite=Lax, Secure behind HTTPS, a
session cookie, and its path is the CAS base only. A TGT counts only for the user of the session
it was created in. Service URLs come only from the ``service`` parameter checked against the
registry, never from the ``Host`` header.
"""

from __future__ import annotations

import logging

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sesame.core.cas_server import clock
from sesame.core.cas_server.conf import TGC_COOKIE_NAME, CasSettings
from sesame.core.cas_server.throttling import (
    THROTTLED_MESSAGE,
    client_address,
    login_failure_record,
    login_is_throttled,
    login_success_record,
)
from sesame.interop.cas import ServiceDefinition, find_service, service_url_with_ticket

from ..selectors import person_for_user
from .conf import cas_settings
from .forms import CasLoginForm
from .models import TicketGrantingTicket
from .selectors import service_matches, tgt_get
from .services import (
    ServicePrincipalMissingError,
    service_ticket_issue,
    tgt_create,
    tgt_destroy,
    tgt_is_expired,
    tgt_open,
    tgt_touch,
)

logger = logging.getLogger(__name__)


def is_set(value: str | None) -> bool:
    """``renew`` and ``gateway`` are on when present, unless explicitly false (§2.1.1)."""
    return value is not None and value.strip().lower() not in {"false", "0", "no"}


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """``/login`` as credential requestor (GET, §2.1) and acceptor (POST, §2.2)."""
    service = request.GET.get("service", "")
    renew = is_set(request.GET.get("renew"))
    gateway = is_set(request.GET.get("gateway")) and not renew  # renew wins (§2.1.1)
    matches = service_matches(url=service) if service else []
    if service and not matches:
        logger.warning("CAS login refused: the service is not in the registry")
        return render(request, "cas/service_unknown.html", status=403)
    if request.method == "POST":
        return _login_post(request, service=service, matches=matches)
    if not renew:
        tgt, new_cookie = _current_tgt(request)
        if tgt is not None:
            if not service:
                return _with_cookie(render(request, "cas/logged_in.html"), tgt if new_cookie else None)
            response = _service_redirect(request, tgt=tgt, service=service, matches=matches,
                                         from_new_login=False, gateway=gateway)
            return _with_cookie(response, tgt if new_cookie else None)
        if gateway and service:
            return HttpResponseRedirect(service)  # §2.1.1: no session, no ticket, no form
    return _login_form(request, CasLoginForm(), matches=matches)


def _login_post(request: HttpRequest, *, service: str, matches: list[ServiceDefinition]) -> HttpResponse:
    form = CasLoginForm(request.POST)
    if not form.is_valid():
        return _login_form(request, form, matches=matches)
    config, now = cas_settings(), clock.now()
    username = form.cleaned_data["username"]
    address = client_address(request, trusted_proxies=config.trusted_proxies)
    if login_is_throttled(username=username, address=address, config=config, now=now):
        logger.warning("CAS login throttled (address %s)", address)
        form.add_error(None, THROTTLED_MESSAGE)
        return _login_form(request, form, matches=matches, status=429)
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        # The typed identifier is not logged: people sometimes type their password in it.
        logger.info("CAS login failed (address %s)", address)
        login_failure_record(username=username, address=address, config=config, now=now)
        form.add_error(None, _("Identifiant ou mot de passe incorrect."))
        return _login_form(request, form, matches=matches)
    login_success_record(username=username, config=config)
    previous = tgt_get(value=request.COOKIES.get(TGC_COOKIE_NAME, ""))
    auth_login(request, user)  # a new session key: no fixation
    tgt = tgt_open(user=user, person=person_for_user(user=user), previous=previous)
    logger.info("CAS login succeeded for user #%s", user.pk)
    if not service:
        return _with_cookie(render(request, "cas/logged_in.html"), tgt)
    response = _service_redirect(request, tgt=tgt, service=service, matches=matches,
                                 from_new_login=True, gateway=False)
    return _with_cookie(response, tgt)


def _current_tgt(request: HttpRequest) -> tuple[TicketGrantingTicket | None, bool]:
    """The single sign-on of this browser, and whether its cookie must be (re)sent.

    Only for the session's own user; an expired one ends the ENT session too (§3.8.1), and an ENT
    session without one gets a new one.
    """
    if not request.user.is_authenticated:
        return None, False
    tgt = tgt_get(value=request.COOKIES.get(TGC_COOKIE_NAME, ""))
    if tgt is not None and tgt.user_id != request.user.pk:
        tgt = None
    now = clock.now()
    if tgt is not None and tgt_is_expired(tgt=tgt, now=now, config=cas_settings()):
        tgt_destroy(tgt=tgt)
        auth_logout(request)
        return None, False
    if tgt is None:
        return tgt_create(user=request.user, person=person_for_user(user=request.user)), True
    tgt_touch(tgt=tgt, now=now)
    return tgt, False


def _service_redirect(
    request: HttpRequest, *, tgt: TicketGrantingTicket, service: str,
    matches: list[ServiceDefinition], from_new_login: bool, gateway: bool,
) -> HttpResponse:
    """Issue a ticket and send the browser to the service (§2.2.4), if this person may use it."""
    uai = tgt.establishment_uai
    definition = find_service(matches, service, establishment=uai) if uai else None
    refusal = None
    if not uai:
        refusal = _("Votre compte n'est pas rattaché à l'annuaire de l'ENT : "
                    "il ne peut pas ouvrir de session sur un service externe.")
    elif definition is None:
        refusal = _("Ce service n'est pas ouvert aux personnes de votre établissement.")
    else:
        try:
            ticket = service_ticket_issue(tgt=tgt, service_url=service, service=definition,
                                          from_new_login=from_new_login)
        except ServicePrincipalMissingError as missing:
            refusal = _("Ce service demande une information absente de votre fiche dans l'ENT "
                        "(%(attribute)s). Adressez-vous à l'administrateur de l'ENT.") % {
                "attribute": missing.attribute}
        else:
            return HttpResponseRedirect(service_url_with_ticket(service, ticket))
    logger.warning("CAS ticket refused to user #%s for a registered service", tgt.user_id)
    if gateway:
        return HttpResponseRedirect(service)
    return render(request, "cas/service_refused.html", {"reason": refusal}, status=403)


def _login_form(request: HttpRequest, form: CasLoginForm, *, matches: list[ServiceDefinition],
                status: int = 200) -> HttpResponse:
    service_name = matches[0].name if matches else ""
    return render(request, "cas/login.html", {"form": form, "service_name": service_name}, status=status)


def _with_cookie(response: HttpResponse, tgt: TicketGrantingTicket | None) -> HttpResponse:
    if tgt is not None:
        _set_tgc(response, tgt, cas_settings())
    return response


def _set_tgc(response: HttpResponse, tgt: TicketGrantingTicket, config: CasSettings) -> None:
    """The ticket-granting cookie (§3.6.1): a session cookie on the narrowest useful path."""
    response.set_cookie(TGC_COOKIE_NAME, tgt.value, path=config.cookie_path, secure=config.cookie_secure,
                        httponly=True, samesite="Lax")


@never_cache
@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """``/logout`` (§2.3): end the single sign-on and the ENT session, tell the services (§2.3.3),
    then follow ``service`` only if it is registered; the legacy ``url`` parameter is ignored."""
    tgt = tgt_get(value=request.COOKIES.get(TGC_COOKIE_NAME, ""))
    if tgt is not None:
        tgt_destroy(tgt=tgt)
    auth_logout(request)
    service = request.GET.get("service", "") or request.POST.get("service", "")
    if service and service_matches(url=service):
        response: HttpResponse = HttpResponseRedirect(service)
    else:
        response = render(request, "cas/logged_out.html", {"service_refused": bool(service)})
    response.delete_cookie(TGC_COOKIE_NAME, path=cas_settings().cookie_path, samesite="Lax")
    return response
