"""The investment figures on the dashboard: JSON, card and funnel data (one definition)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from dashboard.selectors import rollup_as_json
from leads import services

from .conftest import make_lead

pytestmark = pytest.mark.django_db


def test_dashboard_json_card_and_funnel(client, park, leader, staff_user):
    lead = make_lead(park, staff_user, investor="杭州某医药", registered_on=date(2024, 1, 8))
    services.change_stage(lead=lead, user=staff_user, to_stage="signed", on=date(2024, 2, 1),
                          signed_amount=Decimal("4200.50"))
    services.record_funds(lead=lead, user=staff_user, received_on=date(2024, 3, 1),
                          amount=Decimal("1000"))
    client.force_login(leader)
    query = {"park": park.slug, "year": 2024, "quarter": 1}
    data = client.get("/dashboard/", {**query, "format": "json"}).json()
    expected = {"leads_active": 1, "negotiating": 1, "signed": 1, "signed_amount": "4200.50",
                "funds_in_place": "1000.00", "landed": 0, "landing_rate": "0.0000"}
    figures = data.get("figures", data)
    assert figures["investment"] == expected
    assert rollup_as_json(park=park, year=2024, quarter=1)["investment"] == expected
    page = client.get("/dashboard/", query)
    html = page.content.decode()
    assert 'data-figure="investment.landed"' in html and 'id="chart-funnel"' in html
    chart = json.loads(html.split('id="chart-data" type="application/json">')[1]
                       .split("</script>")[0])
    assert [row["value"] for row in chart["funnel"]] == [1, 1, 1, 0]
