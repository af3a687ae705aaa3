"""The one clock: services read it, tests move it with the ``clock`` fixture."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from sesame.core import clock as sesame_clock


def test_the_clock_tells_the_real_time_until_a_test_moves_it():
    before = timezone.now()
    assert before <= sesame_clock.now() <= timezone.now()


def test_today_is_the_date_in_the_establishments_time_zone(clock):
    # 23:30 UTC on 31 August is already 1 September in Paris (UTC+2 in summer).
    clock.set(datetime(2026, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC")))

    assert sesame_clock.today() == date(2026, 9, 1)


def test_the_fixture_moves_now_and_today_together(clock):
    clock.set_today(date(2026, 3, 2))
    clock.advance(timedelta(days=1))

    assert sesame_clock.today() == date(2026, 3, 3)
    assert sesame_clock.now() == timezone.make_aware(datetime(2026, 3, 3, 10))
