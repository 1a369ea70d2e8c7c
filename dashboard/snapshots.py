"""The dashboard's figures, computed once per data version.

A leader's dashboard (and its `?format=json`) shows `selectors.dashboard_json` for park ×
year × quarter. Computing it reads every planned project, enterprise and visit of the park
(a few hundred milliseconds at province scale); the data behind it changes far less often
than it is read. So the computed figures are stored as a `FiguresSnapshot` keyed by park,
year, quarter and `as_of` (the day "as of" figures are taken), with the figures data version
they were computed at, and served again while that version is unchanged.

The data version (migration dashboard 0004) changes with every write to a table the roll-up
reads, whatever the write path. The order below keeps a snapshot exact:
1. read the version (and the stored snapshot, in the same statement);
2. on a miss compute the figures: they include at least every write counted in the version;
3. store them with the version read in 1.
A later reader serves the snapshot only if it reads the same version, i.e. no write to the
figures' tables committed in between. A transaction's own writes raise the version it
reads, so a writer never gets figures that miss its own changes.

With several app servers (`FIGURES_IN_CACHE`, on when `CACHE_URL` names a shared Redis)
the served path reads the version (one small query) and then the figures from the cache,
under a key that carries that version: a write on any server raises the version in the
database, so every server's next read misses the cache and nothing stale is served; no
invalidation message is needed. A miss falls back to the database snapshot, then computes.

A region's roll-up (`region_snapshot`, for the region dashboard, its `?format=json` and the
API's figures of a region) is stored in the cache (Redis with `CACHE_URL`, else the
process's memory) under a key carrying the same data version, the region's park set and the
region's name and level, all read in one statement: any write to a park's data, a park moved
between regions or a quarter closed or reopened (migration dashboard 0009) makes the next
read compute afresh.

Quarter close and `manage.py rollup` do not use snapshots: they always compute.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from dashboard.models import FiguresSnapshot
from dashboard.regions import region_rollup
from dashboard.selectors import as_of_date, dashboard_json, to_jsonable
from parkportal.periods import Period
from parks.models import Park, Region
from parks.selectors import parks_in_region

LAGGING_LIMIT = 50
COMPACT_AFTER = 500  # change rows (PostgreSQL) before they are folded into the counter

# The modules whose code defines the figures (the selectors, and the models' choices and
# constants they use: counted statuses, stages, served relations, quarters). A snapshot
# computed by other code (before a deploy) is not served.
FIGURE_MODULES = ("dashboard.selectors", "dashboard.figure_registry", "dashboard.snapshots",
                  "dashboard.regions", "parks.selectors",
                  "leads.selectors", "leads.models",
                  "parks.models", "projects.models", "enterprises.models", "talent.models")
# ... and the ground floor the rules are built from (rate rounding, periods, SQL lists).
FIGURE_MODULES += ("parkportal.money", "parkportal.periods", "parkportal.sql",
                   "parkportal.id_lists")


def _code_version() -> str:
    digest = hashlib.sha256()
    for name in FIGURE_MODULES:
        with open(importlib.import_module(name).__file__, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()

# One statement, so one snapshot of both tables (a compaction moves rows from the second
# term to the first atomically).
VERSION_PARTS_SQL = ("SELECT COALESCE((SELECT compacted FROM dashboard_figures_version "
                     "WHERE id = 1), 0) AS compacted, "
                     "(SELECT COUNT(*) FROM dashboard_figures_change) AS changes")


def data_version() -> int:
    """The figures data version as this transaction sees it."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_PARTS_SQL)
        compacted, changes = cursor.fetchone()
    return int(compacted) + int(changes)


def _lookup(park: Park, period: Period, as_of):
    """(current version, uncompacted change rows, (figures, lagging) if a snapshot of that
    version is stored), in one query."""
    snapshot = FiguresSnapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.compacted, v.changes, s.data_version, s.code_version, s.figures, "
            f"s.lagging "
            f"FROM ({VERSION_PARTS_SQL}) v "
            f"LEFT JOIN {snapshot} s ON s.park_id = %s AND s.year = %s AND s.quarter = %s "
            f"AND s.as_of = %s",
            [park.pk, period.year, period.quarter,
             connection.ops.adapt_datefield_value(as_of)])
        compacted, changes, stored_version, code, figures, lagging = cursor.fetchone()
    version = int(compacted) + int(changes)
    if (stored_version is not None and int(stored_version) == version
            and code == CODE_VERSION):
        return version, int(changes), (json.loads(figures), json.loads(lagging))
    return version, int(changes), None


def _store(park: Park, period: Period, as_of, version: int, figures: dict,
           lagging: list) -> None:
    """Keep the figures of `version`, replacing the park × period's older snapshots (one
    transaction). Two requests storing the same key at once: the last one wins, which is
    safe either way, each snapshot holding data at least as new as its version."""
    with transaction.atomic():
        FiguresSnapshot.objects.filter(park=park, year=period.year,
                                       quarter=period.quarter).exclude(as_of=as_of).delete()
        FiguresSnapshot.objects.bulk_create(
            [FiguresSnapshot(park=park, year=period.year, quarter=period.quarter,
                             as_of=as_of, data_version=version, code_version=CODE_VERSION,
                             figures=json.dumps(figures, ensure_ascii=False),
                             lagging=json.dumps(lagging))],
            update_conflicts=True, unique_fields=["park", "year", "quarter", "as_of"],
            update_fields=["data_version", "code_version", "figures", "lagging",
                           "computed_at"])


def compact() -> None:
    """Fold committed change rows into the counter (PostgreSQL; the version is unchanged).

    Rows of transactions still in progress are invisible here and stay; two compactions at
    once each move only the rows they deleted."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM dashboard_figures_change RETURNING 1) "
            "UPDATE dashboard_figures_version SET compacted = compacted + "
            "(SELECT COUNT(*) FROM gone) WHERE id = 1")


def cache_key(park_id: int, period: Period, as_of, version: int) -> str:
    return (f"figures:{CODE_VERSION}:{park_id}:{period.year}:{period.quarter}:"
            f"{as_of.isoformat()}:{version}")


def dashboard_snapshot(*, park: Park, year: int, quarter: int) -> tuple[dict, list]:
    """`selectors.dashboard_json(park, year, quarter, LAGGING_LIMIT)`: the JSON-safe roll-up
    and lagging rows, from the stored snapshot when the data has not changed since."""
    period = Period(year, quarter)
    as_of = as_of_date(period)
    in_cache = getattr(settings, "FIGURES_IN_CACHE", False)
    if in_cache:
        cached = cache.get(cache_key(park.pk, period, as_of, data_version()))
        if cached is not None:
            return cached
    version, changes, stored = _lookup(park, period, as_of)
    if stored is not None:
        if in_cache:
            cache.set(cache_key(park.pk, period, as_of, version), stored)
        return stored
    figures, lagging = dashboard_json(park=park, year=year, quarter=quarter,
                                      lagging_limit=LAGGING_LIMIT)
    if figures["as_of"] == as_of.isoformat():  # not if the day turned while computing
        _store(park, period, as_of, version, figures, lagging)
        if in_cache:
            cache.set(cache_key(park.pk, period, as_of, version), (figures, lagging))
    if changes > COMPACT_AFTER:
        compact()
    return figures, lagging


def rollup_snapshot(*, park: Park, year: int, quarter: int) -> dict:
    """`selectors.rollup_as_json`, from the stored snapshot when it is current."""
    return dashboard_snapshot(park=park, year=year, quarter=quarter)[0]


# --- a region's roll-up ----------------------------------------------------------------------


def _region_version(region: Region) -> tuple[int, int, str]:
    """(figures data version, uncompacted change rows, the region's park ids as text), in
    one statement."""
    parks_sql, parks_params = (parks_in_region(region).order_by().values("id")
                               .query.sql_with_params())
    if connection.vendor == "postgresql":
        ids = (f"(SELECT string_agg(CAST(p.id AS TEXT), ',' ORDER BY p.id) "
               f"FROM ({parks_sql}) p)")
    else:
        ids = f"(SELECT group_concat(p.id, ',') FROM (SELECT id FROM ({parks_sql}) ORDER BY id) p)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.compacted, v.changes, {ids} FROM ({VERSION_PARTS_SQL}) v",
                       parks_params)
        compacted, changes, park_ids = cursor.fetchone()
    return int(compacted) + int(changes), int(changes), park_ids or ""


def region_cache_key(region: Region, period: Period, published: bool, as_of, version: int,
                     park_ids: str) -> str:
    identity = hashlib.sha256(
        f"{region.slug}\n{region.name}\n{region.level}\n{park_ids}".encode()).hexdigest()[:20]
    return (f"region-figures:{CODE_VERSION}:{region.pk}:{identity}:{period.year}:"
            f"{period.quarter}:{int(published)}:{as_of.isoformat()}:{version}")


def region_snapshot(*, region: Region, year: int, quarter: int,
                    published: bool = True) -> dict:
    """`to_jsonable(regions.region_rollup(…))`, from the cache while no data of the
    region's parks has changed (one query), else computed and stored."""
    period = Period(year, quarter)
    as_of = as_of_date(period)
    version, changes, park_ids = _region_version(region)
    key = region_cache_key(region, period, published, as_of, version, park_ids)
    cached = cache.get(key)
    if cached is not None:
        return cached
    figures = to_jsonable(region_rollup(region=region, year=year, quarter=quarter,
                                        published=published))
    if figures["as_of"] == as_of.isoformat():  # not if the day turned while computing
        # Only once committed: a transaction that wrote, read and then rolled back must not
        # leave figures of its own writes under a version another commit will reach.
        # Inside a transaction the caller may change its object before the commit: keep a
        # copy (outside one, on_commit stores at once).
        kept = copy.deepcopy(figures) if connection.in_atomic_block else figures
        transaction.on_commit(lambda: cache.set(key, kept))
    if changes > COMPACT_AFTER:
        compact()
    return figures
