"""A city leader on the deployed stack (scripts/deployed_check.sh): cityleader1 (汉中市, seeded
by `seed_report --demo-users`) lands on the region dashboard, reads Zhenba side by side with
the city's figures, drills down into the park and reads the region's figures through the read
API with a token of their own. Screenshots: test-output/screenshots/deployed-region-*.png."""

import json
import urllib.request

import pytest

from tests.deployed.test_journey import SHOTS, URL, database  # noqa: F401
from tests.deployed.test_staff_journey import login

pytestmark = [pytest.mark.deployed,
              pytest.mark.skipif(not URL, reason="needs the deployed app "
                                 "(scripts/deployed_check.sh sets PARKPORTAL_DEPLOYED_URL)")]


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"deployed-region-{name}.png"), full_page=True)


def test_city_leader_reads_the_city_and_drills_into_zhenba(browser, database):  # noqa: F811
    from django.contrib.auth.models import User

    from api.services import create_token

    errors = []
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        page = login(context, "cityleader1")
        page.on("response", lambda r: r.status >= 400 and errors.append((r.status, r.url)))
        page.goto(f"{URL}/dashboard/")
        page.wait_for_load_state("networkidle")
        assert "region=hanzhong" in page.url, page.url
        page.goto(f"{URL}/dashboard/?region=hanzhong&year=2024&quarter=1")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "汉中市：地区驾驶舱"
        rows = page.locator("#park-comparison tbody tr")
        assert rows.count() == 1
        assert rows.nth(0).get_attribute("data-park") == "zhenba"
        page.wait_for_selector("#chart-monthly[data-rendered='1']", timeout=15_000)
        shoot(page, "1-city")
        region_json = page.request.get(
            f"{URL}/dashboard/?region=hanzhong&year=2024&quarter=1&format=json").json()

        rows.nth(0).locator("a").click()
        page.wait_for_load_state("networkidle")
        assert "park=zhenba" in page.url
        assert page.locator("#close-quarter-button").count() == 0  # reads, never closes
        shoot(page, "2-zhenba")
        park_json = page.request.get(
            f"{URL}/dashboard/?park=zhenba&year=2024&quarter=1&format=json").json()
        for key in ("annual_planned", "completed_ytd", "completion_rate", "projects_planned"):
            assert region_json[key] == park_json[key], key
        # Another park's or region's page is not theirs.
        assert page.request.get(f"{URL}/dashboard/?region=nosuch").status == 404
    finally:
        context.close()
    assert not errors, errors

    # The read API with the city leader's own token: the city's figures equal the page's.
    user = User.objects.get(username="cityleader1")
    token = create_token(user=user, name="deployed region journey")[1]
    request = urllib.request.Request(
        f"{URL}/api/v1/figures/?region=hanzhong&year=2024&quarter=1",
        headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert body["completed_ytd"] == region_json["completed_ytd"]
    assert [p["park"] for p in body["parks"]] == ["zhenba"]
