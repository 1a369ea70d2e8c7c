"""PostgreSQL-only covering indexes, as a migration operation.

INCLUDE has no SQLite equivalent (and Django's `Index(include=…)` raises a system-check
warning there), so the dashboard's covering indexes are created with raw SQL on PostgreSQL
only. Migrations import this module: keep its behaviour stable.
"""

from django.db import migrations


def postgres_only_indexes(indexes: list[tuple[str, str]]) -> migrations.RunPython:
    """A RunPython that creates `(name, CREATE INDEX … sql)` pairs on PostgreSQL and drops
    them on reversal; a no-op on other databases."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for _name, sql in indexes:
                schema_editor.execute(sql)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, _sql in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
