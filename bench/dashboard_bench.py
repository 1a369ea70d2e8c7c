"""Benchmark of the leader dashboard on PostgreSQL at province scale.

    createdb pp_bench_dashboard            # once
    .venv/bin/python bench/dashboard_bench.py [--runs 7] [--database pp_bench_dashboard]
                                           [--projects 20000 --enterprises 100000 --years 5]

It migrates the database, generates the synthetic park with `manage.py generate_demo` when it
is missing (about 1.5 minutes on 2 cores; then vacuums the tables the dashboard reads, see
below), then measures, median of --runs after one warm-up:

  view       GET /dashboard/?park=…&year=…&quarter=4 as a leader (whole request: session,
             auth, every query, template), through Django's test client; the figures
             unchanged since the previous view, so served from their snapshot
             (dashboard/snapshots.py) - what a leader's view costs while nobody writes
  view, figures computed
             the same right after the figures changed (the snapshot is deleted before each
             run, untimed): the roll-up computed in full, as the first view after a write
  json, json, figures computed
             the same two with format=json
  xlsx       GET /dashboard/export.xlsx (the workbook with every planned project)
  raw-sql    the same figures (roll-up, light counts and the 50 worst lagging projects)
             computed by hand-written SQL statements over one connection, the same way as
             the dashboard (report-derived figures from the per-project-year summary)
  raw-sql from reports
             the same, grouping the year's progress reports directly (before the summary)
  one-query  the per-month × industry roll-up: raw SQL from the summary, raw SQL from the
             reports, and the ORM (`selectors.progress_rows`, from the summary)

Before timing it checks that the summary and the reports give the same figures.

Results are printed as a Markdown table and written to bench/results/dashboard.json.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RAW_SQL = {
    "projects": """
        SELECT COUNT(p.id), COALESCE(SUM(p.total_investment), 0),
               COUNT(p.id) FILTER (WHERE p.is_major AND p.stage = 'preliminary'),
               COALESCE(SUM(p.total_investment) FILTER (WHERE p.is_major
                        AND p.stage = 'preliminary'), 0),
               COUNT(p.id) FILTER (WHERE p.preliminary_done AND p.preliminary_done_on
                        BETWEEN %(year_start)s AND %(end)s),
               COUNT(p.id) FILTER (WHERE p.actual_start BETWEEN %(q_start)s AND %(end)s),
               COUNT(p.id) FILTER (WHERE p.actual_start < %(year_start)s AND
                        (p.actual_completion IS NULL OR p.actual_completion > %(end)s)),
               COUNT(p.id) FILTER (WHERE p.is_major), p.stage
        FROM projects_project p JOIN projects_annualplan a ON a.project_id = p.id
        WHERE p.park_id = %(park)s AND a.year = %(year)s GROUP BY p.stage""",
    "plans_by_industry": """
        SELECT p.industry_id, COUNT(*), SUM(a.planned_investment), SUM(a.industrial_investment)
        FROM projects_annualplan a JOIN projects_project p ON p.id = a.project_id
        WHERE p.park_id = %(park)s AND a.year = %(year)s GROUP BY p.industry_id""",
    "progress_by_month_industry": """
        SELECT r.month, p.industry_id, p.is_industrial, SUM(r.completed_investment),
               SUM(r.fixed_asset_investment)
        FROM projects_progressreport r JOIN projects_project p ON p.id = r.project_id
        WHERE p.park_id = %(park)s AND r.year = %(year)s AND r.month <= %(month)s
          AND r.status IN ('submitted', 'approved')
        GROUP BY r.month, p.industry_id, p.is_industrial""",
    "enterprises": """
        SELECT COUNT(*) FILTER (WHERE introduced_year = %(year)s),
               COUNT(*) FILTER (WHERE relation IN ('resident', 'managed')
                   AND (settled_on IS NULL OR settled_on <= %(end)s)
                   AND (left_on IS NULL OR left_on > %(end)s)),
               COUNT(*) FILTER (WHERE relation IN ('resident', 'managed')
                   AND (settled_on IS NULL OR settled_on <= %(end)s)
                   AND (left_on IS NULL OR left_on > %(end)s)
                   AND id IN (SELECT enterprise_id FROM enterprises_visit
                              WHERE visited_on > %(end)s::date - 7 AND visited_on <= %(end)s))
        FROM enterprises_enterprise WHERE park_id = %(park)s""",
    "talents": """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE degree = 'phd') FROM talent_talentintroduction
        WHERE park_id = %(park)s AND introduced_on BETWEEN %(year_start)s AND %(end)s""",
    "partners_centers_targets": """
        SELECT (SELECT COUNT(*) FROM talent_partnerorganization WHERE park_id = %(park)s
                  AND (joined_on IS NULL OR joined_on <= %(end)s)),
               (SELECT COUNT(*) FROM talent_innovationcenter WHERE park_id = %(park)s
                  AND (established_on IS NULL OR established_on <= %(end)s)),
               (SELECT annual_investment FROM parks_parkannualtarget
                  WHERE park_id = %(park)s AND year = %(year)s)""",
    "demands": """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE d.due_on < %(end)s)
        FROM enterprises_demand d JOIN enterprises_enterprise e ON e.id = d.enterprise_id
        WHERE e.park_id = %(park)s AND d.created_at < %(end)s::date + 1 AND
              (d.resolved_at IS NULL OR d.resolved_at >= %(end)s::date + 1)""",
    "lights_and_lagging": """
        WITH per AS (
          SELECT p.id, p.code, p.name, a.planned_investment AS planned,
                 COALESCE(r.completed, 0) AS completed,
                 CASE WHEN p.stage = 'cancelled' THEN 'none'
                      WHEN p.stage IN ('completed', 'operating') THEN 'green'
                      WHEN p.planned_start <= %(not_started_by)s AND (p.actual_start IS NULL
                           OR p.actual_start > %(end)s) THEN 'red'
                      WHEN a.planned_investment = 0 THEN 'green'
                      WHEN 100 * (%(month)s * a.planned_investment - 12 * COALESCE(r.completed, 0))
                           > 360 * a.planned_investment THEN 'red'
                      WHEN 100 * (%(month)s * a.planned_investment - 12 * COALESCE(r.completed, 0))
                           >= 120 * a.planned_investment THEN 'yellow'
                      ELSE 'green' END AS light
          FROM projects_project p
          JOIN projects_annualplan a ON a.project_id = p.id AND a.year = %(year)s
          LEFT JOIN (SELECT project_id, SUM(completed_investment) AS completed
                     FROM projects_progressreport
                     WHERE year = %(year)s AND month <= %(month)s
                       AND status IN ('submitted', 'approved')
                     GROUP BY project_id) r ON r.project_id = p.id
          WHERE p.park_id = %(park)s)
        SELECT *, COUNT(*) FILTER (WHERE light = 'red') OVER (),
               COUNT(*) FILTER (WHERE light = 'yellow') OVER (),
               COUNT(*) FILTER (WHERE light = 'green') OVER ()
        FROM per ORDER BY CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END,
                 completed / NULLIF(planned, 0), code
        LIMIT 50""",
}


# The same two report-derived statements, reading the per-project-year summary
# (ProjectYearProgress) as the dashboard does since the summary was added: months 1 .. M.
def summary_sql(months: int) -> dict:
    completed = [f"s.completed_m{m}" for m in range(1, months + 1)]
    fixed = [f"s.fixed_m{m}" for m in range(1, months + 1)]
    ytd = " + ".join(completed)
    by_group = f"""
        SELECT p.industry_id, p.is_industrial, {", ".join(f"SUM({c})" for c in completed)},
               {", ".join(f"SUM({c})" for c in fixed)}
        FROM projects_projectyearprogress s JOIN projects_project p ON p.id = s.project_id
        WHERE p.park_id = %(park)s AND s.year = %(year)s
        GROUP BY p.industry_id, p.is_industrial"""
    # As selectors._light_sql computes it: the twelve-month sum once per project (fenced),
    # the light in BIGINT cents (exact), each light computed once (MATERIALIZED), the counts
    # from one aggregate over it and the 50 worst by a top-N sort (no window over all rows).
    lights = f"""
        WITH per AS MATERIALIZED (
          SELECT b.id, b.code, b.name, b.planned, b.completed,
                 CASE WHEN b.stage = 'cancelled' THEN 'none'
                      WHEN b.stage IN ('completed', 'operating') THEN 'green'
                      WHEN b.planned_start <= %(not_started_by)s AND (b.actual_start IS NULL
                           OR b.actual_start > %(end)s) THEN 'red'
                      WHEN b.planned_c = 0 THEN 'green'
                      WHEN 100 * (%(month)s * b.planned_c - 12 * b.completed_c)
                           > 360 * b.planned_c THEN 'red'
                      WHEN 100 * (%(month)s * b.planned_c - 12 * b.completed_c)
                           >= 120 * b.planned_c THEN 'yellow'
                      ELSE 'green' END AS light,
                 CASE WHEN b.planned_c = 0 THEN NULL
                      ELSE b.completed_c::float8 / b.planned_c::float8 END AS ratio
          FROM (SELECT p.id, p.code, p.name, p.stage, p.planned_start, p.actual_start,
                       a.planned_investment AS planned, COALESCE(r.completed, 0) AS completed,
                       (a.planned_investment * 100)::bigint AS planned_c,
                       (COALESCE(r.completed, 0) * 100)::bigint AS completed_c
                FROM projects_project p
                JOIN projects_annualplan a ON a.project_id = p.id AND a.year = %(year)s
                LEFT JOIN (SELECT project_id, {ytd} AS completed
                           FROM projects_projectyearprogress s WHERE year = %(year)s OFFSET 0) r
                  ON r.project_id = p.id
                WHERE p.park_id = %(park)s OFFSET 0) b)
        SELECT per.id, per.code, per.name, per.planned, per.completed, per.light,
               c.n_red, c.n_yellow, c.n_green
        FROM per, (SELECT COUNT(*) FILTER (WHERE light = 'red') AS n_red,
                          COUNT(*) FILTER (WHERE light = 'yellow') AS n_yellow,
                          COUNT(*) FILTER (WHERE light = 'green') AS n_green FROM per) c
        ORDER BY CASE per.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END,
                 per.ratio, per.code
        LIMIT 50"""
    assert "progressreport" not in lights
    # As selectors.enterprise_figures: two index-only scans in enterprise id order, merged.
    enterprises = RAW_SQL["enterprises"].replace(
        """COUNT(*) FILTER (WHERE relation IN ('resident', 'managed')
                   AND (settled_on IS NULL OR settled_on <= %(end)s)
                   AND (left_on IS NULL OR left_on > %(end)s)
                   AND id IN (SELECT enterprise_id FROM enterprises_visit
                              WHERE visited_on > %(end)s::date - 7 AND visited_on <= %(end)s))
        FROM enterprises_enterprise WHERE park_id = %(park)s""",
        """COUNT(v.enterprise_id) FILTER (WHERE relation IN ('resident', 'managed')
                   AND (settled_on IS NULL OR settled_on <= %(end)s)
                   AND (left_on IS NULL OR left_on > %(end)s))
        FROM enterprises_enterprise e
        LEFT JOIN (SELECT DISTINCT enterprise_id FROM enterprises_visit
                   WHERE visited_on > %(end)s::date - 7 AND visited_on <= %(end)s
                   ORDER BY enterprise_id) v ON v.enterprise_id = e.id
        WHERE e.park_id = %(park)s""")
    assert "LEFT JOIN" in enterprises
    return {**RAW_SQL, "progress_by_month_industry": by_group, "lights_and_lagging": lights,
            "enterprises": enterprises}


def median_ms(fn, runs: int, setup=None) -> tuple[float, list[float], int]:
    """Median wall time of `fn` over `runs` runs after one warm-up, the times, and the SQL
    queries of the last run; `setup` runs untimed before each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if setup:
        setup()
    fn()  # warm-up
    times = []
    for _ in range(runs):
        if setup:
            setup()
        connection.queries_log.clear()  # a full log (9,000 entries) would miscount
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times, len(captured.captured_queries)


def machine() -> dict:
    def run(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": run("nproc"), "cpu": cpu, "loadavg": " ".join(
                f"{x:.2f}" for x in os.getloadavg()),
            "memory": run("free", "-h").splitlines()[1] if run("free", "-h") else "",
            "postgresql": run("psql", "-At", "-c", "SHOW server_version"),
            "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="pp_bench_dashboard")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--park", default="province-demo")
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--year", type=int, default=None, help="default: last generated year")
    parser.add_argument("--quarter", type=int, default=4)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgres:///{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings")
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from dashboard.models import FiguresSnapshot
    from dashboard.selectors import as_of_date, park_rollup
    from parkportal.periods import Period, months_before
    from parkportal.roles import LEADER
    from parks.models import Park, ParkMember
    from projects.models import ProgressReport, ProjectYearProgress

    call_command("migrate", verbosity=0)
    park = Park.objects.filter(slug=args.park).first()
    if park is None:
        call_command("generate_demo", park=args.park, projects=args.projects,
                     enterprises=args.enterprises, years=args.years)
        park = Park.objects.get(slug=args.park)
        # After the bulk load: the summary's trigger upserts (one per COPY batch) leave its
        # table ≈ 3 × its size (61 MB instead of 16 MB at 100,000 rows), and index-only scans
        # need the visibility map. A steady-state park has autovacuum for both.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (FULL, ANALYZE) projects_projectyearprogress")
            for table in ("projects_project", "projects_annualplan", "enterprises_enterprise",
                          "enterprises_visit", "enterprises_demand"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    year = args.year or ProgressReport.objects.filter(project__park=park).latest("year").year
    period = Period(year, args.quarter)
    counts = {
        "projects": park.projects.count(),
        "reports": ProgressReport.objects.filter(project__park=park).count(),
        "summary rows": ProjectYearProgress.objects.filter(project__park=park).count(),
        "enterprises": park.enterprises.count(),
    }

    leader, _ = User.objects.get_or_create(username="bench-leader")
    leader.groups.add(Group.objects.get_or_create(name=LEADER)[0])
    ParkMember.objects.get_or_create(user=leader, defaults={"park": park})
    client = Client()
    client.force_login(leader)
    query = {"park": park.slug, "year": year, "quarter": args.quarter}

    def get(path, **extra):
        response = client.get(path, {**query, **extra}, secure=True)
        assert response.status_code == 200, response.status_code
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    params = {"park": park.pk, "year": year, "month": period.last_month,
              "year_start": period.year_start, "q_start": period.quarter_start,
              "end": period.end, "not_started_by": months_before(as_of_date(period), 3)}

    from_summary = summary_sql(period.last_month)

    def run_all(statements):
        with connection.cursor() as cursor:
            for sql in statements.values():
                cursor.execute(sql, params)
                cursor.fetchall()

    def run_one(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Both ways give the same figures (the summary is in step with the reports).
    expected = {}
    for month, industry, industrial, completed, fixed in run_one(
            RAW_SQL["progress_by_month_industry"]):
        expected[(month, industry, industrial)] = (completed, fixed)
    got = {}
    m = period.last_month
    for row in run_one(from_summary["progress_by_month_industry"]):
        for month in range(1, m + 1):
            if row[1 + month] or row[1 + m + month]:
                got[(month, row[0], row[1])] = (row[1 + month], row[1 + m + month])
    assert got == {k: v for k, v in expected.items() if any(v)}, "summary out of step"
    assert (run_one(from_summary["lights_and_lagging"])
            == run_one(RAW_SQL["lights_and_lagging"])), "lights differ"

    def one_query_orm():
        from dashboard.selectors import progress_rows
        progress_rows(park, period)

    def forget_snapshots():
        FiguresSnapshot.objects.all().delete()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = {}
    for name, fn, setup in (
            ("view", lambda: get("/dashboard/"), None),
            ("view, figures computed", lambda: get("/dashboard/"), forget_snapshots),
            ("json", lambda: get("/dashboard/", format="json"), None),
            ("json, figures computed", lambda: get("/dashboard/", format="json"),
             forget_snapshots),
            ("xlsx", lambda: get("/dashboard/export.xlsx"), None),
            ("raw-sql", lambda: run_all(from_summary), None),
            ("raw-sql from reports", lambda: run_all(RAW_SQL), None),
            ("one-query raw SQL", lambda: run_one(
                from_summary["progress_by_month_industry"]), None),
            ("one-query raw SQL from reports", lambda: run_one(
                RAW_SQL["progress_by_month_industry"]), None),
            ("one-query ORM", one_query_orm, None)):
        median, times, queries = median_ms(fn, args.runs, setup)
        results[name] = {"median_ms": round(median, 1),
                         "runs_ms": [round(t, 1) for t in times], "queries": queries}
    ratio = results["view"]["median_ms"] / results["raw-sql"]["median_ms"]
    computed_ratio = (results["view, figures computed"]["median_ms"]
                      / results["raw-sql"]["median_ms"])
    load_after = os.getloadavg()
    report = {"machine": {**machine(), "loadavg_before": load_before,
                          "loadavg_after": " ".join(f"{x:.2f}" for x in load_after)},
              "data": counts, "period": f"{year} Q{args.quarter}",
              "results": results, "view_over_raw_sql": round(ratio, 2),
              "computed_view_over_raw_sql": round(computed_ratio, 2),
              "rollup_projects_planned": park_rollup(park=park, year=year,
                                                     quarter=args.quarter)["projects_planned"]}
    out = ROOT / "bench" / "results" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"data: {counts}, period {year} Q{args.quarter}, {args.runs} runs")
    print("| measure | median (ms) | queries |\n|---|---:|---:|")
    for name, row in results.items():
        print(f"| {name} | {row['median_ms']} | {row['queries']} |")
    print(f"view ÷ raw SQL: {ratio:.2f}; view with figures computed ÷ raw SQL: "
          f"{computed_ratio:.2f}; load average before {load_before}, after "
          f"{report['machine']['loadavg_after']}")


if __name__ == "__main__":
    main()
