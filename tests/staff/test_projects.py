"""Project list (filters, sorting, export of exactly the filtered rows) and detail page."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from parkportal.exports import neutralise_cell
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage
from tests.conftest import PASSWORD


@pytest.fixture
def projects(project, park, industries, other_staff):
    rows = [("T-002", "=HYPERLINK(\"http://x\")", "green-food", ProjectStage.CONTINUING, True),
            ("T-003", "清洁能源光伏项目", "clean-energy", ProjectStage.PRELIMINARY, False),
            ("T-004", "生态文旅康养基地", "eco-tourism", ProjectStage.NEW_START, True)]
    made = [project]
    for code, name, industry, stage, major in rows:
        p = Project.objects.create(park=park, code=code, name=name,
                                   industry=industries[industry], stage=stage, is_major=major,
                                   total_investment=Decimal("1000"))
        p.responsible.add(other_staff)
        AnnualPlan.objects.create(project=p, year=2024, planned_investment=Decimal("100"))
        made.append(p)
    return made


@pytest.fixture
def leader_client(client, leader):
    client.login(username=leader.username, password=PASSWORD)
    return client


def codes(response):
    return [p.code for p in response.context["table"].page.object_list.data]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["T-001", "T-002", "T-003", "T-004"]),
    ("stage=continuing", ["T-002"]),
    ("industry={clean}", ["T-003"]),
    ("is_major=true", ["T-002", "T-004"]),
    ("is_industrial=true", ["T-001"]),
    ("q=文旅", ["T-004"]),
    ("responsible={other}", ["T-002", "T-003", "T-004"]),
    ("year=2023", []),
    ("sort=-code", ["T-004", "T-003", "T-002", "T-001"]),
    ("sort=total_investment&stage=new_start", ["T-004", "T-001"]),
])
def test_filters_and_sorting(leader_client, projects, industries, other_staff, query,
                             expected):
    query = query.format(clean=industries["clean-energy"].pk, other=other_staff.pk)
    response = leader_client.get(reverse("projects:list") + "?" + query)
    assert response.status_code == 200
    if query.startswith("sort") or "sort=" in query:
        assert codes(response) == expected
    else:
        assert sorted(codes(response)) == expected


def test_pagination(leader_client, park, industries):
    for i in range(30):
        Project.objects.create(park=park, code=f"P-{i:03d}", name=f"项目{i}",
                               industry=industries["other"], total_investment=Decimal("1"))
    first = leader_client.get(reverse("projects:list"))
    assert len(codes(first)) == 25
    second = leader_client.get(reverse("projects:list") + "?page=2")
    assert len(codes(second)) == 5


def test_export_xlsx_has_exactly_the_filtered_rows(leader_client, projects):
    response = leader_client.get(reverse("projects:list") + "?is_major=true&_export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["T-002", "T-004"]
    # A formula-looking name is neutralised.
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"


def test_export_csv_is_utf8_with_bom_and_filtered(leader_client, projects):
    response = leader_client.get(reverse("projects:list") + "?q=光伏&_export=csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "编号"
    assert [r[0] for r in rows[1:]] == ["T-003"]


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+86 139", "'+86 139"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("正常文本", "正常文本"),
    (Decimal("-5"), Decimal("-5")), (None, None), ("", "")])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_detail_shows_plan_vs_completed_timeline_and_procedures(leader_client, project,
                                                                 staff_user):
    from projects.models import PreliminaryProcedure

    ProgressReport.objects.create(project=project, year=2024, month=1,
                                  completed_investment=Decimal("800"), status="approved")
    ProgressReport.objects.create(project=project, year=2024, month=2,
                                  completed_investment=Decimal("200"), status="draft")
    PreliminaryProcedure.objects.create(project=project, kind="land", status="done")
    response = leader_client.get(reverse("projects:detail", kwargs={"code": project.code}))
    summary = response.context["summary"]
    assert summary["completed_ytd"] == Decimal("800")  # the draft does not count
    assert summary["rate"] == Decimal("0.2")
    months = response.context["months"]
    assert months[1].report.status == "draft" and months[1].cumulative == Decimal("800")
    page = response.content.decode()
    assert "用地预审" in page  # the procedure's kind, in the default language
    assert "变更记录" in page


def test_staff_cannot_open_another_persons_project_form(client, other_staff, project):
    client.login(username=other_staff.username, password=PASSWORD)
    url = reverse("projects:progress", kwargs={"code": project.code, "period": "2024-03"})
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": "0", "completed_investment": "1",
                             "fixed_asset_investment": "0", "action": "save"}
                       ).status_code == 403
    assert not ProgressReport.objects.exists()


def test_other_park_project_is_404(client, project):
    from parks.models import Park
    from tests.conftest import make_user

    outsider = make_user("outsider", "staff", Park.objects.create(name="别的园区", slug="x"))
    client.login(username=outsider.username, password=PASSWORD)
    assert client.get(reverse("projects:detail", kwargs={"code": project.code})
                      ).status_code == 404
    assert client.get(reverse("projects:list") + "?_export=csv").content.decode(
        "utf-8-sig").count("\n") == 1  # header only


def test_invalid_period_is_404(client, staff_user, project):
    client.login(username=staff_user.username, password=PASSWORD)
    assert client.get(f"/projects/{project.code}/progress/2024-13/").status_code == 404
