"""Benchmark of the schedule import (重点项目进度表) on PostgreSQL: 2,000 projects with their
year's plans and a month (issue 14: < 10 s).

    DATABASE_URL=postgres:///pp_bench_schedule .venv/bin/python bench/schedule_bench.py \
        [--projects 2000]

The database is migrated and emptied of projects of the bench park first. Scenarios, each a
real `manage.py import_schedule` run in its own process (time includes reading the .xlsx,
checking, planning and writing with history; Django start-up excluded by timing in-process):

  first      2,000 new projects, 2,000 annual plans, 2,000 submitted reports
  reimport   the same workbook again (nothing changes, nothing written)
  next       the next month's workbook: 2,000 projects' totals and plans unchanged, 2,000 new
             reports, 累计 checked against the month before
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")


def workbook(n: int, month: int) -> bytes:
    from tests.imports import schedule_files as sf

    upper = [*sf.UPPER]
    upper[7] = f"1—{month}月完成"
    rows = [["一、续建项目"]]
    for i in range(1, n + 1):
        rows.append(sf.project(f"基准项目{i:05d}", total=f"{10000 + i:,}", planned="3000",
                               industrial="2000", month="150", cumulative=str(150 * month),
                               rate=f"{5 * month}.0%", serial=str(i)))
    return sf.schedule_xlsx(rows, upper=upper)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from parks.models import Industry, Park
    from projects.models import Project

    assert connection.vendor == "postgresql", "run it on PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    park, _ = Park.objects.get_or_create(slug="bench-schedule", defaults={"name": "基准园区"})
    Industry.objects.get_or_create(slug="other", defaults={"name": "其他"})
    projects = Project.objects.filter(park=park)
    from projects.models import AnnualPlan, ProgressReport

    ProgressReport.objects.filter(project__park=park).delete()
    AnnualPlan.objects.filter(project__park=park).delete()
    projects.delete()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, month in (("first", 1), ("reimport", 1), ("next", 2)):
            path = Path(tmp) / f"schedule-{month}.xlsx"
            if not path.exists():
                path.write_bytes(workbook(args.projects, month))
            start = time.perf_counter()
            call_command("import_schedule", str(path), "--park", park.slug, "--year", "2025",
                         "--month", str(month), "--format", "json",
                         stdout=open(os.devnull, "w"))
            elapsed = time.perf_counter() - start
            results.append((name, elapsed))
    print(f"| scenario ({args.projects:,} projects) | seconds |")
    print("|---|---|")
    for name, elapsed in results:
        print(f"| {name} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
