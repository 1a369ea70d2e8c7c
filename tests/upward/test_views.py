"""The upward reports' page and downloads: leaders and admins of the park."""

import json
from io import BytesIO

from openpyxl import load_workbook


def test_leader_sees_the_page_with_both_downloads(client, leader, park, small_park):
    client.force_login(leader)
    response = client.get("/reports/upward/?year=2024&month=6")
    assert response.status_code == 200
    text = response.content.decode()
    assert "plan-vs-completed.xlsx?park=testpark&amp;year=2024&amp;month=6" in text
    assert "oc4ids.json?park=testpark&amp;year=2024&amp;month=6" in text
    assert "3,000.00" in text and "10,000.00" in text  # completed and planned totals


def test_workbook_and_package_downloads(client, leader, park, small_park):
    client.force_login(leader)
    response = client.get("/reports/upward/plan-vs-completed.xlsx?year=2024&month=6")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "测试产业园区2024年1—6月重点项目投资计划与完成情况表"
    response = client.get("/reports/upward/oc4ids.json?year=2024&month=6")
    assert response.status_code == 200
    assert len(json.loads(response.content)["projects"]) == 4


def test_staff_are_refused_and_another_park_is_not_found(client, staff_user, leader, park,
                                                         small_park, other_park):
    client.force_login(staff_user)
    assert client.get("/reports/upward/").status_code == 403
    client.force_login(leader)
    assert client.get("/reports/upward/?park=otherpark").status_code == 404
    assert client.get("/reports/upward/oc4ids.json?park=otherpark&year=2024").status_code == 404


def test_bad_month_is_a_clear_400(client, leader, park, small_park):
    client.force_login(leader)
    response = client.get("/reports/upward/plan-vs-completed.xlsx?year=2024&month=13")
    assert response.status_code == 400


def test_operator_chooses_the_park(client, superuser, park, small_park, other_park):
    client.force_login(superuser)
    response = client.get("/reports/upward/?park=otherpark&year=2024&month=3")
    assert response.status_code == 200
    assert "另一园区" in response.content.decode()


def test_dashboard_links_to_the_upward_reports_for_leaders_only(client, leader, staff_user,
                                                                park, small_park):
    client.force_login(leader)
    assert 'id="upward-link"' in client.get("/dashboard/?year=2024&quarter=2").content.decode()
    client.force_login(staff_user)
    assert 'id="upward-link"' not in client.get(
        "/dashboard/?year=2024&quarter=2").content.decode()
