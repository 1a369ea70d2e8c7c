"""Writes of the monthly progress workflow: save / submit, approve, return.

Draft → submitted → approved, or submitted → returned (with a reason) → corrected and
submitted again. Every write is checked against the version the user loaded: a save from an
older version is refused (`ReportConflict`) and nothing is overwritten.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attachments.services import attach_file, check_file
from parkportal.money import CENT, ZERO
from parkportal.periods import quarter_of
from parkportal.permissions import can_edit_progress, can_review_reports, park_of
from parkportal.roles import is_admin
from parkportal.templatetags.money import wan as format_wan
from parks.models import QuarterCloseCorrection
from parks.selectors import quarter_close_for
from projects.models import (
    AnnualPlan,
    PreliminaryProcedure,
    ProgressReport,
    Project,
    ProjectStage,
    ReportStatus,
)
from projects.selectors import EDITABLE_BY_STAFF, completed_in_other_months, unusual_amount

MONEY_FIELDS = ("completed_investment", "fixed_asset_investment")
EDITABLE_FIELDS = ("completed_investment", "fixed_asset_investment", "image_progress",
                   "problems", "coordination_needed", "stage")


class ReportConflict(Exception):
    """Somebody saved the report after the user loaded it."""

    def __init__(self, current: ProgressReport | None):
        super().__init__("progress report changed since it was loaded")
        self.current = current


class NotSubmitted(ReportConflict):
    """Only a submitted report can be approved or returned; `current` is in another state."""


def _snapshot(report: ProgressReport) -> dict:
    return {name: str(getattr(report, name)) for name in (*EDITABLE_FIELDS, "status")}


def check_period(*, project, year: int, month: int, user, correction_reason: str = ""):
    """Refuse a future month, and a closed quarter unless an admin gives a reason.
    Returns the QuarterClose being corrected, if any."""
    today = timezone.localdate()
    period = f"{year}-{month:02d}"
    if date(year, month, 1) > today.replace(day=1):
        raise ValidationError(
            _("%(period)s is in the future: progress can only be reported for the current "
              "month or earlier months.") % {"period": period}, code="future")
    closed = quarter_close_for(project.park, year, month)
    if closed is None:
        return None
    if not is_admin(user):
        raise ValidationError(
            _("Quarter %(quarter)s of %(year)s is closed: progress for %(period)s can no "
              "longer be changed. Ask an administrator to make a correction.")
            % {"quarter": quarter_of(month), "year": year, "period": period}, code="closed")
    if not correction_reason.strip():
        raise ValidationError(
            {"correction_reason": _("Quarter %(quarter)s of %(year)s is closed: give the reason "
                                    "for this correction.")
             % {"quarter": quarter_of(month), "year": year}}, code="closed")
    return closed


def check_figures(*, project, year: int, month: int, completed_investment,
                  fixed_asset_investment):
    errors = {}
    for name, value in (("completed_investment", completed_investment),
                        ("fixed_asset_investment", fixed_asset_investment)):
        if value is not None and value < 0:
            errors[name] = _("Amounts cannot be negative.")
    if errors:
        raise ValidationError(errors, code="negative")
    others = completed_in_other_months(project, year=year, month=month)
    cumulative = others + (completed_investment or 0)
    if cumulative > project.total_investment:
        raise ValidationError({"completed_investment": _(
            "Cumulative completed investment would be %(cumulative)s (10k yuan), above the "
            "project's total investment of %(total)s (10k yuan). Check this month's figure and "
            "the earlier months.") % {"cumulative": format_wan(cumulative),
                                       "total": format_wan(project.total_investment)}},
            code="above_total")


def check_unusual_amount(*, project, year: int, month: int, completed_investment,
                         reason: str) -> str:
    """An amount far above the project's plan or its history (`selectors.unusual_amount`) is
    saved only with a reason: without one, a ValidationError on `unusual_amount_reason` says
    what it is compared with. Returns the reason to keep ("" for an ordinary amount)."""
    found = unusual_amount(project, year=year, month=month, amount=completed_investment)
    if found is None:
        return ""
    if reason.strip():
        return reason.strip()
    raise ValidationError({"unusual_amount_reason": _(
        "%(amount)s (10k yuan) completed this month is far above %(yardsticks)s. If the amount "
        "is right, say why and save again.") % {
            "amount": format_wan(completed_investment),
            "yardsticks": unusual_yardsticks(found)}}, code="unusual_amount")


def unusual_yardsticks(found: dict) -> str:
    """What an unusual amount (`selectors.unusual_against`) is far above, in words: "its
    planned month of … and its usual month of …"."""
    yardsticks = []
    if found["planned_month"] is not None:
        yardsticks.append(_("its planned month of %(amount)s (10k yuan)")
                          % {"amount": format_wan(found["planned_month"])})
    if found["usual_month"] is not None:
        yardsticks.append(_("its usual month of %(amount)s (10k yuan)")
                          % {"amount": format_wan(found["usual_month"])})
    return _(" and ").join(yardsticks)


@transaction.atomic
def save_progress_report(*, project, year: int, month: int, user, data: dict, version: int,
                         submit: bool = False, correction_reason: str = "",
                         unusual_amount_reason: str = "", photos=()) -> ProgressReport:
    """Create or update the project's report for `year`-`month` from `data`
    (EDITABLE_FIELDS), optionally submitting it for review.

    `version` is the version the user loaded (0 for a report that did not exist yet). A
    completed amount far above the plan or the history needs `unusual_amount_reason`
    (`check_unusual_amount`); the reason is kept on the report, with its history.
    `photos` (uploaded files) are attached to the report (attachments.services.attach_file)
    in the same transaction: a photo that is refused refuses the whole save.
    Raises PermissionDenied, ValidationError or ReportConflict.
    """
    if not can_edit_progress(user, project):
        raise PermissionDenied
    closed = check_period(project=project, year=year, month=month, user=user,
                          correction_reason=correction_reason)
    check_figures(project=project, year=year, month=month,
                  completed_investment=data.get("completed_investment"),
                  fixed_asset_investment=data.get("fixed_asset_investment"))
    unusual_reason = None
    if "completed_investment" in data:
        unusual_reason = check_unusual_amount(
            project=project, year=year, month=month,
            completed_investment=data["completed_investment"], reason=unusual_amount_reason)
    for photo in photos:  # every photo's type and size before anything is written or stored
        try:
            check_file(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": [
                f"{getattr(photo, 'name', '')}: {message}" for message in exc.messages]}) from exc

    existing = ProgressReport.objects.filter(project=project, year=year, month=month).first()
    if existing is None:
        if version != 0:
            raise ReportConflict(None)
        report = ProgressReport(project=project, year=year, month=month, created_by=user,
                                version=1)
        before = {}
    else:
        if existing.version != version:
            raise ReportConflict(existing)
        # Compare-and-set on the version: the one statement that decides who wins. It takes the
        # row's write lock, so a concurrent save waits and then finds the version changed.
        claimed = (ProgressReport._base_manager
                   .filter(pk=existing.pk, version=version).update(version=version + 1))
        if not claimed:
            raise ReportConflict(ProgressReport.objects.get(pk=existing.pk))
        report = ProgressReport.objects.get(pk=existing.pk)
        if not is_admin(user) and report.status not in EDITABLE_BY_STAFF:
            raise ValidationError(
                _("This report has been %(status)s and can no longer be changed.")
                % {"status": report.get_status_display()}, code="locked")
        before = _snapshot(report)

    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in MONEY_FIELDS:
            value = Decimal(value).quantize(CENT) if value is not None else ZERO
        setattr(report, name, value if value is not None else "")
    if unusual_reason is not None:
        report.unusual_amount_reason = unusual_reason
    if submit:
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = user
        report.submitted_at = timezone.now()
        report.reviewed_by = None
        report.reviewed_at = None
    report._history_user = user
    if closed is not None:
        report._change_reason = correction_reason.strip()[:100]
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # created concurrently by someone else
        raise ReportConflict(ProgressReport.objects.filter(
            project=project, year=year, month=month).first()) from exc
    if closed is not None:
        QuarterCloseCorrection.objects.create(
            quarter_close=closed, progress_report=report, reason=correction_reason.strip(),
            changed_by=user, before=before, after=_snapshot(report))
    for photo in photos:
        try:
            attach_file(record=report, file=photo, user=user)
        except ValidationError as exc:
            raise ValidationError({"photos": [
                f"{getattr(photo, 'name', '')}: {message}" for message in exc.messages]}) from exc
    return report


def _claim_for_review(report: ProgressReport, version: int) -> ProgressReport:
    claimed = (ProgressReport._base_manager
               .filter(pk=report.pk, version=version, status=ReportStatus.SUBMITTED)
               .update(version=version + 1))
    current = ProgressReport.objects.get(pk=report.pk)
    if not claimed:
        if current.status != ReportStatus.SUBMITTED:
            raise NotSubmitted(current)
        raise ReportConflict(current)
    return current


@transaction.atomic
def approve_report(*, report: ProgressReport, user, version: int) -> ProgressReport:
    """A leader (or admin) approves a submitted report."""
    if not can_review_reports(user):
        raise PermissionDenied
    report = _claim_for_review(report, version)
    report.status = ReportStatus.APPROVED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report._history_user = user
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def return_report(*, report: ProgressReport, user, version: int, reason: str) -> ProgressReport:
    """A leader (or admin) returns a submitted report to its author with a reason."""
    if not can_review_reports(user):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")}, code="required")
    report = _claim_for_review(report, version)
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report._history_user = user
    report.full_clean()
    report.save()
    return report


def approve_all(*, reports: dict[int, int], user) -> dict[str, list]:
    """Approve many submitted reports at once (报送情况 "approve all"): `reports` maps a
    report's id to the version the leader saw. Each goes through `approve_report` on its own,
    so history and the version / status rules hold per report: one that changed or is no
    longer submitted is skipped and listed, the others are approved."""
    if not can_review_reports(user):
        raise PermissionDenied
    park = park_of(user)
    found = ProgressReport.objects.filter(pk__in=list(reports)).select_related("project")
    if park is not None:
        found = found.filter(project__park=park)
    outcome = {"approved": [], "changed": [], "not_submitted": []}
    for report in found.order_by("project__code"):
        try:
            outcome["approved"].append(
                approve_report(report=report, user=user, version=reports[report.pk]))
        except NotSubmitted as exc:
            outcome["not_submitted"].append(exc.current)
        except ReportConflict as exc:
            outcome["changed"].append(exc.current)
    return outcome


# --- project upkeep by park admins: projects, suspension, annual plans, procedures --------

PROJECT_FIELDS = (
    "code", "name", "industry", "owner_enterprise", "construction_content", "total_investment",
    "is_major", "is_industrial", "construction_nature", "stage", "preliminary_done",
    "preliminary_done_on", "planned_start", "actual_start", "planned_completion",
    "actual_completion", "location", "responsible_unit", "leader_in_charge", "in_statistics",
    "in_statistics_on")
PLAN_FIELDS = ("year", "planned_investment", "industrial_investment", "q1_planned",
               "q2_planned", "q3_planned", "q4_planned", "completed_before_year", "milestones")
PROCEDURE_FIELDS = ("kind", "status", "due_on", "done_on", "note")
ENDED_STAGES = (ProjectStage.COMPLETED, ProjectStage.OPERATING, ProjectStage.CANCELLED)


def _require_admin(user):
    if not is_admin(user):
        raise PermissionDenied


def _flag_with_date(errors, data, flag, date_field, *, missing, orphan):
    if data.get(flag) and not data.get(date_field):
        errors[date_field] = missing
    if not data.get(flag) and data.get(date_field):
        errors[flag] = orphan


def _money(value):
    return Decimal(value).quantize(CENT) if value is not None else ZERO


@transaction.atomic
def save_project(*, instance: Project | None = None, user, data: dict) -> Project:
    """Create (no `instance`) or update a project of the admin's park.

    The stage 停缓建 is entered with `suspend_project` and left with `resume_project`, never
    typed here. Responsible staff, the owner enterprise and the industry must be the park's.
    """
    _require_admin(user)
    park = instance.park if instance is not None else park_of(user)
    if park is None:
        raise ValidationError(_("Your account belongs to no park: projects are added by the "
                                "park's own administrators."), code="no_park")
    errors = {}
    stage = data.get("stage")
    if stage == ProjectStage.SUSPENDED and (instance is None
                                            or instance.stage != ProjectStage.SUSPENDED):
        errors["stage"] = _("Use “Suspend” on the project's page to suspend it, with a reason.")
    _flag_with_date(errors, data, "preliminary_done", "preliminary_done_on",
                    missing=_("Give the date the preliminary work was completed."),
                    orphan=_("Tick “preliminary work completed” or clear its date."))
    _flag_with_date(errors, data, "in_statistics", "in_statistics_on",
                    missing=_("Give the date the project entered the statistics."),
                    orphan=_("Tick “in the statistics” or clear its date."))
    start, end = data.get("actual_start"), data.get("actual_completion")
    if start and end and end < start:
        errors["actual_completion"] = _("The completion cannot be before the start.")
    owner = data.get("owner_enterprise")
    if owner is not None and owner.park_id != park.pk:
        errors["owner_enterprise"] = _("Choose one of your park's own records.")
    responsible = list(data.get("responsible") or [])
    if any(getattr(getattr(u, "park_member", None), "park_id", None) != park.pk
           for u in responsible):
        errors["responsible"] = _("Choose people of your park.")
    code = (data.get("code") or "").strip()
    clash = Project.objects.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if code and clash.exists():
        errors["code"] = _("Another project already has the code %(code)s.") % {"code": code}
    if errors:
        raise ValidationError(errors)

    project = instance if instance is not None else Project(park=park)
    for name in PROJECT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "stage" and project.stage == ProjectStage.SUSPENDED:
            continue  # suspended stays suspended until resumed
        if name == "total_investment":
            value = _money(value)
        field = Project._meta.get_field(name)
        setattr(project, name, "" if value is None and not field.null else value)
    project.code = code
    project._history_user = user
    project.full_clean()
    project.save()
    if "responsible" in data:
        project.responsible.set(responsible)
    return project


@transaction.atomic
def suspend_project(*, project: Project, user, reason: str, suspended_on) -> Project:
    """Put a project into 停缓建 with the reason and date; `resume_project` undoes it."""
    _require_admin(user)
    errors = {}
    if project.stage == ProjectStage.SUSPENDED:
        raise ValidationError(_("The project is already suspended."), code="suspended")
    if project.stage in ENDED_STAGES:
        raise ValidationError(_("A project that is %(stage)s cannot be suspended.")
                              % {"stage": project.get_stage_display()}, code="ended")
    if not (reason or "").strip():
        errors["reason"] = _("Say why the project is suspended.")
    if suspended_on is None:
        errors["suspended_on"] = _("Give the date of the suspension.")
    elif suspended_on > timezone.localdate():
        errors["suspended_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    project.stage_before_suspension = project.stage
    project.stage = ProjectStage.SUSPENDED
    project.suspended_reason = reason.strip()
    project.suspended_on = suspended_on
    project._history_user = user
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def resume_project(*, project: Project, user) -> Project:
    """End a suspension: the project goes back to the stage it had (the history keeps the
    suspension's reason and dates)."""
    _require_admin(user)
    if project.stage != ProjectStage.SUSPENDED:
        raise ValidationError(_("The project is not suspended."), code="not_suspended")
    project.stage = project.stage_before_suspension or (
        ProjectStage.CONTINUING if project.actual_start else ProjectStage.PRELIMINARY)
    project.stage_before_suspension = ""
    project.suspended_reason = ""
    project.suspended_on = None
    project._history_user = user
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def save_annual_plan(*, project: Project, instance: AnnualPlan | None = None, user,
                     data: dict) -> AnnualPlan:
    """Create or update a project's plan for a year: the year's planned investment, its
    industrial part, the quarterly split (q1–q4 add up to the year's plan, or are all left
    at zero) and the investment completed to the end of the previous year (至上年底累计)."""
    _require_admin(user)
    values = {name: data.get(name) for name in PLAN_FIELDS if name in data}
    for name in ("planned_investment", "industrial_investment", *AnnualPlan.QUARTER_FIELDS,
                 "completed_before_year"):
        if name in values:
            values[name] = _money(values[name])
    errors = {}
    for name, value in values.items():
        if isinstance(value, Decimal) and value < 0:
            errors[name] = _("Amounts cannot be negative.")
    planned = values.get("planned_investment", ZERO)
    if values.get("industrial_investment", ZERO) > planned:
        errors["industrial_investment"] = _(
            "The industrial part cannot exceed the year's planned investment.")
    quarters = [values.get(name, ZERO) for name in AnnualPlan.QUARTER_FIELDS]
    if any(quarters) and sum(quarters) != planned:
        errors["q4_planned"] = _(
            "The quarters add up to %(sum)s (10k yuan), not the year's %(planned)s (10k "
            "yuan). Make them add up, or leave all four at zero.") % {
            "sum": format_wan(sum(quarters)), "planned": format_wan(planned)}
    before = values.get("completed_before_year", ZERO)
    if before > project.total_investment:
        errors["completed_before_year"] = _(
            "More than the project's total investment of %(total)s (10k yuan).") % {
            "total": format_wan(project.total_investment)}
    year = values.get("year")
    clash = AnnualPlan.objects.filter(project=project, year=year)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if year and clash.exists():
        errors["year"] = _("The project already has a plan for %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    plan = instance if instance is not None else AnnualPlan(project=project)
    for name, value in values.items():
        setattr(plan, name, value if value is not None else "")
    plan._history_user = user
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def save_procedure(*, project: Project, instance: PreliminaryProcedure | None = None, user,
                   data: dict) -> PreliminaryProcedure:
    """Create or update one item of a project's 前期手续 with its due date."""
    _require_admin(user)
    errors = {}
    status = data.get("status")
    if status == PreliminaryProcedure.Status.DONE and not data.get("done_on"):
        errors["done_on"] = _("Give the date the procedure was completed.")
    if status != PreliminaryProcedure.Status.DONE and data.get("done_on"):
        errors["done_on"] = _("Only a completed procedure has a completion date.")
    clash = PreliminaryProcedure.objects.filter(project=project, kind=data.get("kind"))
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        errors["kind"] = _("The project already lists this procedure.")
    if errors:
        raise ValidationError(errors)
    procedure = instance if instance is not None else PreliminaryProcedure(project=project)
    for name in PROCEDURE_FIELDS:
        if name in data:
            value = data[name]
            setattr(procedure, name, "" if value is None and name in ("note", "kind",
                                                                       "status") else value)
    procedure._history_user = user
    procedure.full_clean()
    procedure.save()
    return procedure
