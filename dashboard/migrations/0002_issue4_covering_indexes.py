"""Covering indexes for the dashboard's remaining scans at province scale (issue 4).

PostgreSQL only, like 0001 (INCLUDE has no SQLite equivalent):

- the year's annual plans are read by (year, project) with both amounts included, so the
  light statement and the per-industry plan sums join them from an index-only scan;
- the park's enterprises are read by (park, id), in id order, with the relation, dates and
  year the served, introduced and visit-coverage figures test, so the enterprise figures
  merge-join the window's visited ids (read in the same order from visit_enterprise_date)
  and the open demands join their park without reading the 100,000-row table itself.
"""

from django.db import migrations

from dashboard.pg_indexes import postgres_only_indexes

INDEXES = [
    ("annual_plan_year_covering",
     "CREATE INDEX IF NOT EXISTS annual_plan_year_covering ON projects_annualplan "
     "(year, project_id) INCLUDE (planned_investment, industrial_investment)"),
    ("enterprise_park_covering",
     "CREATE INDEX IF NOT EXISTS enterprise_park_covering ON enterprises_enterprise "
     "(park_id, id) INCLUDE (relation, settled_on, left_on, introduced_year)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_issue4_rollup_indexes"),
        ("projects", "0004_issue4_list_indexes"),
        ("enterprises", "0003_issue4_list_indexes"),
    ]

    operations = [postgres_only_indexes(INDEXES)]
