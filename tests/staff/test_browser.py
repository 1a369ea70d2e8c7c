"""Browser tests (headless Chromium): the monthly report from staff to leader, and the visit
form on a phone. Every step saves a screenshot under test-output/screenshots/staff-*.png."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from enterprises.models import Demand, Enterprise, Relation, Visit
from projects.models import (
    AnnualPlan,
    PreliminaryProcedure,
    ProgressReport,
    Project,
    ProjectStage,
    ReportStatus,
)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(park, industries, project, staff_user, other_staff, leader):
    """A small park: four projects with plans and reports, three enterprises."""
    project.name = "镇巴县生物医药产业园标准化厂房建设项目"
    project.location = "镇巴县泾洋街道"
    project.construction_content = "新建标准化厂房4栋，建筑面积2.4万平方米，配套道路、管网等。"
    project.save()
    for month, amount, text in [(1, "600", "场地平整完成，开始基础施工"),
                                (2, "750", "1号、2号厂房基础完成")]:
        ProgressReport.objects.create(project=project, year=2024, month=month,
                                      completed_investment=Decimal(amount),
                                      fixed_asset_investment=Decimal(amount),
                                      image_progress=text, problems="施工用电容量不足",
                                      stage=ProjectStage.NEW_START,
                                      status=ReportStatus.APPROVED, submitted_by=staff_user,
                                      submitted_at=timezone.now(), reviewed_by=leader,
                                      reviewed_at=timezone.now(), created_by=staff_user)
    for kind, status in [("filing", "done"), ("land", "done"), ("environment", "in_progress"),
                         ("construction_permit", "pending")]:
        PreliminaryProcedure.objects.create(project=project, kind=kind, status=status,
                                            done_on=date(2023, 12, 1) if status == "done"
                                            else None)
    others = [
        ("ZB2024-02", "魔芋精深加工生产线项目", "green-food", "continuing", "8000", "3000"),
        ("ZB2024-03", "农光互补光伏发电项目", "clean-energy", "new_start", "25000", "9000"),
        ("ZB2024-04", "巴山生态康养旅游综合体", "eco-tourism", "preliminary", "12000", "1500"),
    ]
    for code, name, industry, stage, total, planned in others:
        p = Project.objects.create(park=park, code=code, name=name, stage=stage,
                                   industry=industries[industry], is_major=True,
                                   total_investment=Decimal(total))
        p.responsible.add(other_staff)
        AnnualPlan.objects.create(project=p, year=2024, planned_investment=Decimal(planned))
    e1 = Enterprise.objects.create(park=park, name="陕西巴山药业有限公司",
                                   credit_code="91610728MA6YQ3W27J",
                                   industry=industries["biomedicine"], origin="西安市",
                                   relation=Relation.RESIDENT, contact_person="赵六",
                                   contact_phone="13900001111", employees=86)
    e1.responsible.add(staff_user)
    e2 = Enterprise.objects.create(park=park, name="镇巴县秦巴魔芋食品有限公司",
                                   credit_code="91610000220528561N",
                                   industry=industries["green-food"], origin="汉中市",
                                   relation=Relation.MANAGED, contact_phone="13800002222")
    e2.responsible.add(other_staff)
    Visit.objects.create(enterprise=e2, staff=other_staff,
                         visited_on=timezone.localdate() - timedelta(days=2), notes="了解订单")
    Demand.objects.create(enterprise=e1, category="labour", description="急需熟练操作工20名",
                          assignee=staff_user, created_by=staff_user,
                          due_on=timezone.localdate() + timedelta(days=5))
    return {"project": project, "enterprise": e1}


def wait(page):
    page.wait_for_load_state("networkidle")


def logout(page):
    page.click("form[action$='/accounts/logout/'] button")
    wait(page)


def test_staff_submits_month_and_leader_approves(page, live_server, login, screenshot, scene,
                                                 staff_user, leader):
    project = scene["project"]
    page.goto(f"{live_server.url}/accounts/login/")
    # The login page itself, in Chinese: its title and the username field.
    assert page.locator("h1").inner_text() == "园区项目管理平台"
    assert page.locator("#id_username").is_visible()
    screenshot("staff-01-login")

    login(staff_user)
    assert page.url == f"{live_server.url}/"
    assert "我的工作" in page.inner_text("h1")
    screenshot("staff-02-home")

    page.goto(f"{live_server.url}/projects/")
    wait(page)
    screenshot("staff-03-project-list")

    page.click(f"a[href='/projects/{project.code}/']")
    wait(page)
    assert project.name in page.inner_text("h1")
    page.click(f"a[href='/projects/{project.code}/progress/2024-03/']")
    wait(page)
    # Narrative carried over from February.
    assert page.input_value("#id_image_progress") == "1号、2号厂房基础完成"

    page.fill("#id_completed_investment", "-20")
    page.fill("#id_fixed_asset_investment", "500")
    page.click("button[value=save]")
    wait(page)
    assert "金额不能为负数" in page.inner_text("main form.card")
    screenshot("staff-04-progress-validation")

    page.fill("#id_completed_investment", "820.5")
    page.fill("#id_image_progress", "1号、2号厂房主体结构封顶，3号厂房基础施工")
    page.fill("#id_problems", "施工用电容量仍不足")
    page.fill("#id_coordination_needed", "请供电公司尽快完成临时变压器增容")
    screenshot("staff-05-progress-filled")
    page.click("button[value=submit]")
    wait(page)
    assert "已提交审核" in page.inner_text("main")
    screenshot("staff-06-progress-submitted")
    report = ProgressReport.objects.get(project=project, year=2024, month=3)
    assert report.status == ReportStatus.SUBMITTED
    assert report.completed_investment == Decimal("820.50")

    logout(page)
    login(leader)
    assert f"{project.code}" in page.inner_text("#todo-review")
    screenshot("staff-07-leader-home")
    page.click(f"#todo-review a[href='/projects/{project.code}/progress/2024-03/']")
    wait(page)
    screenshot("staff-08-leader-review")
    page.click("button[value=approve]")
    wait(page)
    assert "审核通过" in page.inner_text("main")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.reviewed_by == leader
    screenshot("staff-09-leader-approved")

    page.goto(f"{live_server.url}/projects/{project.code}/")
    wait(page)
    assert "变更记录" in page.inner_text("#history")
    screenshot("staff-10-project-detail")


def test_staff_cannot_reach_another_persons_project_form(page, live_server, login, screenshot,
                                                         scene, other_staff):
    project = scene["project"]
    login(other_staff)
    response = page.goto(f"{live_server.url}/projects/{project.code}/progress/2024-03/")
    assert response.status == 403
    assert "无权" in page.inner_text("main")
    screenshot("staff-11-other-staff-forbidden")
    assert not ProgressReport.objects.filter(year=2024, month=3).exists()


def test_visit_form_on_a_phone(browser, live_server, screenshot, scene, staff_user):
    enterprise = scene["enterprise"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{live_server.url}/accounts/login/")
        phone.fill("#id_username", staff_user.username)
        phone.fill("#id_password", PASSWORD)
        phone.click("button[type=submit]")
        wait(phone)
        phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/visits/new/")
        wait(phone)
        # Nothing sticks out sideways on a 390 px screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.select_option("#id_kind", "on_site")
        phone.fill("#id_notes", "走访了解一季度生产经营情况，企业订单充足。")
        phone.select_option("#id_demand_category", "labour")
        phone.fill("#id_demand_description", "希望协助招聘熟练操作工10名")
        phone.screenshot(path=str(_path("staff-12-visit-phone")),
                         full_page=True)
        phone.click("main button[type=submit]")
        wait(phone)
        assert "已记录" in phone.inner_text("main")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(_path("staff-13-enterprise-phone")), full_page=True)
    finally:
        context.close()
    visit = Visit.objects.get(enterprise=enterprise)
    assert visit.staff == staff_user
    assert visit.demands.get().description == "希望协助招聘熟练操作工10名"


def _path(name):
    from tests.conftest import SCREENSHOT_DIR

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / f"{name}.png"


def test_enterprise_pages(page, live_server, login, screenshot, scene, leader):
    login(leader)
    page.goto(f"{live_server.url}/enterprises/")
    wait(page)
    assert "***" in page.inner_text("table")  # the leader does not see phones
    screenshot("staff-14-enterprise-list-leader")
    page.goto(f"{live_server.url}/enterprises/coverage/")
    wait(page)
    assert "陕西巴山药业有限公司" in page.inner_text("table")
    screenshot("staff-15-coverage")
    page.goto(f"{live_server.url}/enterprises/{scene['enterprise'].pk}/")
    wait(page)
    assert "13900001111" not in page.content()
    screenshot("staff-16-enterprise-detail-leader")
