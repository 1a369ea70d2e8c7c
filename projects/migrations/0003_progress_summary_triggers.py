"""Keep `ProjectYearProgress` exactly in step with the progress reports, in the database.

Triggers on projects_progressreport add a report's amounts to its project × year summary
row (column completed_m<month> / fixed_m<month>) when the report counts (status submitted or
approved, as dashboard.selectors.COUNTED_STATUSES), and take them off again when it stops
counting, changes amount, moves or is deleted. Because they live in the database, every write
path is covered: the services, the admin, queryset.update(), bulk_create(), raw SQL, COPY.

- PostgreSQL: statement-level AFTER INSERT / UPDATE / DELETE triggers with transition tables.
  One statement (a COPY of 1.2 million rows, a queryset.update over a park, one save) costs one
  grouped upsert of its net change per project × year; a statement that changes no counted
  amount (e.g. the version claim of the progress service) writes nothing. AFTER TRUNCATE
  empties the summary.
- SQLite (no statement triggers): row-level triggers doing the same per row; amounts are
  rounded to 2 places after each step, SQLite keeping decimals as binary floats.

The summary rows are only ever added to by reports that count; a subtraction never creates a
row (so a project deleted through the ORM, whose summary rows may go before its reports, never
gets one back). The backfill computes the summary from the existing reports.

The status literals below are frozen here, as a migration must be;
tests/dashboard/test_summary.py checks them against COUNTED_STATUSES.
"""

from django.db import migrations

REPORT = "projects_progressreport"
SUMMARY = "projects_projectyearprogress"
COUNTED = "('submitted', 'approved')"
MONTHS = range(1, 13)
COLUMNS = [f"completed_m{m}" for m in MONTHS] + [f"fixed_m{m}" for m in MONTHS]
COLUMN_LIST = ", ".join(COLUMNS)


def pivot(prefix: str = "", completed="completed_investment", fixed="fixed_asset_investment",
          aggregate: bool = True, month="month") -> str:
    """The 24 month columns of a report (or of a grouped set of reports)."""
    parts = []
    for value, name in ((completed, "completed"), (fixed, "fixed")):
        for m in MONTHS:
            case = f"CASE WHEN {prefix}{month} = {m} THEN {prefix}{value} ELSE 0 END"
            parts.append(f"SUM({case}) AS {name}_m{m}" if aggregate else case)
    return ", ".join(parts)


def add_excluded(target: str, sign: str = "+", round_to: bool = False) -> str:
    sets = []
    for column in COLUMNS:
        expr = f"{target}.{column} {sign} excluded.{column}"
        sets.append(f"{column} = ROUND({expr}, 2)" if round_to else f"{column} = {expr}")
    return ", ".join(sets)


BACKFILL = f"""
    INSERT INTO {SUMMARY} (project_id, year, {COLUMN_LIST})
    SELECT project_id, year, {pivot()}
    FROM {REPORT} WHERE status IN {COUNTED}
    GROUP BY project_id, year
"""

# --- PostgreSQL ---------------------------------------------------------------------------

NONZERO = " OR ".join(f"d.{column} <> 0" for column in COLUMNS)
UPSERT_SET = add_excluded("s")
SUBTRACT_SET = ", ".join(f"{column} = s.{column} - d.{column}" for column in COLUMNS)

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION projects_progress_summary_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {SUMMARY} AS s (project_id, year, {COLUMN_LIST})
    SELECT d.* FROM (
      SELECT project_id, year, {pivot()} FROM new_rows
      WHERE status IN {COUNTED} GROUP BY project_id, year) d
    WHERE {NONZERO}
    ORDER BY d.project_id, d.year
    ON CONFLICT (project_id, year) DO UPDATE SET {UPSERT_SET};
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE {SUMMARY} AS s SET {SUBTRACT_SET}
    FROM (SELECT project_id, year, {pivot()} FROM old_rows
          WHERE status IN {COUNTED} GROUP BY project_id, year) d
    WHERE s.project_id = d.project_id AND s.year = d.year AND ({NONZERO});
  ELSE
    INSERT INTO {SUMMARY} AS s (project_id, year, {COLUMN_LIST})
    SELECT d.project_id, d.year, {", ".join(f"d.{c}" for c in COLUMNS)} FROM (
      SELECT project_id, year, MAX(added) AS added, {pivot()}
      FROM (SELECT project_id, year, month, completed_investment, fixed_asset_investment,
                   1 AS added
            FROM new_rows WHERE status IN {COUNTED}
            UNION ALL
            SELECT project_id, year, month, -completed_investment, -fixed_asset_investment,
                   0 AS added
            FROM old_rows WHERE status IN {COUNTED}) change
      GROUP BY project_id, year) d
    WHERE ({NONZERO})
      AND (d.added = 1 OR EXISTS (SELECT 1 FROM {SUMMARY} e
                                  WHERE e.project_id = d.project_id AND e.year = d.year))
    ORDER BY d.project_id, d.year
    ON CONFLICT (project_id, year) DO UPDATE SET {UPSERT_SET};
  END IF;
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION projects_progress_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {SUMMARY};
  RETURN NULL;
END
$$;
"""

PG_TRIGGERS = f"""
CREATE TRIGGER progress_summary_insert AFTER INSERT ON {REPORT}
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION projects_progress_summary_apply();
CREATE TRIGGER progress_summary_update AFTER UPDATE ON {REPORT}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION projects_progress_summary_apply();
CREATE TRIGGER progress_summary_delete AFTER DELETE ON {REPORT}
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION projects_progress_summary_apply();
CREATE TRIGGER progress_summary_truncate AFTER TRUNCATE ON {REPORT}
  FOR EACH STATEMENT EXECUTE FUNCTION projects_progress_summary_truncate();
"""

PG_DROP = f"""
DROP TRIGGER IF EXISTS progress_summary_insert ON {REPORT};
DROP TRIGGER IF EXISTS progress_summary_update ON {REPORT};
DROP TRIGGER IF EXISTS progress_summary_delete ON {REPORT};
DROP TRIGGER IF EXISTS progress_summary_truncate ON {REPORT};
DROP FUNCTION IF EXISTS projects_progress_summary_apply();
DROP FUNCTION IF EXISTS projects_progress_summary_truncate();
"""

# --- SQLite -------------------------------------------------------------------------------


def sqlite_values(row: str) -> str:
    return pivot(f"{row}.", aggregate=False)


SQLITE_ADD = f"""
    INSERT INTO {SUMMARY} (project_id, year, {COLUMN_LIST})
    SELECT NEW.project_id, NEW.year, {sqlite_values("NEW")}
    WHERE NEW.status IN {COUNTED}
    ON CONFLICT (project_id, year) DO UPDATE SET {add_excluded(SUMMARY, round_to=True)};
"""
SQLITE_SUBTRACT = f"""
    UPDATE {SUMMARY} SET {", ".join(
        f"{column} = ROUND({column} - ({case}), 2)"
        for column, case in zip(COLUMNS, sqlite_values("OLD").split(", "), strict=True))}
    WHERE project_id = OLD.project_id AND year = OLD.year AND OLD.status IN {COUNTED};
"""
CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (
    "project_id", "year", "month", "status", "completed_investment", "fixed_asset_investment"))

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER progress_summary_insert AFTER INSERT ON {REPORT}
        WHEN NEW.status IN {COUNTED}
        BEGIN {SQLITE_ADD} END""",
    f"""CREATE TRIGGER progress_summary_update AFTER UPDATE ON {REPORT}
        WHEN (OLD.status IN {COUNTED} OR NEW.status IN {COUNTED}) AND ({CHANGED})
        BEGIN {SQLITE_SUBTRACT} {SQLITE_ADD} END""",
    f"""CREATE TRIGGER progress_summary_delete AFTER DELETE ON {REPORT}
        WHEN OLD.status IN {COUNTED}
        BEGIN {SQLITE_SUBTRACT} END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS progress_summary_{event}"
               for event in ("insert", "update", "delete")]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No report changes between the backfill and the triggers.
        schema_editor.execute(f"LOCK TABLE {REPORT} IN SHARE MODE")
        schema_editor.execute(f"DELETE FROM {SUMMARY}")
        schema_editor.execute(BACKFILL)
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGERS)
    elif vendor == "sqlite":
        schema_editor.execute(f"DELETE FROM {SUMMARY}")
        schema_editor.execute(BACKFILL)
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)
    else:
        raise NotImplementedError(f"progress summary triggers for {vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_issue4_progress_summary"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
