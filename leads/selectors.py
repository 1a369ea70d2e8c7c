"""Reads of the lead pipeline: who sees which leads, what is due, and the investment figures.

Who sees a lead (issue 13): leaders and admins every lead of their park; staff the leads
they are responsible for. Users with no park see none (admins without a park: all).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Least

from leads.clocks import DEFAULTS
from leads.models import LeadFunds, ResponseClocks
from parkportal.id_lists import InIds
from parkportal.money import as_money, ratio
from parkportal.permissions import park_of, scope_to_park
from parkportal.roles import is_admin, is_leader, is_staff_member
from projects.models import OPEN_LEAD_STAGES, InvestmentLead, LeadStage


def visible_leads(user) -> QuerySet:
    """The leads `user` may see (see the module docstring)."""
    leads = scope_to_park(InvestmentLead.objects.all(), user)
    if not (is_admin(user) or is_leader(user)):
        leads = leads.filter(responsible=user) if is_staff_member(user) else leads.none()
    return (leads.select_related("park", "industry", "responsible", "project", "enterprise")
            .annotate(lead_due_on=due_on_expression()))


def may_edit_lead(user, lead) -> bool:
    """Admins edit every lead of their park; staff the leads they are responsible for.
    Leaders read, and reassign (may_reassign)."""
    if is_admin(user):
        return True
    return is_staff_member(user) and lead.responsible_id == user.pk


def may_create_lead(user) -> bool:
    """Staff and admins of a park register leads (a lead belongs to the registrar's park)."""
    return park_of(user) is not None and (is_admin(user) or is_staff_member(user))


def may_reassign(user) -> bool:
    return is_admin(user) or is_leader(user)


def due_on_expression():
    """The earlier of the next follow-up date and the response clock (either may be null)."""
    return Least(Coalesce("next_action_on", "clock_due_on"),
                 Coalesce("clock_due_on", "next_action_on"))


def clocks_for(park):
    """The park's response clocks (the defaults when none are set)."""
    if park is None:
        return ResponseClocks(**DEFAULTS)
    clocks = ResponseClocks.objects.filter(park=park).first()
    # Unsaved and without its park: setting the park would cache this default on park.
    return clocks if clocks is not None else ResponseClocks(**DEFAULTS)


def last_follow_up_on(lead) -> date | None:
    return lead.activities.aggregate(last=Max("happened_on"))["last"]


def _responsible_open_leads(user) -> QuerySet:
    leads = (InvestmentLead.objects.filter(stage__in=OPEN_LEAD_STAGES)
             .select_related("park", "industry").annotate(lead_due_on=due_on_expression()))
    park = park_of(user) if getattr(user, "is_authenticated", False) else None
    if park is None:
        return leads.none()  # anonymous, or no park: nothing (still filterable by due day)
    return leads.filter(park=park, responsible=user)


def leads_due_for(user, today: date) -> QuerySet:
    """The user's open leads whose next follow-up or response clock is due on `today` or
    earlier (reminders count them as `leads_due`). Rows carry `lead_due_on`."""
    return (_responsible_open_leads(user).filter(lead_due_on__lte=today)
            .order_by("lead_due_on", "investor"))


def overdue_leads_for(user, today: date) -> QuerySet:
    """The user's open leads past due: the date ran out before `today`."""
    return (_responsible_open_leads(user).filter(lead_due_on__lt=today)
            .order_by("lead_due_on", "investor"))


def leads_due_counts(today: date) -> dict[int, int]:
    """{user id: how many of their open leads are due on `today` or earlier} for every
    officer at once (one query): `leads_due_for(user, today).count()` for all users."""
    rows = (InvestmentLead.objects.filter(stage__in=OPEN_LEAD_STAGES,
                                          responsible__isnull=False)
            .annotate(lead_due_on=due_on_expression()).filter(lead_due_on__lte=today)
            .order_by().values("responsible").annotate(due=Count("id")))
    return {row["responsible"]: row["due"] for row in rows}


def overdue_q(today: date) -> Q:
    """Open leads whose next follow-up or clock ran out before `today` (needs lead_due_on)."""
    return Q(stage__in=OPEN_LEAD_STAGES, lead_due_on__lt=today)


def board_columns(leads: QuerySet) -> list[dict]:
    """The board view: the leads grouped by stage, in pipeline order."""
    rows = list(leads.order_by("stage", "lead_due_on", "investor"))
    return [{"stage": value, "label": label,
             "leads": [lead for lead in rows if lead.stage == value]}
            for value, label in LeadStage.choices]


# --- figures (dashboard, rollup, workbook) -------------------------------------------------

INVESTMENT_KEYS = ("leads_active", "negotiating", "signed", "signed_amount", "funds_in_place",
                   "landed", "landing_rate")


def investment_figures(park, period) -> dict:
    """The investment-promotion figures of a park for year Y up to the end of quarter Q:

    - leads_active: leads registered by the period end that were in the pipeline during the
      year: not dropped by the period end and not landed before the year began;
    - negotiating: of those, the ones that had reached 洽谈 by the period end;
    - signed / signed_amount: leads signed in the year up to the period end, and Σ their
      signed amounts;
    - funds_in_place: Σ funds in place dated in the year up to the period end;
    - landed: leads landed in the year up to the period end;
    - landing_rate: landed ÷ signed (4 places; null when nothing was signed).
    Each count is cumulative (a landed lead also counts as signed and negotiating), so the
    four counts make the funnel by stage.
    """
    return investment_figures_by_park([park.pk], period)[park.pk]


def investment_figures_by_park(park_ids: list[int], period) -> dict[int, dict]:
    """`investment_figures` of every park in `park_ids` (parks without leads included), from
    two queries grouped by park whatever their number."""
    start, end = period.year_start, period.end
    active = (Q(registered_on__lte=end)
              & (Q(dropped_on__isnull=True) | Q(dropped_on__gt=end))
              & (Q(landed_on__isnull=True) | Q(landed_on__gte=start)))
    signed = Q(signed_on__gte=start, signed_on__lte=end)
    counts = {row["park_id"]: row for row in
              InvestmentLead.objects.filter(InIds("park_id", park_ids)).values("park_id").annotate(
                  leads_active=Count("id", filter=active),
                  negotiating=Count("id", filter=active & Q(negotiating_on__lte=end)),
                  signed=Count("id", filter=signed),
                  signed_amount=Sum("signed_amount", filter=signed),
                  landed=Count("id", filter=Q(landed_on__gte=start, landed_on__lte=end)),
              ).order_by()}
    funds = dict(LeadFunds.objects.filter(InIds("lead__park_id", park_ids), received_on__gte=start,
                                          received_on__lte=end)
                 .values("lead__park_id").annotate(total=Sum("amount"))
                 .values_list("lead__park_id", "total").order_by())
    none = {"leads_active": 0, "negotiating": 0, "signed": 0, "signed_amount": None,
            "landed": 0}
    result = {}
    for park_id in park_ids:
        row = counts.get(park_id, none)
        result[park_id] = {
            "leads_active": row["leads_active"],
            "negotiating": row["negotiating"],
            "signed": row["signed"],
            "signed_amount": as_money(row["signed_amount"]),
            "funds_in_place": as_money(funds.get(park_id)),
            "landed": row["landed"],
            "landing_rate": ratio(row["landed"], row["signed"]),
        }
    return result


def lead_rows(park, period) -> QuerySet:
    """The leads of the park registered by the period end, with the funds in place dated up
    to it (`funds_to_date`): the workbook's lead sheet."""
    return (InvestmentLead.objects.filter(park=park, registered_on__lte=period.end)
            .select_related("industry", "responsible", "enterprise", "project")
            .annotate(funds_to_date=Sum("funds__amount",
                                        filter=Q(funds__received_on__lte=period.end)))
            .order_by("registered_on", "pk"))
