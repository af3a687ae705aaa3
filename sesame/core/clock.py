"""The one clock of Sésame: every service asks ``now()`` or ``today()`` here, never Django directly.

Services take ``now=``/``today=`` keywords that default to this clock, so a caller that already
knows the time (a batch, a replay) passes it on, and tests move time with the ``clock`` fixture
(``tests/conftest.py``) instead of patching ``django.utils.timezone`` for the whole process — the
seam Django's password-reset tokens keep as ``_now``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def _source() -> datetime:
    """The real time; the only function tests replace."""
    return timezone.now()


def now() -> datetime:
    """The current time, aware (UTC)."""
    return _source()


def today() -> date:
    """The date in the establishment's time zone (``TIME_ZONE``): due dates and loan dates."""
    return timezone.localdate(_source())
