"""Browser tests (headless Chromium): staff attach a real photo (a JPEG with EXIF, made by
Pillow) to a monthly report on a 390×844 phone; a bad file is refused on the page; the project
page shows the photo; an admin rolls the year over and confirms. Screenshots under
test-output/screenshots/attach-*.png and rollover-*.png."""

from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from attachments.models import Attachment
from projects.models import AnnualPlan, ProgressReport, ReportStatus
from tests.attachments import files
from tests.conftest import PASSWORD, SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait(page):
    page.wait_for_load_state("networkidle")


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def test_staff_attach_a_photo_to_a_report_on_a_phone(browser, live_server, settings, tmp_path,
                                                     project, staff_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    ProgressReport.objects.create(project=project, year=2024, month=3,
                                  completed_investment=Decimal("300"),
                                  image_progress="基础施工完成，主体结构开始",
                                  created_by=staff_user, status=ReportStatus.DRAFT)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(files.jpeg_bytes(size=(1200, 900)))
    fake = tmp_path / "照片.jpg"
    fake.write_bytes(files.exe_as_jpg().read())
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{live_server.url}/accounts/login/")
        phone.fill("#id_username", staff_user.username)
        phone.fill("#id_password", PASSWORD)
        phone.click("button[type=submit]")
        wait(phone)
        phone.goto(f"{live_server.url}/projects/{project.code}/progress/2024-03/")
        wait(phone)
        panel = phone.locator(".attachment-panel")
        assert panel.locator("input[capture=environment][accept='image/*']").count() == 1
        # A program renamed .jpg: refused with a message, nothing stored.
        panel.locator("input[type=file]").nth(1).set_input_files(str(fake))
        panel.locator("button[type=submit]").click()
        wait(phone)
        assert "此类文件不能作为附件" in phone.inner_text("main")
        assert not Attachment.objects.exists()
        shot(phone, "attach-01-refused-phone")
        # The real photo, through the camera input.
        panel = phone.locator(".attachment-panel")
        panel.locator("input[capture=environment]").set_input_files(str(photo))
        panel.locator("input[name=caption]").fill("3月主体施工现场")
        panel.locator("button[type=submit]").click()
        wait(phone)
        assert "已上传 现场照片.jpg" in phone.inner_text("main")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        image = phone.locator(".attachment-photos img").first
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert "拍摄于 2024-03-18 09:41" in phone.inner_text(".attachment-photos")
        shot(phone, "attach-02-photo-on-report-phone")
        phone.goto(f"{live_server.url}/projects/{project.code}/")
        wait(phone)
        assert phone.locator(".report-photos img").first.evaluate(
            "img => img.complete && img.naturalWidth > 0")
        shot(phone, "attach-03-project-page-phone")
    finally:
        context.close()
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by == staff_user and attachment.caption == "3月主体施工现场"
    with Image.open(settings.MEDIA_ROOT / attachment.file.name) as stored:
        assert dict(stored.getexif()) == {}


def test_admin_rolls_the_year_over_and_confirms(page, live_server, login, park, project,
                                                admin_user, staff_user):
    ProgressReport.objects.create(project=project, year=2024, month=6,
                                  completed_investment=Decimal("1500"), created_by=staff_user,
                                  status=ReportStatus.APPROVED, submitted_at=timezone.now())
    login(admin_user)
    page.goto(f"{live_server.url}/dashboard/?park={park.slug}&year=2024&quarter=4")
    wait(page)
    page.click("#rollover-link")
    wait(page)
    page.fill("#id_from_year", "2024")
    page.click("main form[method=get] button[type=submit]")
    wait(page)
    assert "1,500.00" in page.inner_text(".rollover-preview")  # amounts with separators
    shot(page, "rollover-01-preview")
    assert not AnnualPlan.objects.filter(year=2025).exists()
    page.click("main form[method=post] button[type=submit]")
    wait(page)
    assert AnnualPlan.objects.get(year=2025).status == "draft"
    assert "尚未填写计划投资" in page.inner_text("main")
    shot(page, "rollover-02-confirm")
    page.click(f"a[href='/projects/{project.code}/plans/2025/edit/']")
    wait(page)
    page.fill("#id_planned_investment", "3000")
    page.click("main button[type=submit]")
    wait(page)
    page.goto(f"{live_server.url}/dashboard/rollover/2025/confirm/")
    wait(page)
    page.click("main form[method=post] button[type=submit]")
    wait(page)
    plan = AnnualPlan.objects.get(year=2025)
    assert plan.status == "confirmed" and plan.planned_investment == Decimal("3000")
    assert plan.completed_before_year == Decimal("1500")
    assert "已确认" in page.inner_text("main")
    shot(page, "rollover-03-dashboard-2025")
