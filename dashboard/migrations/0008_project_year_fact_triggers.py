"""Keep `dashboard_projectyearfact` exactly in step with projects, plans and the progress
summary, in the database (as projects 0003 keeps the summary in step with the reports).

A fact row exists for every annual plan (project × year) and is recomputed from its sources
whenever one of them changes:
- projects_annualplan: insert, update, delete (the plan's key, old and new);
- projects_project: update of code, park, stage, planned or actual start (every plan year of
  the project); a project is deleted only after its plans, whose trigger removes the rows;
- projects_projectyearprogress: insert, update, delete (itself kept by the report triggers,
  so every report write path reaches the fact row).

The recomputation is one statement over the keys touched: plans joined to their project and
summary row, upserted; keys without a plan any more are deleted. PostgreSQL: statement-level
triggers with transition tables (a COPY of 100,000 plans is one upsert); keys travel as
project_id * 10000 + year. SQLite: row-level triggers doing the same per row.

The plan status literal is frozen here, as a migration must be; tests/dashboard/
test_project_year_fact.py checks it against parks.models.PlanStatus.CONFIRMED.
The fact table also bumps the figures data version (0004), like every table the figures read.
"""

import importlib

from django.db import migrations

version = importlib.import_module("dashboard.migrations.0004_figures_version_triggers")

FACT = "dashboard_projectyearfact"
PLAN = "projects_annualplan"
PROJECT = "projects_project"
SUMMARY = "projects_projectyearprogress"
CONFIRMED = "'confirmed'"
FED_TABLES = (FACT,)
COLUMNS = ("project_id, park_id, year, code, stage, planned_start, actual_start, published, "
           "is_split, planned_cents, plan_to_q1_cents, plan_to_q2_cents, plan_to_q3_cents, "
           "plan_to_q4_cents, done_to_q1_cents, done_to_q2_cents, done_to_q3_cents, "
           "done_to_q4_cents")
UPDATED = [c.strip() for c in COLUMNS.split(",")][2:]


def cents(expr: str, postgres: bool) -> str:
    if postgres:
        return f"CAST(({expr}) * 100 AS BIGINT)"
    return f"CAST(ROUND(({expr}) * 100) AS INTEGER)"


def select_sql(postgres: bool) -> str:
    """The fact rows of plans `a` (the caller adds FROM filters after `WHERE 1 = 1`)."""
    true, false = ("TRUE", "FALSE") if postgres else ("1", "0")
    split = " + ".join(f"a.q{q}_planned" for q in range(1, 5)) + " > 0"
    plan_to = [cents(f"CASE WHEN {split} THEN "
                     + " + ".join(f"a.q{k}_planned" for k in range(1, q + 1))
                     + " ELSE 0 END", postgres) for q in range(1, 5)]
    done_to = [cents("COALESCE(" + " + ".join(f"s.completed_m{m}" for m in range(1, 3 * q + 1))
                     + ", 0)", postgres) for q in range(1, 5)]
    return (f"SELECT a.project_id, p.park_id, a.year, p.code, p.stage, p.planned_start, "
            f"p.actual_start, CASE WHEN a.status = {CONFIRMED} THEN {true} ELSE {false} END, "
            f"CASE WHEN {split} THEN {true} ELSE {false} END, "
            f"{cents('a.planned_investment', postgres)}, {', '.join(plan_to)}, "
            f"{', '.join(done_to)} "
            f"FROM {PLAN} a JOIN {PROJECT} p ON p.id = a.project_id "
            f"LEFT JOIN {SUMMARY} s ON s.project_id = a.project_id AND s.year = a.year "
            f"WHERE 1 = 1")


BACKFILL_PG = f"INSERT INTO {FACT} ({COLUMNS}) {select_sql(True)}"
BACKFILL_SQLITE = f"INSERT INTO {FACT} ({COLUMNS}) {select_sql(False)}"

# --- PostgreSQL ---------------------------------------------------------------------------

PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION dashboard_fact_refresh(keys BIGINT[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF keys IS NULL OR cardinality(keys) = 0 THEN
    RETURN;
  END IF;
  INSERT INTO {FACT} AS f ({COLUMNS})
  {select_sql(True)}
    AND (a.project_id, a.year) IN (SELECT DISTINCT k / 10000, CAST(MOD(k, 10000) AS INTEGER)
                                   FROM unnest(keys) k)
  ORDER BY a.project_id, a.year
  ON CONFLICT (project_id, year) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in UPDATED)};
  DELETE FROM {FACT} f
  USING (SELECT DISTINCT k / 10000 AS project_id, CAST(MOD(k, 10000) AS INTEGER) AS year
         FROM unnest(keys) k) d
  WHERE f.project_id = d.project_id AND f.year = d.year
    AND NOT EXISTS (SELECT 1 FROM {PLAN} a
                    WHERE a.project_id = d.project_id AND a.year = d.year);
END
$$;

CREATE OR REPLACE FUNCTION dashboard_fact_from_keyed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM dashboard_fact_refresh(ARRAY(SELECT project_id * 10000 + year FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM dashboard_fact_refresh(ARRAY(SELECT project_id * 10000 + year FROM old_rows));
  ELSE
    PERFORM dashboard_fact_refresh(ARRAY(
      SELECT project_id * 10000 + year FROM new_rows
      UNION SELECT project_id * 10000 + year FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION dashboard_fact_from_projects() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dashboard_fact_refresh(ARRAY(
    SELECT a.project_id * 10000 + a.year FROM {PLAN} a
    WHERE a.project_id IN (
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.code, n.park_id, n.stage, n.planned_start, n.actual_start)
            IS DISTINCT FROM (o.code, o.park_id, o.stage, o.planned_start, o.actual_start))));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION dashboard_fact_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {FACT};
  RETURN NULL;
END
$$;
"""


def pg_triggers() -> list[str]:
    sql = []
    for table in (PLAN, SUMMARY):
        sql += [
            f"CREATE TRIGGER fact_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS "
            f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_fact_from_keyed()",
            f"CREATE TRIGGER fact_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS "
            f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
            f"dashboard_fact_from_keyed()",
            f"CREATE TRIGGER fact_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS "
            f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_fact_from_keyed()",
        ]
    sql += [
        f"CREATE TRIGGER fact_update AFTER UPDATE ON {PROJECT} REFERENCING OLD TABLE AS "
        f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
        f"dashboard_fact_from_projects()",
        f"CREATE TRIGGER fact_truncate AFTER TRUNCATE ON {PLAN} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION dashboard_fact_truncate()",
        f"CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {FACT} "
        "FOR EACH STATEMENT EXECUTE FUNCTION dashboard_figures_changed()",
    ]
    return sql


PG_DROP = [f"DROP TRIGGER IF EXISTS {name} ON {table}"
           for table in (PLAN, SUMMARY) for name in ("fact_insert", "fact_update", "fact_delete")]
PG_DROP += [f"DROP TRIGGER IF EXISTS fact_update ON {PROJECT}",
            f"DROP TRIGGER IF EXISTS fact_truncate ON {PLAN}",
            f"DROP TRIGGER IF EXISTS figures_changed ON {FACT}",
            "DROP FUNCTION IF EXISTS dashboard_fact_from_keyed()",
            "DROP FUNCTION IF EXISTS dashboard_fact_from_projects()",
            "DROP FUNCTION IF EXISTS dashboard_fact_truncate()",
            "DROP FUNCTION IF EXISTS dashboard_fact_refresh(BIGINT[])"]

# --- SQLite -------------------------------------------------------------------------------


def sqlite_refresh(project: str, year: str | None) -> str:
    """Recompute the fact rows of one project (and year), as statements for a trigger body."""
    key = f"project_id = {project}" + (f" AND year = {year}" if year else "")
    plan_key = f"a.project_id = {project}" + (f" AND a.year = {year}" if year else "")
    return (f"DELETE FROM {FACT} WHERE {key}; "
            f"INSERT INTO {FACT} ({COLUMNS}) {select_sql(False)} AND {plan_key};")


CHANGED_PROJECT = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (
    "code", "park_id", "stage", "planned_start", "actual_start"))


def sqlite_triggers() -> list[str]:
    sql = []
    for table, name in ((PLAN, "plan"), (SUMMARY, "summary")):
        sql += [
            f"CREATE TRIGGER fact_{name}_insert AFTER INSERT ON {table} BEGIN "
            f"{sqlite_refresh('NEW.project_id', 'NEW.year')} END",
            f"CREATE TRIGGER fact_{name}_update AFTER UPDATE ON {table} BEGIN "
            f"{sqlite_refresh('OLD.project_id', 'OLD.year')} "
            f"{sqlite_refresh('NEW.project_id', 'NEW.year')} END",
            f"CREATE TRIGGER fact_{name}_delete AFTER DELETE ON {table} BEGIN "
            f"{sqlite_refresh('OLD.project_id', 'OLD.year')} END",
        ]
    sql.append(f"CREATE TRIGGER fact_project_update AFTER UPDATE ON {PROJECT} "
               f"WHEN {CHANGED_PROJECT} BEGIN {sqlite_refresh('NEW.id', None)} END")
    sql += [f"CREATE TRIGGER figures_changed_{FACT}_{op} AFTER {op.upper()} ON {FACT} BEGIN "
            "UPDATE dashboard_figures_version SET compacted = compacted + 1 WHERE id = 1; END"
            for op in version.OPERATIONS]
    return sql


SQLITE_DROP = [f"DROP TRIGGER IF EXISTS fact_{name}_{op}" for name in ("plan", "summary")
               for op in ("insert", "update", "delete")]
SQLITE_DROP += ["DROP TRIGGER IF EXISTS fact_project_update"]
SQLITE_DROP += [f"DROP TRIGGER IF EXISTS figures_changed_{FACT}_{op}"
                for op in version.OPERATIONS]


def install(schema_editor) -> None:
    """Backfill and create the triggers (also used by a later migration that rebuilds one
    of the source tables on SQLite, which drops its triggers)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in (PLAN, PROJECT, SUMMARY):
            schema_editor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        schema_editor.execute(f"DELETE FROM {FACT}")
        schema_editor.execute(BACKFILL_PG)
        schema_editor.execute(PG_FUNCTIONS)
        for sql in pg_triggers():
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)
        schema_editor.execute(f"DELETE FROM {FACT}")
        schema_editor.execute(BACKFILL_SQLITE)
        for sql in sqlite_triggers():
            schema_editor.execute(sql)
    else:
        raise NotImplementedError(f"project-year fact triggers for {vendor}")


def forwards(apps, schema_editor):
    install(schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in PG_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0007_project_year_fact"),
        ("projects", "0008_lead_pipeline_stage_dates_and_clock"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
