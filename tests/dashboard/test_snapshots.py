"""Stored dashboard figures (dashboard.snapshots): served only while the data is unchanged.

Every test compares what the dashboard serves with the figures computed afresh
(`selectors.dashboard_json`), on both databases.
"""

import importlib
import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from dashboard import snapshots
from dashboard.models import FiguresSnapshot
from dashboard.selectors import dashboard_json, lagging_projects_from_rows
from enterprises.models import Demand, Enterprise, Visit
from projects.models import AnnualPlan, ProgressReport, Project
from talent.models import TalentIntroduction

from .conftest import report

pytestmark = pytest.mark.django_db
URL = "/dashboard/"
PERIOD = {"year": 2024, "quarter": 2}
FED_TABLES = (
    *importlib.import_module("dashboard.migrations.0004_figures_version_triggers").FED_TABLES,
    *importlib.import_module("dashboard.migrations.0006_figures_version_triggers_for_leads")
    .FED_TABLES,
    *importlib.import_module("dashboard.migrations.0008_project_year_fact_triggers").FED_TABLES,
    *importlib.import_module("dashboard.migrations.0009_figures_version_triggers_for_quarter_close")
    .FED_TABLES)


def served(park):
    return snapshots.dashboard_snapshot(park=park, **PERIOD)


def fresh(park):
    return dashboard_json(park=park, lagging_limit=snapshots.LAGGING_LIMIT, **PERIOD)


def test_second_view_is_served_from_the_snapshot(small_park, park, monkeypatch):
    first = served(park)
    assert first == fresh(park)
    assert FiguresSnapshot.objects.filter(park=park, **PERIOD).count() == 1

    def must_not_compute(**kwargs):
        raise AssertionError("computed again although nothing changed")

    monkeypatch.setattr(snapshots, "dashboard_json", must_not_compute)
    with CaptureQueriesContext(connection) as captured:
        assert served(park) == first
    assert len(captured.captured_queries) == 1


def test_a_snapshot_of_other_code_is_not_served(small_park, park):
    """After a deploy that changes how figures are computed, stored figures are stale."""
    served(park)
    FiguresSnapshot.objects.update(code_version="before-deploy",
                                   figures='{"completed_ytd": "1.00"}')
    assert served(park) == fresh(park)
    assert FiguresSnapshot.objects.get().code_version == snapshots.CODE_VERSION


def test_every_table_the_rollup_reads_bumps_the_version(small_park, park):
    """The tables named by the roll-up's queries are exactly covered by the triggers."""
    with CaptureQueriesContext(connection) as captured:
        fresh(park)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    tables = {model._meta.db_table for model in apps.get_models()}
    read = {table for table in tables if re.search(rf'\b{table}\b', sql)}
    assert read, "no table found in the roll-up's SQL"
    missing = read - set(FED_TABLES)
    assert not missing, f"tables read without a version trigger: {missing}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c "
                           "ON c.oid = t.tgrelid WHERE t.tgname = 'figures_changed'")
            triggered = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'figures_changed_%'")
            triggered = {row[0] for row in cursor.fetchall()}
    assert triggered == set(FED_TABLES)


WRITES = {
    "report saved": lambda p: report(p["B"], 6, 250, 100),
    "report amount updated": lambda p: ProgressReport.objects.filter(
        project=p["A"], month=4).update(completed_investment=Decimal("650")),
    "report deleted": lambda p: ProgressReport.objects.filter(project=p["B"], month=2).delete(),
    "plan changed": lambda p: AnnualPlan.objects.filter(project=p["B"], year=2024).update(
        planned_investment=Decimal("9000")),
    "project restaged": lambda p: Project.objects.filter(pk=p["C"].pk).update(
        actual_start=date(2024, 5, 2), stage="new_start"),
    "enterprise left": lambda p: Enterprise.objects.filter(name="企业二").update(
        left_on=date(2024, 6, 1)),
    "visits bulk-created": lambda p: Visit.objects.bulk_create([
        Visit(enterprise=Enterprise.objects.get(name="企业二"), visited_on=date(2024, 6, 29),
              staff=p["A"].responsible.first())]),
    "demand deleted": lambda p: Demand.objects.filter(due_on=date(2024, 6, 1)).delete(),
    "talent added": lambda p: TalentIntroduction.objects.create(
        park=p["A"].park, person_name="新", degree="phd", introduced_on=date(2024, 6, 1)),
    "thresholds changed": lambda p: type(p["A"].park).objects.filter(
        pk=p["A"].park_id).update(lag_yellow_points=25),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_is_seen_at_once(small_park, park, write):
    before = served(park)
    write(small_park)
    park.refresh_from_db()  # as the next request loads it
    after = served(park)
    assert after == fresh(park)
    assert after != before


def test_the_page_and_json_follow_a_change(client, leader, small_park, park):
    client.force_login(leader)
    params = {"park": park.slug, **PERIOD}
    assert client.get(URL, {**params, "format": "json"}).json()["completed_ytd"] == "3000.00"
    assert client.get(URL, params).context["live"]["completed_ytd"] == "3000.00"
    report(small_park["B"], 6, 250)
    assert client.get(URL, {**params, "format": "json"}).json()["completed_ytd"] == "3250.00"
    assert client.get(URL, params).context["live"]["completed_ytd"] == "3250.00"


def test_a_new_day_is_a_new_snapshot(small_park, park, monkeypatch):
    """For a quarter in progress the "as of" figures move with the day."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2024, 6, 20))
    figures, _ = served(park)
    assert figures["as_of"] == "2024-06-20"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2024, 6, 27))
    figures, _ = served(park)
    assert figures["as_of"] == "2024-06-27"
    assert figures["visit_coverage"] == fresh(park)[0]["visit_coverage"]
    # The day before's snapshot of the period is replaced, not kept beside it.
    assert list(FiguresSnapshot.objects.filter(park=park, **PERIOD)
                .values_list("as_of", flat=True)) == [date(2024, 6, 27)]


def test_a_failed_write_leaves_the_snapshot_valid(small_park, park):
    first = served(park)
    with pytest.raises(RuntimeError), transaction.atomic():
        report(small_park["B"], 6, 250)
        assert served(park)[0]["completed_ytd"] == "3250.00"  # the writer sees its change
        raise RuntimeError("roll back")
    assert served(park) == first == fresh(park)


def test_lagging_rows_become_projects_and_skip_deleted_ones(small_park, park):
    _, rows = served(park)
    assert [row["id"] for row in rows] == [small_park["C"].pk, small_park["A"].pk]
    projects = lagging_projects_from_rows(rows, **PERIOD)
    assert [p.code for p in projects] == ["C", "A"]
    assert projects[1].completed_ytd == Decimal("1200.00")
    assert projects[1].points_behind == Decimal("20.0")
    Project.objects.filter(pk=small_park["C"].pk).delete()
    assert [p.code for p in lagging_projects_from_rows(rows, **PERIOD)] == ["A"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_compaction_keeps_the_version(small_park, park):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dashboard_figures_change")
        assert cursor.fetchone()[0] > 0
        version = snapshots.data_version()
        snapshots.compact()
        cursor.execute("SELECT COUNT(*) FROM dashboard_figures_change")
        assert cursor.fetchone()[0] == 0
    assert snapshots.data_version() == version
    report(small_park["B"], 6, 250)
    assert snapshots.data_version() > version


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_is_seen(small_park, park):
    """Another transaction's write, uncommitted while the figures are computed and stored,
    makes the next view compute again once it commits."""
    if connection.vendor == "sqlite":
        pytest.skip("an in-memory SQLite test database is shared by threads, not concurrent")
    written, release, done = threading.Event(), threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                report(small_park["B"], 6, 250)
                written.set()
                release.wait(30)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(30)
    stale = served(park)
    assert stale[0]["completed_ytd"] == "3000.00"  # the write is not committed yet
    release.set()
    assert done.wait(30)
    thread.join(30)
    after = served(park)
    assert after[0]["completed_ytd"] == "3250.00"
    assert after == fresh(park)
