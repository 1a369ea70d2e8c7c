"""The schedule wizard at /projects/import/: upload → preview (counts per kind, warnings,
errors, mapping) → commit, in the request or by the background worker; park admins only."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.models import ImportBatch
from parkportal.roles import LEADER, STAFF
from parks.models import QuarterClose
from projects.models import AnnualPlan, ProgressReport, Project, ReportStatus
from tests.conftest import make_user
from tests.imports import schedule_files as sf

State = ImportBatch.State


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, data, name="进度表.xlsx", **extra):
    return client.post(reverse("schedule_import:upload"),
                       {"file": SimpleUploadedFile(name, data), **extra})


@pytest.mark.django_db
def test_address_is_not_read_as_a_project_code(admin_client, park):
    assert reverse("schedule_import:upload") == "/projects/import/"
    page = admin_client.get("/projects/import/").content.decode()
    assert 'name="year"' in page and 'name="month"' in page


@pytest.mark.django_db
def test_preview_then_commit(admin_client, park, industries, admin_user):
    response = upload(admin_client, sf.schedule_xlsx())
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.target == "schedule" and batch.state == State.PREVIEWED
    assert Project.objects.count() == 0  # a preview writes nothing
    assert batch.summary["counts"]["reports"] == {"created": 3, "updated": 0, "unchanged": 0}
    page = admin_client.get(reverse("schedule_import:batch", args=[batch.pk])).content.decode()
    assert 'id="schedule-counts"' in page and 'id="schedule-warnings"' in page
    assert "2025年度计划 其中工业投资" in page  # the two-level header, as one column
    # The enterprise wizard does not list or open schedule batches.
    assert admin_client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404

    admin_client.post(reverse("schedule_import:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == State.COMMITTED, batch.message
    assert (Project.objects.count(), AnnualPlan.objects.count(),
            ProgressReport.objects.count()) == (3, 3, 3)
    report = ProgressReport.objects.get(project__name="续建项目1")
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == admin_user
    history = report.history.get()
    assert history.history_user == admin_user
    assert history.history_change_reason == f"import batch {batch.pk}"
    page = admin_client.get(reverse("schedule_import:batch", args=[batch.pk])).content.decode()
    assert 'href="/projects/"' in page


@pytest.mark.django_db
def test_year_and_month_given_on_the_upload(admin_client, park, industries):
    upload(admin_client, sf.schedule_xlsx(), year="2024", month="12")
    batch = ImportBatch.objects.get()
    assert batch.summary["period"] == {"year": 2024, "month": 12}
    assert batch.summary["options"] == {"year": 2024, "month": 12}
    # The file says 2025 / 3: the preview says so.
    assert len([w for w in batch.summary["warnings"] if w["row"] == 0]) == 2
    admin_client.post(reverse("schedule_import:commit", args=[batch.pk]))
    assert set(ProgressReport.objects.values_list("year", "month")) == {(2024, 12)}


@pytest.mark.django_db
def test_bad_file_says_why_and_writes_nothing(admin_client, park):
    response = upload(admin_client, b"<html><table></table></html>", "x.xls")
    assert response.status_code == 400 and ImportBatch.objects.count() == 0
    assert "xlsx" in response.content.decode()


@pytest.mark.django_db
def test_only_park_admins(client, park):
    for role in (STAFF, LEADER):
        user = make_user(f"u-{role}", role, park)
        client.force_login(user)
        assert client.get("/projects/import/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_large_schedule_runs_in_the_background(admin_client, park, industries, settings,
                                               task_worker):
    settings.IMPORT_BACKGROUND_ROWS = 10
    rows = [sf.project(f"项目{i}", serial=str(i)) for i in range(1, 16)]
    upload(admin_client, sf.schedule_xlsx(rows))
    batch = ImportBatch.objects.get()
    admin_client.post(reverse("schedule_import:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == State.QUEUED and batch.task_id
    task_worker.drain()
    batch.refresh_from_db()
    assert batch.state == State.COMMITTED, batch.message
    assert Project.objects.count() == 15 and ProgressReport.objects.count() == 15
    assert batch.summary["counts"]["projects"]["created"] == 15


@pytest.mark.django_db
def test_error_report_lists_rejected_rows_with_the_file_cells(admin_client, park, industries):
    rows = [sf.project("好项目"), sf.project("坏项目", planned="1000", industrial="1500",
                                            serial="2")]
    upload(admin_client, sf.schedule_xlsx(rows))
    batch = ImportBatch.objects.get()
    assert batch.rejected_count == 1
    response = admin_client.get(reverse("schedule_import:errors", args=[batch.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][1:4] == ["序号", "项目名称", "建设内容及规模"]
    assert table[1][0] == 6 and table[1][2] == "坏项目"
    assert "2025年度计划 其中工业投资" in table[1][-1]


@pytest.mark.django_db
def test_quarter_closed_after_the_preview_fails_the_commit(admin_client, park, industries,
                                                            admin_user):
    upload(admin_client, sf.schedule_xlsx())
    batch = ImportBatch.objects.get()
    QuarterClose.objects.create(park=park, year=2025, quarter=1, closed_by=admin_user,
                                published_figures={})
    admin_client.post(reverse("schedule_import:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == State.FAILED and "2025" in batch.message
    assert Project.objects.count() == 0 and ProgressReport.objects.count() == 0
