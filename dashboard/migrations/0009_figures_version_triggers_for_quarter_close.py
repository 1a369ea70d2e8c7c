"""A region's stored roll-up (snapshots.region_snapshot) counts each closed park with the
figures it published: closing, reopening or editing a quarter close changes the region's
figures, so `parks_quarterclose` bumps the figures data version too (see
0004_figures_version_triggers)."""

import importlib

from django.db import migrations

base = importlib.import_module("dashboard.migrations.0004_figures_version_triggers")

FED_TABLES = ("parks_quarterclose",)
OPERATIONS = base.OPERATIONS

PG_CREATE = [
    f"CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION dashboard_figures_changed()"
    for table in FED_TABLES
]
PG_DROP = [f"DROP TRIGGER IF EXISTS figures_changed ON {table}" for table in FED_TABLES]
SQLITE_CREATE = [
    f"CREATE TRIGGER figures_changed_{table}_{op} AFTER {op.upper()} ON {table} BEGIN "
    "UPDATE dashboard_figures_version SET compacted = compacted + 1 WHERE id = 1; END"
    for table in FED_TABLES for op in OPERATIONS
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS figures_changed_{table}_{op}"
               for table in FED_TABLES for op in OPERATIONS]


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0008_project_year_fact_triggers"),
        ("parks", "0006_regions_above_parks_and_region_members"),
    ]

    operations = [
        migrations.RunPython(
            base._run({"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}),
            base._run({"postgresql": PG_DROP, "sqlite": SQLITE_DROP}),
            elidable=False),
    ]
