"""Browser tests (headless Chromium): an admin adds a project and its annual plan; talent
names as an admin and a leader see them; the user list. Screenshots under
test-output/screenshots/upkeep-*.png."""

from datetime import date
from decimal import Decimal

import pytest

from projects.models import AnnualPlan, Project
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait(page):
    page.wait_for_load_state("networkidle")


def test_admin_adds_a_project_and_its_plan(page, live_server, login, screenshot, park,
                                           industries, staff_user, admin_user):
    login(admin_user)
    page.goto(f"{live_server.url}/projects/")
    wait(page)
    page.click("a[href='/projects/new/']")
    wait(page)
    page.fill("#id_code", "ZB2025-01")
    page.fill("#id_name", "镇巴县中药材精深加工项目")
    page.select_option("#id_industry", str(industries["biomedicine"].pk))
    page.fill("#id_total_investment", "12000")
    page.select_option("#id_construction_nature", "new")
    page.select_option("#id_stage", "preliminary")
    page.check("#id_is_major")
    page.check("#id_is_industrial")
    page.select_option("#id_responsible", str(staff_user.pk))
    page.fill("#id_responsible_unit", "县工业和信息化局")
    page.fill("#id_leader_in_charge", "王副县长")
    page.fill("#id_location", "镇巴县泾洋街道")
    page.check("#id_in_statistics")  # …but no date yet: refused with a message
    page.fill("#id_construction_content", "新建中药材提取车间及仓储用房1.2万平方米")
    page.click("main button[type=submit]")
    wait(page)
    assert "请填写入库纳统日期" in page.inner_text("main form")
    assert not Project.objects.filter(code="ZB2025-01").exists()
    screenshot("upkeep-01-project-form-error")

    page.fill("#id_in_statistics_on", "2025-01-15")
    page.click("main button[type=submit]")
    wait(page)
    assert page.url.endswith("/projects/ZB2025-01/")
    project = Project.objects.get(code="ZB2025-01")
    assert project.leader_in_charge == "王副县长" and list(project.responsible.all()) == [
        staff_user]
    screenshot("upkeep-02-project-created")

    page.click("a[href^='/projects/ZB2025-01/plans/new/']")
    wait(page)
    page.fill("#id_year", "2025")
    page.fill("#id_planned_investment", "4000")
    page.fill("#id_industrial_investment", "3500")
    for quarter, amount in (("q1", "500"), ("q2", "1000"), ("q3", "1500"), ("q4", "900")):
        page.fill(f"#id_{quarter}_planned", amount)
    page.fill("#id_completed_before_year", "0")
    page.fill("#id_milestones", "年底主体完工")
    page.click("main button[type=submit]")
    wait(page)
    assert "与年度计划" in page.inner_text("main form")  # quarters add up to 3,900, not 4,000
    screenshot("upkeep-03-plan-quarters-error")
    page.fill("#id_q4_planned", "1000")
    page.click("main button[type=submit]")
    wait(page)
    plan = AnnualPlan.objects.get(project=project, year=2025)
    assert plan.q4_planned == Decimal("1000.00")
    assert "年底主体完工" in page.inner_text("main")
    screenshot("upkeep-04-project-with-plan")


def test_admin_form_on_a_phone(page, live_server, login, screenshot, park, industries,
                               admin_user):
    page.set_viewport_size({"width": 390, "height": 844})
    login(admin_user)
    page.goto(f"{live_server.url}/projects/new/")
    wait(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is {width}px wide on a 390px screen"
    screenshot("upkeep-05-project-form-phone")


def test_talent_names_for_admin_and_leader(page, live_server, login, screenshot, park,
                                           admin_user, leader):
    partner = PartnerOrganization.objects.create(park=park, name="中关村协同发展投资有限公司",
                                                 location="北京")
    center = InnovationCenter.objects.create(park=park, name="北京飞地创新中心", kind="enclave",
                                             city="北京", partner=partner)
    TalentIntroduction.objects.create(park=park, person_name="孙博士", degree="phd",
                                      field="中药材", partner=partner, innovation_center=center,
                                      introduced_on=date(2024, 2, 1))
    login(admin_user)
    page.goto(f"{live_server.url}/talent/")
    wait(page)
    assert "孙博士" in page.inner_text("main")
    screenshot("upkeep-06-talent-admin")
    page.goto(f"{live_server.url}/users/")
    wait(page)
    screenshot("upkeep-07-users")
    page.click("form[action$='/accounts/logout/'] button")
    wait(page)
    login(leader)
    page.goto(f"{live_server.url}/talent/partners/{partner.pk}/")
    wait(page)
    assert "孙博士" not in page.inner_text("main") and "***" in page.inner_text("main")
    screenshot("upkeep-08-partner-leader")
