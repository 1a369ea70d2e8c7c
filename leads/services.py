"""Writes of the lead pipeline. Keyword-only, atomic, full_clean, history with its author.

Every write that changes what a response clock reads (a new lead, a follow-up, a stage move,
new clocks) sets the lead's `clock_due_on` / `clock_kind` in the same save (leads.clocks).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attachments.services import attach_file
from enterprises.credit_code import normalize_credit_code, validate_credit_code
from enterprises.models import Enterprise, EnterpriseStatus, Relation
from leads.clocks import clock_due
from leads.models import LeadFunds, LeadReassignment, LeadStageChange, ResponseClocks
from leads.selectors import (
    clocks_for,
    last_follow_up_on,
    may_create_lead,
    may_edit_lead,
    may_reassign,
)
from parkportal.permissions import park_of
from parkportal.roles import STAFF, is_admin
from projects.models import (
    LEAD_STAGE_ORDER,
    OPEN_LEAD_STAGES,
    InvestmentLead,
    LeadActivity,
    LeadStage,
    Project,
    ProjectStage,
)

LEAD_FIELDS = ("investor", "industry", "intended_investment", "source", "contact",
               "next_action", "next_action_on")
STAGE_DATE = {LeadStage.NEGOTIATING: "negotiating_on", LeadStage.SIGNED: "signed_on",
              LeadStage.LANDED: "landed_on", LeadStage.DROPPED: "dropped_on"}


def _apply_clock(lead, clocks=None, last_on: date | None = None, *, look_up=True) -> None:
    """Set the lead's earliest running response clock (not saved)."""
    if look_up and lead.pk is not None:
        last_on = last_follow_up_on(lead)
    lead.clock_due_on, lead.clock_kind = clock_due(
        stage=lead.stage, registered_on=lead.registered_on, negotiating_on=lead.negotiating_on,
        last_follow_up_on=last_on, clocks=clocks or clocks_for(lead.park))


def _save(obj, user) -> None:
    obj._history_user = user
    obj.full_clean()
    obj.save()


def _not_future(day: date, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")}, code="future")


def _check_staff_of_park(candidate, park, field: str) -> None:
    if candidate is None:
        return
    member = getattr(candidate, "park_member", None)
    if (not candidate.is_active or member is None or member.park_id != park.pk
            or not candidate.groups.filter(name=STAFF).exists()):
        raise ValidationError({field: _("Choose an active staff member of this park.")},
                              code="not_staff")


@transaction.atomic
def save_lead(*, instance: InvestmentLead | None = None, user, data: dict) -> InvestmentLead:
    """Register (no `instance`) or edit a lead. Staff register leads for themselves; admins
    choose who is responsible. Who is responsible changes later only by `reassign_lead`."""
    if instance is None:
        if not may_create_lead(user):
            raise PermissionDenied
        park = park_of(user)
        if park is None:
            raise ValidationError(_("Your account belongs to no park: leads are registered "
                                    "by the park's own staff."), code="no_park")
        lead = InvestmentLead(park=park, registered_on=data.get("registered_on")
                              or timezone.localdate())
        _not_future(lead.registered_on, "registered_on")
        responsible = data.get("responsible") if is_admin(user) else user
        _check_staff_of_park(responsible, park, "responsible")
        lead.responsible = responsible
    else:
        if not may_edit_lead(user, instance):
            raise PermissionDenied
        lead = instance
    errors = {}
    for name in LEAD_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if getattr(value, "park_id", None) not in (None, lead.park_id):
            errors[name] = _("Choose one of your park's own records.")
        field = InvestmentLead._meta.get_field(name)
        setattr(lead, name, value if value is not None or field.null else "")
    if errors:
        raise ValidationError(errors, code="other_park")
    created = lead.pk is None
    _apply_clock(lead, look_up=not created)
    _save(lead, user)
    if created:
        LeadStageChange.objects.create(lead=lead, from_stage="", to_stage=LeadStage.LEAD,
                                       changed_on=lead.registered_on, by=user,
                                       reason=_("Registered"))
    return lead


@transaction.atomic
def log_follow_up(*, lead: InvestmentLead, user, happened_on: date, note: str,
                  participants: str = "", next_step: str = "",
                  next_action_on: date | None = None, proof=None,
                  proof_caption: str = "") -> LeadActivity:
    """A follow-up (洽谈记录) of an open lead, with an optional proof file (a photo taken on
    site, a signed minute) attached through attachments.services. Its next step and date
    become the lead's next action; the response clocks restart from it. A proof file that
    is refused leaves nothing written, the follow-up included."""
    if not may_edit_lead(user, lead):
        raise PermissionDenied
    if not lead.is_open:
        raise ValidationError(_("This lead is %(stage)s: follow-ups are logged on open leads "
                                "only.") % {"stage": lead.get_stage_display()}, code="closed")
    _not_future(happened_on, "happened_on")
    if happened_on < lead.registered_on:
        raise ValidationError({"happened_on": _("A follow-up cannot be earlier than the day "
                                                "the lead was registered.")}, code="early")
    if next_action_on is not None and next_action_on < happened_on:
        raise ValidationError({"next_action_on": _("The next step cannot be due before the "
                                                   "follow-up itself.")}, code="early")
    activity = LeadActivity(lead=lead, happened_on=happened_on, user=user, note=note.strip(),
                            participants=participants.strip(), next_step=next_step.strip())
    _save(activity, user)
    if next_step.strip() or next_action_on is not None:
        lead.next_action = next_step.strip()[:200]
        lead.next_action_on = next_action_on
    _apply_clock(lead)
    _save(lead, user)
    if proof:
        try:
            attach_file(record=activity, file=proof, user=user,
                        caption=proof_caption.strip())
        except ValidationError as exc:
            raise ValidationError({"proof": exc.messages}, code="proof") from exc
    return activity


@transaction.atomic
def change_stage(*, lead: InvestmentLead, user, to_stage: str, on: date, reason: str = "",
                 signed_amount: Decimal | None = None) -> LeadStageChange:
    """Move an open lead forward (线索 → 洽谈 → 签约) or drop it (放弃, with a reason).
    落地 goes through `land_lead`. A skipped stage gets the same date."""
    if not may_edit_lead(user, lead):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not lead.is_open:
        raise ValidationError(_("This lead is %(stage)s and no longer moves.")
                              % {"stage": lead.get_stage_display()}, code="closed")
    if to_stage == LeadStage.LANDED:
        raise ValidationError({"to_stage": _("A lead lands through the landing action, which "
                                             "links its project or enterprise.")},
                              code="land")
    if to_stage != LeadStage.DROPPED and (
            to_stage not in LEAD_STAGE_ORDER
            or LEAD_STAGE_ORDER.index(to_stage) <= LEAD_STAGE_ORDER.index(lead.stage)):
        raise ValidationError({"to_stage": _("A lead moves forward only: choose a later "
                                             "stage or drop it.")}, code="backward")
    _not_future(on, "on")
    earliest = max(d for d in (lead.registered_on, lead.negotiating_on, lead.signed_on) if d)
    if on < earliest:
        raise ValidationError({"on": _("The date cannot be earlier than %(date)s, the lead's "
                                       "previous stage.") % {"date": earliest}},
                              code="early")
    if to_stage == LeadStage.DROPPED and not reason:
        raise ValidationError({"reason": _("Say why the lead is dropped.")}, code="reason")
    if to_stage == LeadStage.SIGNED:
        if signed_amount is None:
            raise ValidationError({"signed_amount": _("Enter the signed amount.")},
                                  code="amount")
        lead.signed_amount = signed_amount
    from_stage = lead.stage
    if to_stage == LeadStage.DROPPED:
        lead.dropped_on, lead.drop_reason = on, reason
    else:
        for stage in LEAD_STAGE_ORDER[LEAD_STAGE_ORDER.index(from_stage) + 1:
                                      LEAD_STAGE_ORDER.index(to_stage) + 1]:
            setattr(lead, STAGE_DATE[stage], on)
    lead.stage = to_stage
    _apply_clock(lead)
    _save(lead, user)
    change = LeadStageChange(lead=lead, from_stage=from_stage, to_stage=to_stage,
                             changed_on=on, by=user, reason=reason)
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def reassign_lead(*, lead: InvestmentLead, user, to_user, reason: str) -> LeadReassignment:
    """过户: hand the lead to another staff member of its park, recording who and why."""
    if not may_reassign(user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the lead is handed over.")}, code="reason")
    _check_staff_of_park(to_user, lead.park, "to_user")
    if to_user is None or to_user.pk == lead.responsible_id:
        raise ValidationError({"to_user": _("Choose somebody other than the person now "
                                            "responsible.")}, code="same")
    record = LeadReassignment(lead=lead, from_user=lead.responsible, to_user=to_user, by=user,
                              reason=reason)
    record.full_clean()
    record.save()
    lead.responsible = to_user
    _save(lead, user)
    return record


@transaction.atomic
def record_funds(*, lead: InvestmentLead, user, received_on: date, amount: Decimal,
                 note: str = "") -> LeadFunds:
    """Funds in place (到位资金) that arrived for a signed or landed lead on a date."""
    if not may_edit_lead(user, lead):
        raise PermissionDenied
    if lead.stage not in (LeadStage.SIGNED, LeadStage.LANDED):
        raise ValidationError(_("Funds in place are recorded for signed or landed leads."),
                              code="not_signed")
    _not_future(received_on, "received_on")
    if lead.signed_on and received_on < lead.signed_on:
        raise ValidationError({"received_on": _("Funds cannot be in place before the signing "
                                                "(%(date)s).") % {"date": lead.signed_on}},
                              code="early")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")}, code="amount")
    funds = LeadFunds(lead=lead, received_on=received_on, amount=amount, note=note.strip(),
                      by=user)
    _save(funds, user)
    return funds


@transaction.atomic
def land_lead(*, lead: InvestmentLead, user, landed_on: date, credit_code: str = "",
              enterprise_name: str = "", create_project: bool = False, project_code: str = "",
              project_name: str = "", total_investment: Decimal | None = None
              ) -> InvestmentLead:
    """落地: a signed lead becomes an enterprise (linked when the park already has one with
    the credit code, else created) and/or a project. The lead keeps both links (lineage)."""
    if not may_edit_lead(user, lead):
        raise PermissionDenied
    if lead.stage != LeadStage.SIGNED:
        raise ValidationError(_("Only a signed lead lands."), code="not_signed")
    _not_future(landed_on, "landed_on")
    if lead.signed_on and landed_on < lead.signed_on:
        raise ValidationError({"landed_on": _("A lead cannot land before it was signed "
                                              "(%(date)s).") % {"date": lead.signed_on}},
                              code="early")
    credit_code = normalize_credit_code(credit_code or "")
    if not credit_code and not create_project:
        raise ValidationError(_("Give the enterprise's credit code, or create a project, or "
                                "both."), code="nothing")
    enterprise = None
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from exc
        enterprise = Enterprise.objects.filter(park=lead.park, credit_code=credit_code).first()
        if enterprise is None:
            enterprise = Enterprise(
                park=lead.park, name=(enterprise_name or lead.investor).strip(),
                credit_code=credit_code, industry=lead.industry, relation=Relation.RESIDENT,
                status=EnterpriseStatus.SETTLED, settled_on=landed_on,
                introduced_year=landed_on.year)
            _save(enterprise, user)
    project = None
    if create_project:
        if not project_code.strip() or not project_name.strip():
            raise ValidationError({"project_code": _("A new project needs a code and a "
                                                     "name.")}, code="project")
        if Project.objects.filter(code=project_code.strip()).exists():
            raise ValidationError({"project_code": _("A project with this code exists "
                                                     "already.")}, code="unique")
        if lead.industry is None:
            raise ValidationError(_("Set the lead's industry before creating its project."),
                                  code="industry")
        project = Project(park=lead.park, code=project_code.strip(), name=project_name.strip(),
                          industry=lead.industry, owner_enterprise=enterprise,
                          total_investment=(total_investment if total_investment is not None
                                            else lead.signed_amount or Decimal("0")),
                          stage=ProjectStage.PRELIMINARY)
        _save(project, user)
    from_stage = lead.stage
    lead.stage, lead.landed_on = LeadStage.LANDED, landed_on
    lead.enterprise = enterprise or lead.enterprise
    lead.project = project or lead.project
    _apply_clock(lead)
    _save(lead, user)
    LeadStageChange.objects.create(lead=lead, from_stage=from_stage, to_stage=LeadStage.LANDED,
                                   changed_on=landed_on, by=user, reason="")
    return lead


@transaction.atomic
def save_clocks(*, park, user, data: dict) -> ResponseClocks:
    """Set a park's response clocks (admins); every open lead's due date follows."""
    if not is_admin(user) or park is None:
        raise PermissionDenied
    clocks = ResponseClocks.objects.filter(park=park).first() or ResponseClocks(park=park)
    for name in ("answer_working_days", "assess_working_days", "feedback_days",
                 "report_days"):
        setattr(clocks, name, data[name])
    _save(clocks, user)
    for lead in InvestmentLead.objects.filter(park=park, stage__in=OPEN_LEAD_STAGES):
        before = (lead.clock_due_on, lead.clock_kind)
        _apply_clock(lead, clocks)
        if (lead.clock_due_on, lead.clock_kind) != before:
            _save(lead, user)
    return clocks
