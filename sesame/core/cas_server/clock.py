"""The CAS servers' clock: every ticket lifetime is measured against ``now()``.

Call it as ``clock.now()`` (``from sesame.core.cas_server import clock``), never bind ``now``
itself: tests replace it (``monkeypatch.setattr("sesame.core.cas_server.clock.now", …)``) to move
time instead of sleeping, as Django's password reset tokens do with ``_now``, and a bound name
would not move.
"""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
