"""Stored dashboard figures in a shared Redis cache (issue 15, item 6).

With `FIGURES_IN_CACHE` the served path is the version query plus one cache read; a write
raises the version in the database, so the next read on any server (another cache client
here) misses and computes: never stale. Skipped when no Redis answers on 127.0.0.1:6379.
"""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import snapshots
from dashboard.selectors import dashboard_json
from tests.dashboard.conftest import report, small_park  # noqa: F401  (fixture)

REDIS = "redis://127.0.0.1:6379/0"
PERIOD = {"year": 2024, "quarter": 2}


def redis_answers() -> bool:
    try:
        import redis
        return redis.Redis.from_url(REDIS, socket_timeout=0.5).ping()
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False


pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")]


@pytest.fixture
def redis_cache(settings):
    prefix = f"pp-test-{uuid.uuid4().hex[:12]}"
    options = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS,
               "KEY_PREFIX": prefix}
    settings.CACHES = {"default": options}
    settings.FIGURES_IN_CACHE = True
    # What another app server sees: its own client of the same Redis.
    other = RedisCache(REDIS, {"KEY_PREFIX": prefix})
    yield other
    client = other._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def served(park):
    return snapshots.dashboard_snapshot(park=park, **PERIOD)


def fresh(park):
    return dashboard_json(park=park, lagging_limit=snapshots.LAGGING_LIMIT, **PERIOD)


def test_served_from_redis_with_one_query(small_park, park, redis_cache, monkeypatch):  # noqa: F811
    first = served(park)
    assert first == fresh(park)
    key = snapshots.cache_key(park.pk, snapshots.Period(**PERIOD),
                              snapshots.as_of_date(snapshots.Period(**PERIOD)),
                              snapshots.data_version())
    assert tuple(redis_cache.get(key)) == tuple(first)  # visible to another server

    def must_not_run(*args, **kwargs):
        raise AssertionError("not served from the cache")

    monkeypatch.setattr(snapshots, "_lookup", must_not_run)
    monkeypatch.setattr(snapshots, "dashboard_json", must_not_run)
    with CaptureQueriesContext(connection) as captured:
        assert served(park) == first
    assert len(captured.captured_queries) == 1  # the data version


def test_a_write_is_never_served_stale(small_park, park, redis_cache):  # noqa: F811
    before = served(park)
    assert before[0]["completed_ytd"] == "3000.00"
    report(small_park["B"], 6, 250)
    after = served(park)
    assert after[0]["completed_ytd"] == "3250.00"
    assert after == fresh(park)


def test_a_redis_flush_falls_back_to_the_database_snapshot(small_park, park, redis_cache,  # noqa: F811
                                                           monkeypatch):
    first = served(park)
    # Never clear a shared Redis in a test: drop only this test's keys.
    client = redis_cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{redis_cache.key_prefix}:*"):
        client.delete(key)

    def must_not_compute(**kwargs):
        raise AssertionError("computed although the database snapshot is current")

    monkeypatch.setattr(snapshots, "dashboard_json", must_not_compute)
    assert served(park) == first
