"""Small helpers every library page uses: where to go back, the first form error, a 303, a download."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """The ``next`` the form carried, if it is a path of this site; else ``default``.

    Buttons shared by several pages (mark an alert read, declare a copy lost) come back to the
    page they were pressed on, never to another site.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def first_error(form) -> str:
    """The first message of an invalid form, for a page that shows one refusal at a time."""
    return next(iter(form.errors.values()))[0]


def form_errors(form) -> list[str]:
    """Every message of an invalid form, field by field, in the order of the fields."""
    return [message for messages in form.errors.values() for message in messages]


def see_other(name: str, **kwargs) -> HttpResponseRedirect:
    """After a POST that changed something: a 303 to the page that shows the result."""
    response = HttpResponseRedirect(reverse(name, kwargs=kwargs))
    response.status_code = 303
    return response


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file to download (a backup, a report, letters), named for the person who saves it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
