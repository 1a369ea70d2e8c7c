"""`GET /healthz`: is this app server able to serve? For load balancers, systemd and monitors.

200 when the database answers and every migration is applied, 503 otherwise. No login, no
session, no template: one `SELECT 1` (the migration check runs once per process until it
passes, since applied migrations do not come unapplied under a running server).
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrations_checked = False


def _migrations_applied() -> bool:
    global _migrations_checked
    if not _migrations_checked:
        executor = MigrationExecutor(connection)
        _migrations_checked = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_checked


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied():
            return JsonResponse({"status": "unavailable", "database": "ok",
                                 "migrations": "pending"}, status=503)
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})
