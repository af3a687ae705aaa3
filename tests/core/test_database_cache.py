"""The database cache Sésame uses without Redis: ``incr`` keeps the key's window, as Redis does."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from sesame.config.env import CACHE_TABLE
from sesame.core.cache import DatabaseCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache():
    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        pytest.skip("REDIS_URL is set: the cache is Redis")
    return cache


def expiry(key: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {connection.ops.quote_name(CACHE_TABLE)} "  # noqa: S608
                       "WHERE cache_key = %s", [caches["default"].make_key(key)])
        return cursor.fetchone()[0]


def test_the_default_cache_is_a_table_of_the_database(cache):
    assert CACHE_TABLE in connection.introspection.table_names()


def test_incr_counts_and_keeps_the_window_of_the_first_failure(cache):
    cache.add("failures", 0, timeout=900)
    window = expiry("failures")

    assert [cache.incr("failures") for _ in range(3)] == [1, 2, 3]
    assert cache.decr("failures") == 2
    assert cache.get("failures") == 2
    assert expiry("failures") == window  # Django's generic incr would give it the default 300 s


def test_incr_of_a_missing_or_expired_key_is_a_value_error(cache):
    with pytest.raises(ValueError, match="missing"):
        cache.incr("missing")
    cache.set("old", 4, timeout=900)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {connection.ops.quote_name(CACHE_TABLE)} SET expires = %s "  # noqa: S608
                       "WHERE cache_key = %s", [connection.ops.adapt_datetimefield_value(
                           timezone.now() - timedelta(seconds=5)), cache.make_key("old")])

    with pytest.raises(ValueError, match="old"):
        cache.incr("old")
