"""Investment leads (issue 13): leaders and admins see every lead of the park, staff the
leads they are responsible for (another officer's lead is a 404); responsible staff and
admins act on a lead; leaders and admins hand leads over; admins set the response clocks."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from tests.permissions.matrix import STAFF_OTHER, STAFF_RESP, Case, everyone, roles

SEES = roles(staff_resp=200, staff_other=404, leader=200, admin=200, parkless=404)
ACT_GET = roles(staff_resp=200, staff_other=404, leader=403, admin=200, parkless=404,
                leader_staff=403)
ACT_POST = roles(staff_resp=302, staff_other=404, leader=403, admin=302, parkless=404,
                 leader_staff=403)


def _lead(world):
    """A signed lead of staff_responsible: every action applies to it."""
    from leads import services
    from projects.models import InvestmentLead

    lead = InvestmentLead.objects.filter(park=world.park, investor="矩阵线索").first()
    if lead is None:
        staff = world.users[STAFF_RESP]
        lead = services.save_lead(instance=None, user=staff, data={
            "investor": "矩阵线索", "registered_on": date(2024, 3, 1)})
        services.change_stage(lead=lead, user=staff, to_stage="signed", on=date(2024, 3, 4),
                              signed_amount=Decimal("3000"))
    return lead


def _pk(world):
    return {"pk": _lead(world).pk}


def _leads(world):
    from projects.models import InvestmentLead

    return sorted(InvestmentLead.objects.values_list("pk", "investor", "stage",
                                                     "responsible_id"))


def _follow_ups(world):
    from projects.models import LeadActivity

    return sorted(LeadActivity.objects.values_list("pk", "note"))


def _funds(world):
    from leads.models import LeadFunds

    return sorted(LeadFunds.objects.values_list("pk", "amount"))


def _clocks(world):
    from leads.models import ResponseClocks

    return sorted(ResponseClocks.objects.values_list("park_id", "answer_working_days",
                                                     "report_days"))


def _today():
    return timezone.localdate().isoformat()


CASES = {
    "leads:list": Case(get=everyone(200), post=everyone(405)),
    "leads:board": Case(get=everyone(200), post=everyone(405)),
    "leads:clocks": Case(
        get=roles(staff_resp=403, staff_other=403, leader=200, admin=200),
        post=roles(staff_resp=403, staff_other=403, leader=403, admin=302),
        post_data={"answer_working_days": "2", "assess_working_days": "3",
                   "feedback_days": "7", "report_days": "21"},
        state=_clocks),
    "leads:create": Case(
        get=roles(staff_resp=200, staff_other=200, leader=403, admin=200, leader_staff=200),
        post=roles(staff_resp=302, staff_other=302, leader=403, admin=302, leader_staff=302),
        post_data=lambda w: {"investor": "矩阵新线索", "registered_on": "2024-03-02",
                             "responsible": w.users[STAFF_RESP].pk},
        state=_leads),
    "leads:detail": Case(get={**SEES}, post=everyone(405), kwargs=_pk),
    "leads:edit": Case(get=ACT_GET, post=ACT_POST, kwargs=_pk,
                       post_data={"investor": "矩阵线索（改）"}, state=_leads),
    "leads:followup_create": Case(get=ACT_GET, post=ACT_POST, kwargs=_pk,
                                  post_data=lambda w: {"happened_on": _today(),
                                                       "note": "矩阵洽谈"},
                                  state=_follow_ups),
    "leads:stage": Case(get=ACT_GET, post=ACT_POST, kwargs=_pk,
                        post_data=lambda w: {"to_stage": "dropped", "on": _today(),
                                             "reason": "矩阵放弃"},
                        state=_leads),
    "leads:funds_create": Case(get=ACT_GET, post=ACT_POST, kwargs=_pk,
                               post_data=lambda w: {"received_on": _today(),
                                                    "amount": "500"},
                               state=_funds),
    "leads:land": Case(get=ACT_GET, post=ACT_POST, kwargs=_pk,
                       post_data=lambda w: {"landed_on": _today(),
                                            "credit_code": w.enterprise.credit_code},
                       state=_leads),
    "leads:reassign": Case(
        get=roles(staff_resp=403, staff_other=404, leader=200, admin=200, parkless=404),
        post=roles(staff_resp=403, staff_other=404, leader=302, admin=302, parkless=404),
        kwargs=_pk,
        post_data=lambda w: {"to_user": w.users[STAFF_OTHER].pk, "reason": "矩阵过户"},
        state=_leads),
}
