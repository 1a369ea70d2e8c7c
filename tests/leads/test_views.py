"""Lead pages: the shared object-view tests, the board, the actions and who may use them."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise, Relation
from leads.models import LeadFunds, LeadReassignment, LeadStageChange, ResponseClocks
from projects.models import InvestmentLead, LeadActivity, LeadStage, Project
from tests.object_views import ObjectViewTests, table_pks
from tests.permissions.matrix import roles

SEE = roles(staff_resp=200, staff_other=404, leader=200, admin=200)
CREATE = roles(staff_resp=200, staff_other=200, leader=403, admin=200)
EDIT = roles(staff_resp=200, staff_other=404, leader=403, admin=200)
LIST = roles(staff_resp=200, staff_other=200, leader=200, admin=200)


class TestLeadPages(ObjectViewTests):
    url_prefix = "leads:"
    model = InvestmentLead
    access = {"list": LIST, "detail": SEE, "create": CREATE, "edit": EDIT}
    changed_fields = ("investor", "source")
    volatile_fields = ("updated_at",)
    query_budget = {"list": 9, "detail": 16}

    @pytest.fixture
    def objects(self, leads_world, industries, staff_user):
        self.filter_cases = {
            "q": ("食品", [1]), "stage": ("lead", [1, 2]), "source": ("以商", [1]),
            "industry": (industries["biomedicine"].pk, [0]),
            "responsible": (staff_user.pk, [0, 1]), "overdue": ("true", [1, 2]),
        }
        # The admin's list also holds other_staff's lead: a third sample object.
        return [leads_world["mine"], leads_world["overdue"], leads_world["theirs"]]

    def form_data(self, objects):
        return {"investor": "杭州某医药", "industry": objects[0].industry_id,
                "intended_investment": "12000", "source": "上海飞地推介", "contact": "",
                "registered_on": "2024-03-01", "responsible": objects[0].responsible_id,
                "next_action": "", "next_action_on": ""}

    def edit_form_data(self, objects):
        return {"investor": "深圳某生物科技有限公司", "industry": objects[0].industry_id,
                "intended_investment": "9000", "source": "招商推介会（深圳）", "contact": "",
                "next_action": "", "next_action_on": ""}

    def invalid_form_data(self, objects):
        return {"investor": "", "intended_investment": "-5"}


def test_staff_see_only_their_own_leads(client, leads_world, staff_user, leader):
    client.force_login(staff_user)
    mine = {leads_world["mine"].pk, leads_world["overdue"].pk}
    assert set(table_pks(client.get(reverse("leads:list")))) == mine
    client.force_login(leader)
    assert set(table_pks(client.get(reverse("leads:list")))) == mine | {leads_world["theirs"].pk}


def test_staff_register_leads_for_themselves(client, staff_user, other_staff, industries):
    client.force_login(staff_user)
    response = client.post(reverse("leads:create"), {
        "investor": "宁波某包装", "industry": industries["other"].pk, "registered_on": "2024-03-01",
        "responsible": other_staff.pk})  # not a field for staff: ignored
    assert response.status_code == 302
    lead = InvestmentLead.objects.get(investor="宁波某包装")
    assert lead.responsible == staff_user
    assert lead.stage_changes.get().to_stage == LeadStage.LEAD


def test_board_groups_leads_by_stage(client, leads_world, leader):
    client.force_login(leader)
    response = client.get(reverse("leads:board"), {"industry": leads_world["mine"].industry_id})
    board = {column["stage"]: [lead.pk for lead in column["leads"]]
             for column in response.context["board"]}
    assert board[LeadStage.NEGOTIATING] == [leads_world["mine"].pk]
    assert all(not board[stage] for stage in board if stage != LeadStage.NEGOTIATING)
    assert 'id="lead-board"' in response.content.decode()


def test_follow_up_from_the_page(client, leads_world, staff_user):
    lead = leads_world["overdue"]
    client.force_login(staff_user)
    day = timezone.localdate()
    response = client.post(reverse("leads:followup_create", args=[lead.pk]), {
        "happened_on": day.isoformat(), "participants": "张三、投资方王总",
        "note": "实地考察园区标准厂房", "next_step": "报送选址方案",
        "next_action_on": (day + timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    activity = LeadActivity.objects.get(lead=lead)
    assert (activity.user, activity.participants) == (staff_user, "张三、投资方王总")
    lead.refresh_from_db()
    assert lead.next_action == "报送选址方案"
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "实地考察园区标准厂房" in page
    # Registered 2024-03-04 and never assessed: the assess clock still runs, and ran out.
    assert 'id="lead-overdue"' in page


def test_a_bad_follow_up_is_refused_and_writes_nothing(client, leads_world, staff_user):
    lead = leads_world["mine"]
    client.force_login(staff_user)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(reverse("leads:followup_create", args=[lead.pk]),
                           {"happened_on": future, "note": "还没发生"})
    assert response.status_code == 200
    assert "happened_on" in response.context["form"].errors
    assert LeadActivity.objects.filter(lead=lead).count() == 1  # the fixture's


def test_stage_moves_drop_needs_a_reason(client, leads_world, staff_user):
    lead = leads_world["mine"]
    client.force_login(staff_user)
    url = reverse("leads:stage", args=[lead.pk])
    response = client.post(url, {"to_stage": "dropped", "on": "2024-03-06", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert InvestmentLead.objects.get(pk=lead.pk).stage == LeadStage.NEGOTIATING
    response = client.post(url, {"to_stage": "dropped", "on": "2024-03-06",
                                 "reason": "投资方转向外省"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.stage, lead.dropped_on, lead.drop_reason) == (
        LeadStage.DROPPED, date(2024, 3, 6), "投资方转向外省")


def test_leader_hands_a_lead_over(client, leads_world, leader, other_staff):
    lead = leads_world["mine"]
    client.force_login(leader)
    url = reverse("leads:reassign", args=[lead.pk])
    assert client.post(url, {"to_user": other_staff.pk, "reason": ""}).status_code == 200
    assert client.post(url, {"to_user": other_staff.pk,
                             "reason": "张三调岗"}).status_code == 302
    lead.refresh_from_db()
    assert lead.responsible == other_staff
    record = LeadReassignment.objects.get()
    assert (record.by, record.reason) == (leader, "张三调岗")
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "张三调岗" in page


def test_landing_links_an_existing_enterprise_and_creates_a_project(
        client, park, leads_world, staff_user, admin_user):
    lead = leads_world["mine"]
    from leads import services

    services.change_stage(lead=lead, user=staff_user, to_stage="signed", on=date(2024, 3, 8),
                          signed_amount=Decimal("7000"))
    existing = Enterprise.objects.create(park=park, name="深圳某生物科技（镇巴）有限公司",
                                         credit_code="91610728MA6YQ3W27J",
                                         relation=Relation.RESIDENT)
    client.force_login(staff_user)
    response = client.post(reverse("leads:land", args=[lead.pk]), {
        "landed_on": "2024-03-20", "credit_code": "91610728ma6yq3w27j",
        "create_project": "on", "project_code": "ZB2024-LEAD1",
        "project_name": "生物医药产业园（一期）", "total_investment": "7000"})
    assert response.status_code == 302, response.context["form"].errors
    lead.refresh_from_db()
    assert (lead.stage, lead.landed_on, lead.enterprise) == (
        LeadStage.LANDED, date(2024, 3, 20), existing)
    project = Project.objects.get(code="ZB2024-LEAD1")
    assert lead.project == project and project.owner_enterprise == existing
    assert Enterprise.objects.count() == 1
    lead_page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert reverse("enterprises:detail", args=[existing.pk]) in lead_page
    assert reverse("projects:detail", args=[project.code]) in lead_page
    lead_url = reverse("leads:detail", args=[lead.pk])
    client.force_login(admin_user)
    for url in (reverse("enterprises:detail", args=[existing.pk]),
                reverse("projects:detail", args=[project.code])):
        page = client.get(url).content.decode()
        assert 'id="lead-lineage"' in page and lead_url in page, url


def test_landing_with_a_bad_credit_code_writes_nothing(client, leads_world, staff_user):
    lead = leads_world["mine"]
    from leads import services

    services.change_stage(lead=lead, user=staff_user, to_stage="signed", on=date(2024, 3, 8),
                          signed_amount=Decimal("7000"))
    client.force_login(staff_user)
    response = client.post(reverse("leads:land", args=[lead.pk]), {
        "landed_on": "2024-03-20", "credit_code": "91610728MA6YQ3W27X",
        "create_project": "on", "project_code": "ZB2024-LEAD2", "project_name": "某项目"})
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert not Project.objects.filter(code="ZB2024-LEAD2").exists()
    assert not Enterprise.objects.exists()
    assert InvestmentLead.objects.get(pk=lead.pk).stage == LeadStage.SIGNED


def test_funds_in_place_over_time(client, leads_world, staff_user):
    lead = leads_world["mine"]
    from leads import services

    services.change_stage(lead=lead, user=staff_user, to_stage="signed", on=date(2024, 3, 8),
                          signed_amount=Decimal("7000"))
    client.force_login(staff_user)
    url = reverse("leads:funds_create", args=[lead.pk])
    assert client.post(url, {"received_on": "2024-03-01", "amount": "100"}).status_code == 200
    for day, amount in (("2024-03-10", "1500"), ("2024-03-25", "2000.50")):
        assert client.post(url, {"received_on": day, "amount": amount}).status_code == 302
    assert [f.amount for f in LeadFunds.objects.filter(lead=lead)] == [
        Decimal("1500.00"), Decimal("2000.50")]


def test_response_clocks_page(client, park, leader, admin_user, leads_world):
    url = reverse("leads:clocks")
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"answer_working_days": 2, "assess_working_days": 3,
                             "feedback_days": 7, "report_days": 14}).status_code == 403
    client.force_login(admin_user)
    assert client.post(url, {"answer_working_days": 0, "assess_working_days": 3,
                             "feedback_days": 7, "report_days": 14}).status_code == 200
    assert not ResponseClocks.objects.exists()
    assert client.post(url, {"answer_working_days": 2, "assess_working_days": 5,
                             "feedback_days": 10, "report_days": 30}).status_code == 302
    assert ResponseClocks.objects.get(park=park).report_days == 30
    lead = InvestmentLead.objects.get(pk=leads_world["theirs"].pk)
    # Registered Monday 2024-03-04, nothing logged: answer within 2 working days.
    assert (lead.clock_due_on, lead.clock_kind) == (date(2024, 3, 6), "answer")


def test_overdue_leads_on_the_home_page(client, leads_world, staff_user, other_staff):
    client.force_login(staff_user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="overdue-leads"' in page and "西安某食品集团" in page
    assert "成都某新能源" not in page  # other_staff's lead


def test_another_officers_lead_actions_are_not_found(client, leads_world, other_staff):
    client.force_login(other_staff)
    for name in ("followup_create", "stage", "funds_create", "land"):
        url = reverse(f"leads:{name}", args=[leads_world["mine"].pk])
        assert client.get(url).status_code == 404, name


def test_stage_history_on_the_page(client, leads_world, staff_user):
    lead = leads_world["mine"]
    from leads import services

    services.change_stage(lead=lead, user=staff_user, to_stage="signed",
                          on=date(2024, 3, 9), reason="签订投资协议", signed_amount=Decimal("6000"))
    client.force_login(staff_user)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "2024-03-05" in page and "投资方来园考察" in page and "签订投资协议" in page
    assert list(LeadStageChange.objects.filter(lead=lead).values_list("to_stage", flat=True)) \
        == ["lead", "negotiating", "signed"]





def test_a_lead_with_nothing_due_is_listed_with_a_dash(client, park, staff_user, leader):
    """A lead with no next follow-up and no running clock (as the seed's landed leads) has no
    due date: the list shows "—" for it (it answered 500 on the deployed stack)."""
    from tests.leads.conftest import make_lead

    lead = make_lead(park, staff_user, investor="汉中某装备制造")
    InvestmentLead.objects.filter(pk=lead.pk).update(next_action_on=None, clock_due_on=None)
    client.force_login(leader)
    response = client.get(reverse("leads:list"))
    assert response.status_code == 200
    rows = re.findall(r"<tr\b.*?</tr>", response.content.decode(), re.S)
    row = next(row for row in rows if "汉中某装备制造" in row)
    assert re.search(r"<td[^>]*>—</td>", row), row
