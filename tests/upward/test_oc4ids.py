"""The OC4IDS 0.9.5-shaped package: its shape (a minimal schema of the fields we emit, checked
offline), CNY amounts exact, stages mapped, 停缓建 as implementation with a note."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import jsonschema_rs
import pytest
from django.core.management import call_command

from projects.models import ProjectStage
from upward.oc4ids import STAGE_STATUS, cny, project_package

D = Decimal

VALUE = {"type": "object", "required": ["amount", "currency"], "additionalProperties": False,
         "properties": {"amount": {"type": "integer"}, "currency": {"const": "CNY"}}}
DATETIME = {"type": "string", "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$"}
PERIOD = {"type": "object", "additionalProperties": False,
          "properties": {"startDate": DATETIME, "endDate": DATETIME}}
PROJECT_STATUS = ["identification", "preparation", "implementation", "completion",
                  "completed", "cancelled"]
# The fields parkportal emits, with OC4IDS 0.9's types and closed codelists.
PACKAGE_SCHEMA = {
    "type": "object",
    "required": ["uri", "publishedDate", "publisher", "version", "projects"],
    "additionalProperties": False,
    "properties": {
        "uri": {"type": "string", "minLength": 1},
        "publishedDate": DATETIME,
        "publisher": {"type": "object", "required": ["name"],
                      "properties": {"name": {"type": "string", "minLength": 1}}},
        "version": {"const": "0.9"},
        "projects": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "title", "status", "budget", "updated", "publicAuthority"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": "^oc4ids-parkportal-"},
                "identifiers": {"type": "array", "items": {
                    "type": "object", "required": ["scheme", "id"]}},
                "updated": DATETIME,
                "title": {"type": "string"},
                "description": {"type": "string"},
                "status": {"enum": PROJECT_STATUS},
                "statusDetails": {"type": "string"},
                "type": {"enum": ["construction", "rehabilitation", "replacement"]},
                "additionalClassifications": {"type": "array", "items": {
                    "type": "object", "required": ["scheme", "id"],
                    "properties": {"scheme": {"type": "string"}, "id": {"type": "string"},
                                   "description": {"type": "string"}}}},
                "period": PERIOD,
                "locations": {"type": "array", "items": {
                    "type": "object", "properties": {"description": {"type": "string"}}}},
                "budget": {"type": "object", "required": ["amount"],
                           "additionalProperties": False, "properties": {
                               "amount": VALUE,
                               "budgetBreakdown": {"type": "array", "items": {
                                   "type": "object", "required": ["id", "amount"],
                                   "properties": {"id": {"type": "string"},
                                                  "description": {"type": "string"},
                                                  "amount": VALUE, "period": PERIOD}}}}},
                "publicAuthority": {"type": "object", "required": ["id", "name"]},
                "metrics": {"type": "array", "items": {
                    "type": "object", "required": ["id", "observations"],
                    "properties": {"observations": {"type": "array", "items": {
                        "type": "object", "required": ["id", "period", "value"],
                        "properties": {"id": {"type": "string"}, "period": PERIOD,
                                       "value": VALUE, "notes": {"type": "string"}}}}}}},
                "completion": {"type": "object", "additionalProperties": False, "properties": {
                    "endDate": DATETIME, "finalValue": VALUE,
                    "finalValueDetails": {"type": "string"}}},
            },
        }},
    },
}
VALIDATOR = jsonschema_rs.Draft7Validator(PACKAGE_SCHEMA, validate_formats=True)


def validate(package):
    # Through JSON, as a consumer receives it.
    VALIDATOR.validate(json.loads(json.dumps(package, ensure_ascii=False)))


def test_the_schema_itself_refuses_a_wrong_package():
    with pytest.raises(jsonschema_rs.ValidationError):
        VALIDATOR.validate({"uri": "x", "publishedDate": "2024-01-01", "publisher": {},
                            "version": "0.9", "projects": []})
    with pytest.raises(jsonschema_rs.ValidationError):  # a float amount
        VALIDATOR.validate({"uri": "x", "publishedDate": "2024-01-01T00:00:00+08:00",
                            "publisher": {"name": "p"}, "version": "0.9", "projects": [
                                {"id": "oc4ids-parkportal-x", "title": "t",
                                 "status": "implementation", "updated":
                                 "2024-01-01T00:00:00+08:00", "publicAuthority": {
                                     "id": "p", "name": "p"},
                                 "budget": {"amount": {"amount": 1.5, "currency": "CNY"}}}]})


def test_cny_is_wan_times_ten_thousand_exactly():
    assert cny(D("1234.56")) == {"amount": 12345600, "currency": "CNY"}
    assert cny(D("0.01")) == {"amount": 100, "currency": "CNY"}
    assert cny(D("99999999999.99"))["amount"] == 999999999999900  # beyond a float's cents


def test_every_stage_has_a_status_code():
    assert set(STAGE_STATUS) == set(ProjectStage)
    assert set(STAGE_STATUS.values()) <= set(PROJECT_STATUS)


def test_seeded_package_is_valid_and_exact(seeded):
    from parks.models import Park

    package = project_package(parks=[Park.objects.get(slug="zhenba")], year=2024, month=3)
    validate(package)
    projects = package["projects"]
    assert len(projects) == 13
    planned = sum(D(p["budget"]["budgetBreakdown"][0]["amount"]["amount"]) for p in projects)
    assert planned == D("70000") * 10000  # 7亿元
    completed = sum(D(p["metrics"][0]["observations"][-1]["value"]["amount"])
                    for p in projects if "metrics" in p)
    assert completed == D("10100") * 10000


def test_stages_map_and_suspension_has_a_note(park, small_park):
    a, b = small_park["A"], small_park["B"]
    b.stage, b.suspended_on, b.suspended_reason = (ProjectStage.SUSPENDED, date(2024, 5, 20),
                                                   "资金未到位")
    b.save()
    a.stage, a.actual_completion = ProjectStage.OPERATING, date(2024, 6, 1)
    a.save()
    package = project_package(parks=[park], year=2024, month=6)
    validate(package)
    by_code = {p["identifiers"][0]["id"]: p for p in package["projects"]}
    assert by_code["B"]["status"] == "implementation"
    assert "停缓建" in by_code["B"]["statusDetails"]
    assert "2024-05-20" in by_code["B"]["statusDetails"]
    assert "资金未到位" in by_code["B"]["statusDetails"]
    assert by_code["C"]["status"] == "preparation"
    assert by_code["E"]["status"] == "cancelled"
    assert by_code["A"]["status"] == "completed"
    assert by_code["A"]["completion"]["finalValue"] == {"amount": 12000000, "currency": "CNY"}
    assert by_code["A"]["completion"]["endDate"].startswith("2024-06-01T00:00:00")
    # Progress month by month, cumulative, counted reports only.
    observations = by_code["A"]["metrics"][0]["observations"]
    assert [o["value"]["amount"] for o in observations] == [0, 0, 0, 5000000, 12000000,
                                                             12000000]
    assert observations[1]["period"]["endDate"].startswith("2024-02-29")
    assert by_code["A"]["budget"]["amount"] == {"amount": 100000000, "currency": "CNY"}


def test_command_prints_the_package(park, small_park):
    out = StringIO()
    call_command("upward_report", park=["testpark"], year=2024, month=6, format="oc4ids",
                 stdout=out)
    package = json.loads(out.getvalue())
    validate(package)
    assert len(package["projects"]) == 4


def test_the_api_serves_the_same_package(client, leader, park, small_park):
    from api.services import create_token

    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=leader)[1]}"}
    response = client.get("/api/v1/oc4ids/?year=2024&month=6", **headers)
    assert response.status_code == 200
    package = response.json()
    validate(package)
    expected = project_package(parks=[park], year=2024, month=6)
    assert package["projects"] == json.loads(json.dumps(expected["projects"]))


def test_project_ids_carry_the_configured_prefix(park, small_park, settings):
    default = sorted(p["id"] for p in project_package(parks=[park], year=2024)["projects"])
    assert default and all(i.startswith(f"oc4ids-parkportal-{park.slug}-") for i in default)
    settings.OC4IDS_ID_PREFIX = "oc4ids-sx0001"
    ids = sorted(p["id"] for p in project_package(parks=[park], year=2024)["projects"])
    assert ids == [i.replace("oc4ids-parkportal-", "oc4ids-sx0001-") for i in default]
