"""The CAS server's clock: every ticket lifetime is measured against ``now()``.

Tests replace it (``monkeypatch.setattr("sesame.ent.cas.clock.now", …)``) to move time instead of
sleeping, as Django's password reset tokens do with ``_now``.
"""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
