"""A staff member's and a leader's month on the deployed stack (scripts/deployed_check.sh):
production settings, gunicorn behind nginx, PostgreSQL, files on disk under MEDIA_ROOT.

staff1, on a 390 px phone, follows the home page's link to the oldest month owed, saves it with
a photo from the camera (its EXIF position stripped on disk, its thumbnail served only through
the app's permission check, never by nginx from /media/), and a leader reads 报送情况, the lead
pipeline and the printable project sheet as PDF.
"""

import http.client
import os
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from tests.attachments import files
from tests.deployed.test_journey import PASSWORD, SHOTS, URL, database  # noqa: F401

pytestmark = [pytest.mark.deployed,
              pytest.mark.skipif(not URL, reason="needs the deployed app "
                                 "(scripts/deployed_check.sh sets PARKPORTAL_DEPLOYED_URL)")]

PROJECT = "ZB2024-02"
MONTH = "2024-04"  # the seed's reports stop at 2024-03: the first month staff1 owes


def login(context, username):
    page = context.new_page()
    page.goto(f"{URL}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, username
    return page


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"deployed-staff-{name}.png"), full_page=True)


def anonymous_get(path: str) -> tuple[int, str]:
    """(status, Location) of a GET through nginx without a session, redirects not followed."""
    parts = urllib.parse.urlsplit(URL)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location") or ""


def test_staff_month_with_a_photo_and_a_leader_reading_it(browser, database, tmp_path):  # noqa: F811
    from attachments.models import Attachment
    from projects.models import ProgressReport

    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(files.jpeg_bytes(size=(1600, 1200)))
    errors = []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = login(phone, "staff1")
        page.on("response", lambda r: r.status >= 400 and errors.append((r.status, r.url)))
        # Home: the oldest month owed first; its link opens that month's form.
        link = page.locator(f"a[href='/projects/{PROJECT}/progress/{MONTH}/']").first
        link.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "1-home-phone")
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(f"/projects/{PROJECT}/progress/{MONTH}/")

        page.fill("#id_completed_investment", "35.00")
        page.fill("#id_image_progress", "4月：厂房主体钢结构吊装（部署检查）")
        page.set_input_files("input[name=photos]", str(photo))
        page.click("button[name=action][value=save]")
        page.wait_for_load_state("networkidle")
        if page.locator("#unusual-amount").count():  # the amount needs a reason: give it
            page.fill("#id_unusual_amount_reason", "设备款集中支付")
            page.set_input_files("input[name=photos]", str(photo))
            page.click("button[name=action][value=save]")
            page.wait_for_load_state("networkidle")
        thumbnail = page.locator(".attachment-photos img").first
        thumbnail.wait_for()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "2-report-with-photo-phone")
        thumbnail_path = urllib.parse.urlsplit(thumbnail.get_attribute("src")).path
    finally:
        phone.close()

    report = ProgressReport.objects.get(project__code=PROJECT, year=2024, month=4)
    assert report.completed_investment == Decimal("35.00")
    attachment = Attachment.objects.get(object_id=report.pk,
                                        content_type__model="progressreport")
    stored = Path(os.environ["MEDIA_ROOT"]) / attachment.file.name
    with Image.open(stored) as image:  # on disk, with no EXIF (GPS) left
        assert image.size == (1600, 1200) and dict(image.getexif()) == {}

    # Without a session the thumbnail sends to the login page; nginx never serves /media/.
    status, location = anonymous_get(thumbnail_path)
    assert status == 302 and "/accounts/login/" in location, (status, location)
    assert anonymous_get(f"/media/{attachment.file.name}")[0] == 404

    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        page = login(desk, "leader1")
        page.on("response", lambda r: r.status >= 400 and errors.append((r.status, r.url)))
        # 报送情况 of April: the report staff1 just saved is there, as a draft.
        page.goto(f"{URL}/projects/reporting/{MONTH}/")
        assert PROJECT in page.inner_text("main")
        shoot(page, "3-reporting-status")
        # The lead pipeline and the dashboard's funnel (the seed's 11 landed leads).
        page.goto(f"{URL}/leads/")
        assert page.locator("table tbody tr").count() >= 11
        page.goto(f"{URL}/dashboard/?park=zhenba&year=2024&quarter=1")
        page.wait_for_selector("#chart-funnel[data-rendered='1']", timeout=20_000)
        shoot(page, "4-dashboard-funnel")
        # The printable project sheet, as PDF, with the leader's session.
        response = page.request.get(f"{URL}/projects/{PROJECT}/sheet.pdf")
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
        (SHOTS / "deployed-project-sheet.pdf").write_bytes(response.body())
    finally:
        desk.close()
    assert anonymous_get(f"/projects/{PROJECT}/sheet.pdf")[0] == 302
    assert not errors, errors
