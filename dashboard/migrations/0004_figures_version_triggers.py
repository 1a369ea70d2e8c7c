"""The figures data version: a number that changes whenever data the roll-up reads changes.

dashboard/snapshots.py keeps a park's computed roll-up while this version is unchanged. The
version is bumped by triggers on every table the roll-up reads (FED_TABLES below; a test
checks the list against the tables the roll-up's queries name), so every write path counts:
the services, the admin, queryset.update(), bulk_create(), imports, raw SQL, COPY.

- PostgreSQL: a statement-level AFTER INSERT / UPDATE / DELETE / TRUNCATE trigger on each
  table appends one row to dashboard_figures_change. Appending takes no lock that another
  writer waits for (a single counter row would serialise every writer until commit). The
  version is `compacted + COUNT(dashboard_figures_change)`, read in one statement: a
  transaction's own uncommitted writes raise it for that transaction only, and another
  transaction's writes raise it from their commit. Compaction (snapshots.compact) moves
  committed rows into `compacted`, in one transaction, leaving the sum unchanged.
- SQLite (one writer at a time, row-level triggers only): each row written adds one to
  `compacted` directly.

The table list is frozen here, as a migration must be; a new table read by the roll-up
needs a new migration adding its triggers.
"""

from django.db import migrations

FED_TABLES = (
    "parks_park", "parks_industry", "parks_parkannualtarget",
    "projects_project", "projects_annualplan", "projects_projectyearprogress",
    "enterprises_enterprise", "enterprises_visit", "enterprises_demand",
    "talent_talentintroduction", "talent_partnerorganization", "talent_innovationcenter",
)
OPERATIONS = ("insert", "update", "delete")

PG_CREATE = [
    "CREATE TABLE dashboard_figures_change (id BIGSERIAL PRIMARY KEY)",
    "CREATE TABLE dashboard_figures_version (id SMALLINT PRIMARY KEY CHECK (id = 1), "
    "compacted BIGINT NOT NULL DEFAULT 0)",
    "INSERT INTO dashboard_figures_version (id, compacted) VALUES (1, 0)",
    """CREATE FUNCTION dashboard_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO dashboard_figures_change DEFAULT VALUES;
         RETURN NULL;
       END $$""",
    *(f"CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
      "FOR EACH STATEMENT EXECUTE FUNCTION dashboard_figures_changed()"
      for table in FED_TABLES),
]
PG_DROP = [
    *(f"DROP TRIGGER IF EXISTS figures_changed ON {table}" for table in FED_TABLES),
    "DROP FUNCTION IF EXISTS dashboard_figures_changed()",
    "DROP TABLE IF EXISTS dashboard_figures_version",
    "DROP TABLE IF EXISTS dashboard_figures_change",
]

SQLITE_CREATE = [
    "CREATE TABLE dashboard_figures_change (id INTEGER PRIMARY KEY AUTOINCREMENT)",
    "CREATE TABLE dashboard_figures_version (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "compacted BIGINT NOT NULL DEFAULT 0)",
    "INSERT INTO dashboard_figures_version (id, compacted) VALUES (1, 0)",
    *(f"CREATE TRIGGER figures_changed_{table}_{op} AFTER {op.upper()} ON {table} BEGIN "
      "UPDATE dashboard_figures_version SET compacted = compacted + 1 WHERE id = 1; END"
      for table in FED_TABLES for op in OPERATIONS),
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS figures_changed_{table}_{op}"
      for table in FED_TABLES for op in OPERATIONS),
    "DROP TABLE IF EXISTS dashboard_figures_version",
    "DROP TABLE IF EXISTS dashboard_figures_change",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"figures version triggers for {schema_editor.connection.vendor}")
        for sql in statements:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0003_figures_snapshot"),
        ("enterprises", "0003_issue4_list_indexes"),
        ("parks", "0003_issue4_list_indexes"),
        ("projects", "0004_issue4_list_indexes"),
        ("talent", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": PG_DROP, "sqlite": SQLITE_DROP}),
            elidable=False),
    ]
