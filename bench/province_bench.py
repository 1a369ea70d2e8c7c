"""Province-scale benchmark on PostgreSQL (issue 15, item 7; docs/performance.md).

    createdb pp_scale_province                       # once
    .venv/bin/python bench/province_bench.py [--database pp_scale_province] [--runs 7]
        [--parks 2000] [--park province-demo] [--region shaanxi] [--cache-url redis://…]

Data (generated when missing, with `manage.py generate_demo`; then vacuumed):
  - `--parks` small parks `province-0001` … (20 projects × 5 years each, 100 enterprises):
    2,000 parks give 40,000 projects, 2.4 M reports, 200,000 enterprises;
  - one big park `--park` (20,000 projects, 1.2 M reports, 100,000 enterprises).

Measures (median of --runs after one warm-up, one process, persistent connection):
  park computed    `selectors.dashboard_json` for the big park, 2025 Q4 (all figures and the
                   50 lagging rows, what the first view after a write computes)
  park served      `snapshots.dashboard_snapshot` with the figures unchanged: from the
                   database snapshot, and from Redis when --cache-url is given (default: the
                   local Redis if it answers)
  workbook         `exports.workbook_bytes` for the big park (every one of its projects)
  one small park   `dashboard_json` for one of the small parks
  region computed / served
                   `dashboard.selectors` or `dashboard.regions` offering a region roll-up:
                   the function is found by name (REGION_FUNCTIONS, or --region-function
                   module.name), called with region=<Region slug or object>, year, quarter
                   (published=True if it takes it, as the region dashboard asks); the small
                   parks (not the big one) are attached to --region first (a province,
                   created if missing) if `Park.region` exists and they have none. Served:
                   `dashboard.snapshots.region_snapshot` (REGION_SNAPSHOTS) with nothing
                   changed, from Redis when --cache-url answers, else the process's memory.

Results: a Markdown table on stdout and bench/results/province.json (load average before and
after, machine). Nothing is written to the data except the generated rows, the snapshots
and, once, the parks' region.
"""

import argparse
import importlib
import inspect
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

REGION_FUNCTIONS = ("region_rollup", "rollup_region", "region_figures", "region_dashboard_json",
                    "region_rollup_as_json")
REGION_SNAPSHOTS = ("region_snapshot", "region_dashboard_snapshot", "rollup_region_snapshot")


def timed(fn, runs: int, setup=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if setup:
        setup()
    fn()  # warm-up
    times, cpu, queries = [], [], 0
    for _ in range(runs):
        if setup:
            setup()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured.captured_queries)
    return {"median_ms": round(statistics.median(times), 1),
            "runs_ms": [round(t, 1) for t in times], "queries": queries,
            # this process's CPU (Python), less sensitive to a busy machine than wall time;
            # PostgreSQL's share is not in it
            "median_cpu_ms": round(statistics.median(cpu), 1)}


def find(module, names, explicit=None):
    if explicit:
        module_name, _, name = explicit.rpartition(".")
        return getattr(importlib.import_module(module_name), name)
    for name in names:
        if hasattr(module, name):
            return getattr(module, name)
    return None


def call_with(fn, **available):
    """Call `fn` with the keyword arguments it accepts among `available`."""
    params = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in available.items() if k in params})


def attach_parks(region_slug: str, prefix: str, exclude: str = "") -> object | None:
    """The Region `region_slug` (None without the model; created as a province when
    missing); the generated parks without a region (but the big park `exclude`) are
    attached to it."""
    from parks import models

    Region = getattr(models, "Region", None)
    if Region is None:
        print("parks.models has no Region: region roll-up not measured")
        return None
    region = Region.objects.filter(slug=region_slug).first()
    if region is None:
        region = Region.objects.create(slug=region_slug, name=region_slug, level="province")
    if any(f.name == "region" for f in models.Park._meta.get_fields()):
        models.Park.objects.filter(slug__startswith=prefix, region__isnull=True)\
            .exclude(slug=exclude).update(region=region)
    return region


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="pp_scale_province")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--parks", type=int, default=2000)
    parser.add_argument("--prefix", default="province", help="the small parks' slug prefix")
    parser.add_argument("--park", default="province-demo", help="the big park")
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--quarter", type=int, default=4)
    parser.add_argument("--region", default="shaanxi")
    parser.add_argument("--region-function", default=None)
    parser.add_argument("--cache-url", default=os.environ.get("CACHE_URL",
                                                              "redis://127.0.0.1:6379/0"))
    parser.add_argument("--skip-workbook", action="store_true")
    parser.add_argument("--region-only", action="store_true",
                        help="measure only the region roll-up, computed and served")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgres:///{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
    try:
        import redis
        redis.Redis.from_url(args.cache_url, socket_timeout=0.5).ping()
        os.environ["CACHE_URL"] = args.cache_url
        os.environ["CACHE_KEY_PREFIX"] = f"pp-bench-{os.getpid()}"
    except Exception:  # noqa: BLE001 - no Redis: the database snapshot only
        os.environ.pop("CACHE_URL", None)
    import django

    django.setup()
    from dashboard_bench import machine
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from dashboard import exports, selectors, snapshots
    from dashboard.models import FiguresSnapshot
    from parks.models import Park
    from projects.models import ProgressReport, Project

    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    generated = False
    if not Park.objects.filter(slug__startswith=f"{args.prefix}-").exists():
        call_command("generate_demo", park=args.prefix, parks=args.parks)
        generated = True
    if not Park.objects.filter(slug=args.park).exists():
        call_command("generate_demo", park=args.park)
        generated = True
    if generated:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (FULL, ANALYZE) projects_projectyearprogress")
            for table in ("projects_project", "projects_annualplan", "projects_progressreport",
                          "enterprises_enterprise", "enterprises_visit", "enterprises_demand"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    big = Park.objects.get(slug=args.park)
    small = Park.objects.filter(slug__startswith=f"{args.prefix}-").order_by("slug").first()
    year = args.year or ProgressReport.objects.filter(project__park=big).latest("year").year
    period = {"year": year, "quarter": args.quarter}
    data = {"parks": Park.objects.count(),
            "projects": Project.objects.count(),
            "reports": ProgressReport.objects.count(),
            "big park projects": big.projects.count()}
    results = {}

    def drop_snapshots():
        FiguresSnapshot.objects.all().delete()

    if not args.region_only:
        results["park computed (20,000 projects)"] = timed(
            lambda: selectors.dashboard_json(park=big, lagging_limit=snapshots.LAGGING_LIMIT,
                                             **period), args.runs)
        with settings_override(settings, FIGURES_IN_CACHE=False):
            results["park served, database snapshot"] = timed(
                lambda: snapshots.dashboard_snapshot(park=big, **period), args.runs)
        if os.environ.get("CACHE_URL"):
            with settings_override(settings, FIGURES_IN_CACHE=True):
                results["park served, Redis"] = timed(
                    lambda: snapshots.dashboard_snapshot(park=big, **period), args.runs)
        results["one small park computed (20 projects)"] = timed(
            lambda: selectors.dashboard_json(park=small, lagging_limit=snapshots.LAGGING_LIMIT,
                                             **period), args.runs)
        if not args.skip_workbook:
            results["workbook (20,000 projects)"] = timed(
                lambda: exports.workbook_bytes(park=big, **period), max(3, args.runs // 2))

    region_fn = find(selectors, REGION_FUNCTIONS, args.region_function)
    if region_fn is None:  # the regions merge keeps the roll-up in dashboard.regions
        try:
            region_fn = find(importlib.import_module("dashboard.regions"), REGION_FUNCTIONS)
        except ImportError:
            region_fn = None
    region = (attach_parks(args.region, f"{args.prefix}-", exclude=args.park)
              if region_fn else None)
    if region_fn is None:
        print("dashboard.selectors offers no region roll-up "
              f"({', '.join(REGION_FUNCTIONS)}): province figures not measured")
    elif region is not None:
        for key in ("region", "region_slug"):
            if key in inspect.signature(region_fn).parameters:
                argument = {key: region if key == "region" else region.slug}
                break
        else:
            argument = {"region": region}
        # published=True where accepted: what the region dashboard and the API ask for.
        results[f"region computed ({region_fn.__name__})"] = timed(
            lambda: call_with(region_fn, **argument, **period, published=True), args.runs)
        region_snapshot = find(snapshots, REGION_SNAPSHOTS)
        if region_snapshot is not None:
            results[f"region served ({region_snapshot.__name__}, "
                    f"{'Redis' if os.environ.get('CACHE_URL') else 'process memory'})"] = timed(
                lambda: call_with(region_snapshot, **argument, **period, published=True),
                args.runs)
    drop_snapshots()
    if os.environ.get("CACHE_URL"):
        client = redis.Redis.from_url(os.environ["CACHE_URL"])
        for key in client.scan_iter(os.environ["CACHE_KEY_PREFIX"] + ":*"):
            client.delete(key)

    load_after = os.getloadavg()
    report = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "period": period,
              "data": data, "machine": machine(),
              "loadavg_before": [round(x, 2) for x in load_before],
              "loadavg_after": [round(x, 2) for x in load_after],
              "cache": os.environ.get("CACHE_URL", "none"), "results": results}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "province-region.json" if args.region_only else "province.json"
    (out / name).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"data: {data}; load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    print("| measure | median ms | runs ms | Python CPU ms | SQL queries |\n"
          "|---|---:|---|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['median_ms']:,} | {', '.join(f'{t:.0f}' for t in r['runs_ms'])}"
              f" | {r['median_cpu_ms']:,} | {r['queries']} |")


class settings_override:
    """Set attributes of the live settings for a block (the bench is not a test)."""

    def __init__(self, settings, **values):
        self.settings, self.values, self.saved = settings, values, {}

    def __enter__(self):
        for key, value in self.values.items():
            self.saved[key] = getattr(self.settings, key, None)
            setattr(self.settings, key, value)

    def __exit__(self, *exc):
        for key, value in self.saved.items():
            setattr(self.settings, key, value)


if __name__ == "__main__":
    main()
