"""Back-channel single log-out (CAS 3.0 §2.3.3): POST a ``LogoutRequest`` to each service.

Best effort, as the specification allows: the requests leave after the log-out has committed, in
a background thread, with a short timeout and without following redirects, so a slow or dead
service never holds up the person who is leaving. Failures are logged without ticket values.
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from sesame.core.cas_server import clock
from sesame.interop.cas import LOGOUT_REQUEST_PARAMETER, new_ticket, render_logout_request

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LogoutNotice:
    service_url: str
    service_name: str
    session_index: str  # the service ticket the service validated


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def notice_send(notice: LogoutNotice, *, timeout: float) -> bool:
    """Send one log-out request; True when the service answered 2xx."""
    document = render_logout_request(
        session_index=notice.session_index,
        request_id=new_ticket("LR-", entropy_bytes=16),
        issue_instant=clock.now(),
    )
    body = urlencode({LOGOUT_REQUEST_PARAMETER: document.decode()}).encode()
    request = urllib.request.Request(  # noqa: S310 — registered http(s) service URLs only
        notice.service_url, data=body, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(4096)
            ok = 200 <= response.status < 300
    except (OSError, ValueError) as exc:
        logger.info("CAS single log-out to service %r failed: %s", notice.service_name, type(exc).__name__)
        return False
    if not ok:
        logger.info("CAS single log-out to service %r answered %s", notice.service_name, response.status)
    return ok


def notices_send_in_background(notices: list[LogoutNotice], *, timeout: float) -> threading.Thread | None:
    if not notices:
        return None

    def send_all() -> None:
        for notice in notices:
            notice_send(notice, timeout=timeout)

    thread = threading.Thread(target=send_all, name="cas-single-logout", daemon=True)
    thread.start()
    return thread
