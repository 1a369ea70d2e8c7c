"""Browser walk of a staff member's month (issue 12): the home page's backlog on a desktop and
a 390×844 phone, phone Back + save on the visit form, and 报送情况 as a leader.
Screenshots: test-output/screenshots/month-*.png."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from enterprises.models import Demand, Enterprise, Relation, Visit
from projects.models import ProgressReport, Project, ProjectStage
from tests.conftest import PASSWORD, SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN",
         "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def month(park, industries, project, staff_user, other_staff, leader):
    """Reports to 2024-03 as in the seed: January approved, February returned, March
    submitted late; a second project of staff_user with a March draft; one of other_staff."""
    at = datetime(2024, 4, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    project.name = "镇巴县生物医药产业园标准化厂房建设项目"
    project.save()
    ProgressReport.objects.create(project=project, year=2024, month=1, status="approved",
                                  completed_investment=Decimal("600"), submitted_at=at)
    ProgressReport.objects.create(project=project, year=2024, month=2, status="returned",
                                  completed_investment=Decimal("750"), submitted_at=at,
                                  return_reason="本月完成投资与统计台账不一致，请核实后重报")
    ProgressReport.objects.create(project=project, year=2024, month=3, status="submitted",
                                  completed_investment=Decimal("500"),
                                  submitted_at=datetime(2024, 4, 15, 9,
                                                        tzinfo=ZoneInfo("Asia/Shanghai")))
    second = Project.objects.create(park=park, code="ZB2024-02", name="魔芋精深加工生产线项目",
                                    industry=industries["green-food"],
                                    total_investment=Decimal("8000"),
                                    stage=ProjectStage.CONTINUING)
    second.responsible.add(staff_user)
    for m in (1, 2):
        ProgressReport.objects.create(project=second, year=2024, month=m, status="approved",
                                      submitted_at=at)
    ProgressReport.objects.create(project=second, year=2024, month=3, status="draft")
    third = Project.objects.create(park=park, code="ZB2024-03", name="农光互补光伏发电项目",
                                   industry=industries["clean-energy"],
                                   total_investment=Decimal("25000"),
                                   stage=ProjectStage.NEW_START)
    third.responsible.add(other_staff)
    for m in (1, 2, 3):
        ProgressReport.objects.create(project=third, year=2024, month=m, status="submitted",
                                      submitted_at=at, completed_investment=Decimal("900"))
    enterprise = Enterprise.objects.create(
        park=park, name="陕西巴山药业有限公司", credit_code="91610728MA6YQ3W27J",
        industry=industries["biomedicine"], relation=Relation.RESIDENT)
    enterprise.responsible.add(staff_user)
    return {"enterprise": enterprise}


def test_staff_home_on_desktop_and_phone(browser, page, live_server, month, staff_user):
    sign_in(page, live_server, staff_user)
    page.goto(f"{live_server.url}/")
    card = page.locator("#todo-reports")
    text = card.inner_text()
    assert "本月完成投资与统计台账不一致" in text and "草稿" in text and "缺报" in text
    # Returned first, then the draft, then the missing months oldest first.
    links = card.locator("a.btn").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links[0] == "/projects/T-001/progress/2024-02/"
    assert "/projects/T-001/progress/2024-04/" in links
    assert links.index("/projects/T-001/progress/2024-04/") < links.index(
        "/projects/T-001/progress/2024-05/")
    shot(page, "month-01-home-desktop")
    page.click("a[href='/projects/T-001/progress/2024-04/']")
    page.wait_for_load_state("networkidle")
    assert "2024-04" in page.inner_text("h1") and page.locator("#id_completed_investment").count()
    shot(page, "month-02-oldest-missing-month")

    phone = browser.new_context(**PHONE).new_page()
    try:
        sign_in(phone, live_server, staff_user)
        phone.goto(f"{live_server.url}/")
        shot(phone, "month-03-home-phone")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert phone.locator("#inbox-link").is_visible() or phone.locator(
            ".navbar-toggler").is_visible()
    finally:
        phone.context.close()


def test_phone_back_and_save_makes_one_visit(browser, live_server, month, staff_user):
    enterprise = month["enterprise"]
    phone = browser.new_context(**PHONE).new_page()
    try:
        sign_in(phone, live_server, staff_user)
        phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/visits/new/")
        phone.fill("#id_notes", "走访了解生产经营情况")
        phone.fill("#id_demand_description", "希望协助招聘熟练操作工10名")
        phone.click("main button[type=submit]")
        phone.wait_for_load_state("networkidle")
        phone.go_back()  # the browser shows the filled form again
        phone.wait_for_load_state("networkidle")
        if not phone.locator("#id_notes").input_value():  # the page was reloaded: refill
            phone.fill("#id_notes", "走访了解生产经营情况")
            phone.fill("#id_demand_description", "希望协助招聘熟练操作工10名")
        phone.click("main button[type=submit]")
        phone.wait_for_load_state("networkidle")
        shot(phone, "month-04-visit-saved-again-phone")
        body = phone.inner_text("main")
    finally:
        phone.context.close()
    visits = Visit.objects.filter(enterprise=enterprise).count()
    # Back restores the form with its token (bfcache or form restore): one visit, one demand.
    # A reload would have issued a new token, which is a new intention: then two.
    if "已保存，未重复添加" in body:
        assert visits == 1 and Demand.objects.count() == 1
    else:
        pytest.fail(f"second save was not recognised: {visits} visits; page said {body[:200]}")


def test_leader_reporting_status_and_approve_all(page, live_server, month, leader):
    sign_in(page, live_server, leader)
    page.goto(f"{live_server.url}/projects/reporting/2024-03/")
    assert page.locator("h1").inner_text().startswith("报送情况")
    states = dict(page.locator("#reporting-projects tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.project, r.dataset.state])"))
    assert states == {"T-001": "late", "ZB2024-02": "draft", "ZB2024-03": "on_time"}
    shot(page, "month-05-reporting-leader")
    page.click("#approve-all button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已审核通过 2 份月报" in page.inner_text("main")
    assert page.locator("#approve-all").count() == 0
    shot(page, "month-06-reporting-approved")
    assert set(ProgressReport.objects.filter(year=2024, month=3, status="approved")
               .values_list("project__code", flat=True)) == {"T-001", "ZB2024-03"}
    assert ProgressReport.objects.get(project__code="ZB2024-03", month=3).reviewed_by == leader
    assert timezone.now()
