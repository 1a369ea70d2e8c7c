"""The resources: what each holds, amounts as decimal strings in 万元, only approved reports,
enterprises without personal data, figures equal to the rollup command, pagination."""

import json
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from tests.api.conftest import bearer


def get(client, url, headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_seeded_park_has_its_13_projects_for_leader1(client, seeded):
    out = StringIO()
    call_command("create_api_token", "leader1", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    body = get(client, "/api/v1/projects/?park=zhenba", bearer(token))
    assert body["count"] == 13 and len(body["items"]) == 13
    assert {item["park"] for item in body["items"]} == {"zhenba"}
    assert client.get("/api/v1/projects/?park=zhenba").status_code == 401


def test_project_fields_and_money(client, leader, project, token_for):
    body = get(client, "/api/v1/projects/", token_for(leader))
    item = body["items"][0]
    assert item["code"] == "T-001" and item["park"] == "testpark"
    assert item["total_investment"] == "10000.00"  # a string, never a float
    assert item["industry"] == "biomedicine" and item["stage"] == "new_start"
    assert "responsible" not in item


def test_only_approved_reports_are_listed(client, leader, reports, token_for):
    body = get(client, "/api/v1/monthly-reports/?year=2024", token_for(leader))
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["month"], item["status"]) == (1, "approved")
    assert item["completed_investment"] == "100.50"


def test_annual_plans_only_confirmed(client, leader, project, token_for):
    from parks.models import PlanStatus
    from projects.models import AnnualPlan

    AnnualPlan.objects.create(project=project, year=2025, planned_investment=Decimal("1"),
                              status=PlanStatus.DRAFT)
    body = get(client, "/api/v1/annual-plans/", token_for(leader))
    assert [(i["project"], i["year"], i["planned_investment"]) for i in body["items"]] == [
        ("T-001", 2024, "4000.00")]


def test_enterprises_carry_no_personal_data_even_for_an_admin(client, admin_user, staff_user,
                                                              enterprise, token_for):
    for user in (admin_user, staff_user):  # both may see the phone in the pages
        response = client.get("/api/v1/enterprises/", **token_for(user))
        text = response.content.decode()
        assert response.status_code == 200 and "测试企业" in text
        assert "13912345678" not in text and "张联系" not in text
        item = response.json()["items"][0]
        assert not {"contact_person", "contact_phone", "responsible"} & set(item)
        assert item["registered_capital"] == "1200.00"


def test_figures_equal_the_rollup_command(client, seeded):
    from django.contrib.auth.models import User

    from api.services import create_token

    headers = bearer(create_token(user=User.objects.get(username="leader1"))[1])
    body = get(client, "/api/v1/figures/?park=zhenba&year=2024&quarter=1", headers)
    out = StringIO()
    call_command("rollup", park="zhenba", year=2024, quarter=1, format="json", stdout=out)
    assert body == json.loads(out.getvalue())
    assert body["annual_planned"] == "70000.00" and body["projects_planned"] == 13
    # The park is the user's own when not named.
    assert get(client, "/api/v1/figures/?year=2024&quarter=1", headers) == body


def test_figures_need_year_and_quarter(client, leader, project, token_for):
    response = client.get("/api/v1/figures/?quarter=5&year=2024", **token_for(leader))
    assert response.status_code == 422


def test_pagination(client, leader, park, industries, token_for):
    from projects.models import Project

    Project.objects.bulk_create([
        Project(park=park, code=f"P-{n:03d}", name=f"项目{n}", industry=industries["other"],
                total_investment=Decimal(n)) for n in range(1, 61)])
    headers = token_for(leader)
    first = get(client, "/api/v1/projects/", headers)
    assert first["count"] == 60 and len(first["items"]) == 50  # the default page
    second = get(client, "/api/v1/projects/?page=2", headers)
    assert [i["code"] for i in second["items"]] == [f"P-{n:03d}" for n in range(51, 61)]
    small = get(client, "/api/v1/projects/?page_size=7&page=3", headers)
    assert [i["code"] for i in small["items"]] == [f"P-{n:03d}" for n in range(15, 22)]
    big = get(client, "/api/v1/projects/?page_size=200", headers)
    assert len(big["items"]) == 60
    too_big = client.get("/api/v1/projects/?page_size=201", **headers)
    assert too_big.status_code == 422
    assert too_big.json()["detail"][0]["loc"] == ["query", "page_size"]


def test_openapi_schema_lists_every_resource_and_the_bearer_scheme(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/projects/", "/api/v1/annual-plans/", "/api/v1/monthly-reports/",
                 "/api/v1/enterprises/", "/api/v1/figures/", "/api/v1/oc4ids/",
                 "/api/v1/parks/"):
        assert set(schema["paths"][path]) == {"get"}, path
    schemes = schema["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    money = schema["components"]["schemas"]["ProjectOut"]["properties"]["total_investment"]
    assert money["type"] == "string"
    text = json.dumps(schema)
    assert "contact_phone" not in text and "contact_person" not in text


def test_answers_carry_the_security_headers(client, leader, project, token_for):
    response = client.get("/api/v1/projects/", **token_for(leader))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_a_page_costs_the_same_queries_whatever_its_length(client, leader, park, industries,
                                                           token_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import AnnualPlan, ProgressReport, Project

    headers = token_for(leader)

    def add(n):
        for _i in range(n):
            project = Project.objects.create(
                park=park, code=f"Q-{Project.objects.count():03d}", name="项目",
                industry=industries["other"], total_investment=Decimal(1))
            AnnualPlan.objects.create(project=project, year=2024,
                                      planned_investment=Decimal(1))
            ProgressReport.objects.create(project=project, year=2024, month=1,
                                          completed_investment=Decimal(1), status="approved")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **headers).status_code == 200
        return len(queries)

    urls = ["/api/v1/projects/", "/api/v1/annual-plans/", "/api/v1/monthly-reports/",
            "/api/v1/enterprises/", "/api/v1/parks/"]
    add(2)
    client.get(urls[0], **headers)  # the token's first use writes its last_used_at
    before = [count(url) for url in urls]
    add(20)
    assert [count(url) for url in urls] == before


def test_list_filters_narrow_the_lists_and_keep_the_scope(client, seeded):
    """Each declared filter narrows its list to the matching rows; none widens the scope."""
    from django.contrib.auth.models import User

    from api.services import create_token
    from enterprises.models import Enterprise
    from projects.models import ProgressReport, Project

    headers = bearer(create_token(user=User.objects.get(username="leader1"))[1])

    def codes(url):
        return get(client, url, headers)["items"]

    stage = Project.objects.filter(park__slug="zhenba").values_list("stage", flat=True)[0]
    by_stage = codes(f"/api/v1/projects/?park=zhenba&stage={stage}")
    expected = set(Project.objects.filter(park__slug="zhenba", stage=stage)
                   .values_list("code", flat=True))
    assert {i["code"] for i in by_stage} == expected and 0 < len(expected) < 13
    majors = codes("/api/v1/projects/?is_major=false")
    assert {i["code"] for i in majors} == set(
        Project.objects.filter(is_major=False).values_list("code", flat=True))

    project = Project.objects.filter(park__slug="zhenba").order_by("code").first()
    plans = codes(f"/api/v1/annual-plans/?project={project.code}&year=2024")
    assert [(i["project"], i["year"]) for i in plans] == [(project.code, 2024)]
    assert codes("/api/v1/annual-plans/?year=2023") == []

    approved = ProgressReport.objects.filter(status="approved", project__park__slug="zhenba")
    month = approved.values_list("month", flat=True).first()
    reports = codes(f"/api/v1/monthly-reports/?year=2024&month={month}")
    assert reports and {i["month"] for i in reports} == {month}
    assert len(reports) == approved.filter(year=2024, month=month).count()

    relation = Enterprise.objects.values_list("relation", flat=True).first()
    by_relation = codes(f"/api/v1/enterprises/?relation={relation}&page_size=200")
    assert len(by_relation) == Enterprise.objects.filter(relation=relation).count() > 0
    assert codes("/api/v1/enterprises/?introduced_year=1901") == []
