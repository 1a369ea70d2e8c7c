"""Browser test (headless Chromium): staff log a follow-up with a proof photo on a phone
(390×844); a leader reads the lead funnel on the dashboard and the board. Screenshots:
test-output/screenshots/leads-*.png."""

from datetime import date
from decimal import Decimal

import pytest

from attachments.models import Attachment
from enterprises.models import Enterprise, Relation
from leads import services
from projects.models import LeadActivity
from tests.attachments.files import jpeg_bytes
from tests.conftest import PASSWORD

from .conftest import make_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait(page):
    page.wait_for_load_state("networkidle")


def _path(name):
    from tests.conftest import SCREENSHOT_DIR

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / f"{name}.png"


@pytest.fixture
def pipeline(park, industries, staff_user, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    overdue = make_lead(park, staff_user, investor="深圳某生物医药科技有限公司",
                        industry=industries["biomedicine"], registered_on=date(2024, 3, 4),
                        intended_investment=Decimal("15000"), source="上海飞地推介",
                        next_action="邀请来园考察", next_action_on=date(2024, 3, 8))
    talks = make_lead(park, staff_user, investor="西安某食品集团",
                      industry=industries["green-food"], registered_on=date(2024, 1, 10))
    services.change_stage(lead=talks, user=staff_user, to_stage="negotiating",
                          on=date(2024, 1, 20))
    signed = make_lead(park, staff_user, investor="成都某新能源有限公司",
                       industry=industries["clean-energy"], registered_on=date(2024, 1, 5))
    services.change_stage(lead=signed, user=staff_user, to_stage="signed",
                          on=date(2024, 2, 6), signed_amount=Decimal("20000"))
    services.record_funds(lead=signed, user=staff_user, received_on=date(2024, 3, 1),
                          amount=Decimal("5000"))
    landed = make_lead(park, staff_user, investor="上海某药业", registered_on=date(2024, 1, 3),
                       industry=industries["biomedicine"])
    services.change_stage(lead=landed, user=staff_user, to_stage="signed", on=date(2024, 1, 15),
                          signed_amount=Decimal("8000"))
    Enterprise.objects.create(park=park, name="上海某药业（镇巴）有限公司",
                              credit_code="91610728MA6YQ3W27J", relation=Relation.RESIDENT)
    services.land_lead(lead=landed, user=staff_user, landed_on=date(2024, 3, 10),
                       credit_code="91610728MA6YQ3W27J")
    photo = tmp_path / "考察合影.jpg"
    photo.write_bytes(jpeg_bytes())
    return {"overdue": overdue, "photo": photo}


def test_staff_log_a_follow_up_with_a_proof_photo_on_a_phone(browser, live_server, pipeline,
                                                             staff_user):
    lead = pipeline["overdue"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{live_server.url}/accounts/login/")
        phone.fill("#id_username", staff_user.username)
        phone.fill("#id_password", PASSWORD)
        phone.click("button[type=submit]")
        wait(phone)
        # The overdue lead is on the officer's home page.
        assert "深圳某生物医药科技有限公司" in phone.inner_text("#overdue-leads")
        phone.screenshot(path=str(_path("leads-01-home-overdue-phone")), full_page=True)
        phone.click("#overdue-leads a:has-text(\"深圳某生物医药科技有限公司\")")
        wait(phone)
        assert phone.is_visible("#lead-overdue")
        phone.click("#log-follow-up")
        wait(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.fill("#id_participants", "张三；投资方王总")
        phone.fill("#id_note", "投资方来园实地考察标准化厂房，初步意向租用2号厂房。")
        phone.fill("#id_next_step", "报送厂房租赁方案")
        phone.set_input_files("#id_proof", str(pipeline["photo"]))
        phone.fill("#id_proof_caption", "实地考察合影")
        phone.screenshot(path=str(_path("leads-02-follow-up-form-phone")), full_page=True)
        phone.click("main button[type=submit]")
        wait(phone)
        assert "投资方来园实地考察标准化厂房" in phone.inner_text("#follow-ups")
        assert phone.locator("#follow-ups .attachment-photos img").count() == 1
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(_path("leads-03-lead-with-proof-phone")), full_page=True)
    finally:
        context.close()
    activity = LeadActivity.objects.get(lead=lead)
    assert activity.user == staff_user and activity.next_step == "报送厂房租赁方案"
    assert Attachment.objects.get().record == activity


def test_leader_reads_the_funnel(page, live_server, login, pipeline, leader):
    login(leader)
    page.goto(f"{live_server.url}/dashboard/?park=testpark&year=2024&quarter=1")
    wait(page)
    page.wait_for_selector("#chart-funnel[data-rendered='1']")
    card = page.inner_text("[data-figure='investment.landed']")
    assert "落地 1 个" in card and "签约 2 个" in card
    page.locator("#investment-funnel").scroll_into_view_if_needed()
    page.locator("#investment-funnel").screenshot(path=str(_path("leads-04-funnel")))
    page.screenshot(path=str(_path("leads-05-dashboard")), full_page=True)
    page.click("#investment-funnel a")
    wait(page)
    assert page.locator("#lead-board [data-stage='landed'] a").count() == 1
    page.screenshot(path=str(_path("leads-06-board")), full_page=True)
