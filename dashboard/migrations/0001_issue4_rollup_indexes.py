"""Indexes the dashboard roll-up needs at province scale (issue 4).

PostgreSQL only: a covering index lets the one grouped scan of a year's progress reports
read the index alone (year, month, project; status and the two amounts included). The
models keep their own indexes; these live outside the model state because the dashboard
app owns no models and INCLUDE has no SQLite equivalent.
"""

from django.db import migrations

from dashboard.pg_indexes import postgres_only_indexes

INDEXES = [
    ("progress_rollup_covering",
     'CREATE INDEX IF NOT EXISTS progress_rollup_covering ON projects_progressreport '
     '(year, month, project_id) INCLUDE (status, completed_investment, fixed_asset_investment)'),
    ("visit_date_enterprise",
     'CREATE INDEX IF NOT EXISTS visit_date_enterprise ON enterprises_visit '
     '(visited_on, enterprise_id)'),
]


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("enterprises", "0002_initial"),
    ]

    operations = [postgres_only_indexes(INDEXES)]
