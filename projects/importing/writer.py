"""Write a checked schedule: projects, the year's annual plans, the month's reports.

Rows are matched to the park's projects by code, else by exact name (two projects of one name:
the row is rejected). A row that matches nothing creates a project (a code is made up when the
file gives none; the industry is the file's, else 其他 with a warning). For each row:

* the project's total investment is updated (new projects get every column the file has);
* the year's annual plan gets the planned investment and its industrial part (the rules of
  projects.services.save_annual_plan: industrial ≤ planned, quarters that no longer add up
  are refused, not cleared);
* the month's progress report gets 本月完成, 形象进度 and 存在问题 and enters as submitted
  (awaiting review) by the importing admin; an approved report is never changed; the
  cumulative amount may not pass the total investment (services.check_figures); a closed
  quarter or a future month refuses the file (services.check_period);
* 累计 is compared with the months already in the system plus this month: a difference is a
  warning in the preview, nothing is changed because of it.

Everything is planned first (the preview runs the same plan), then written in one transaction
with bulk statements; history rows carry the user and "import batch N", as the enterprise
import's do, and only records that change get one: importing the same workbook twice changes
nothing. The progress-summary triggers (projects 0003) see every write.
"""

import re
from collections import Counter, defaultdict
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.importing.validate import RowError
from enterprises.models import ImportBatch
from imports.batches import (
    BatchWithdrawn,
    batch_reason,
    record_committed,
    record_end,
    still_running,
)
from imports.headers import detect_header
from imports.lease import LeaseKeeper
from imports.reader import ImportFileError, check_file, read_sheet
from parkportal.audit import history_suppressed
from parkportal.money import ZERO
from parkportal.sandbox import MemoryLimitExceeded, run_capped
from parkportal.templatetags.money import wan
from parks.models import Industry
from parks.selectors import quarter_close_for
from projects.importing.columns import ScheduleMapping
from projects.importing.validate import ScheduleValidated, validate_schedule
from projects.models import (
    COUNTED_STATUSES,
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ProjectYearProgress,
    ReportStatus,
)
from projects.selectors import recent_counted_months, unusual_against
from projects.services import unusual_yardsticks

KINDS = ("projects", "plans", "reports")
NEW_PROJECT_FIELDS = ("construction_content", "construction_nature", "location",
                      "responsible_unit", "leader_in_charge")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class Plan:
    """What the write will do, record by record."""

    counts: dict = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    new_projects: list = field(default_factory=list)
    changed_projects: list = field(default_factory=list)
    new_plans: list = field(default_factory=list)  # (project or new project, AnnualPlan)
    changed_plans: list = field(default_factory=list)
    new_reports: list = field(default_factory=list)
    changed_reports: list = field(default_factory=list)

    @property
    def created(self):  # the batch's own counts are the projects'
        return self.counts["projects"].created

    @property
    def updated(self):
        return self.counts["projects"].updated

    @property
    def unchanged(self):
        return self.counts["projects"].unchanged


@dataclass
class Outcome:
    mapping: ScheduleMapping
    validated: ScheduleValidated
    plan: Plan
    batch: ImportBatch | None = None
    aborted: bool = False
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return self.validated.rejected_rows

    def as_json(self) -> dict:
        return {**{kind: self.plan.counts[kind].as_dict() for kind in KINDS},
                "rejected": self.rejected, "warnings": self.validated.warning_dicts(),
                "errors": self.validated.error_dicts(),
                "batch": self.batch.pk if self.batch else None}


# --- reading ---------------------------------------------------------------------------------

def _analyse(source, *, mapping=None, year=None, month=None):
    sheet = read_sheet(source)
    if mapping is None:
        mapping = detect_header(sheet, ScheduleMapping, two_level=True)
    return mapping, validate_schedule(sheet, mapping, year=year, month=month)


def analyse(source, *, mapping: ScheduleMapping | None = None, year: int | None = None,
            month: int | None = None):
    """Read, map and check a schedule (in a memory-capped child process, as enterprise
    lists are). Raises ImportFileError for a file-level problem."""
    cap = settings.IMPORT_PARSE_MEMORY_BYTES
    source, _format = check_file(source)
    try:
        return run_capped(_analyse, source, mapping=mapping, year=year, month=month,
                          memory_bytes=cap)
    except MemoryLimitExceeded as exc:
        raise ImportFileError(_(
            "Reading this file needs more than %(limit)s MB of memory, more than is allowed.")
            % {"limit": cap // (1024 * 1024)}) from exc


# --- planning --------------------------------------------------------------------------------

def check_month(park, year: int, month: int) -> None:
    """services.check_period for a whole file: no future month, no closed quarter."""
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ImportFileError(_(
            "%(period)s is in the future: progress can only be reported for the current month "
            "or earlier months.") % {"period": f"{year}-{month:02d}"})
    if quarter_close_for(park, year, month) is not None:
        raise ImportFileError(_(
            "Quarter %(quarter)s of %(year)s is closed: its months cannot be imported. Correct "
            "single reports on the project pages.") % {"quarter": (month - 1) // 3 + 1,
                                                       "year": year})


def _code_maker(park, year: int):
    """Codes for new projects: the park's usual prefix (ZB of ZB2024-01), the year, a number."""
    codes = list(Project.objects.filter(park=park).values_list("code", flat=True))
    prefixes = Counter(m[1] for c in codes if (m := re.match(r"^([A-Za-z]+)\d{4}-\d+$", c)))
    prefix = prefixes.most_common(1)[0][0] if prefixes else (
        re.sub(r"[^A-Za-z]", "", park.slug).upper()[:4] or "P")
    taken = set(Project.objects.filter(code__startswith=f"{prefix}{year}-")
                .values_list("code", flat=True))
    counter = [0]

    def make() -> str:
        while True:
            counter[0] += 1
            code = f"{prefix}{year}-{counter[0]:02d}"
            if code not in taken:
                taken.add(code)
                return code

    return make


def _industry_finder():
    industries = list(Industry.objects.all())
    keys = {}
    for industry in industries:
        for key in (industry.name, f"{industry.name}产业", industry.name_en, industry.slug):
            if key:
                keys[re.sub(r"\s+", "", key.lower())] = industry
    other = keys.get("other") or keys.get("其他")
    return keys, other


def plan_import(park, validated: ScheduleValidated, *, user=None) -> Plan:
    """Match every row and decide what changes; rows that cannot be written are rejected
    (moved from validated.rows to validated.errors) and their warnings added."""
    year, month = validated.year, validated.month
    check_month(park, year, month)
    plan = Plan()
    projects = list(Project.objects.filter(park=park))
    by_code = {p.code: p for p in projects}
    by_name = defaultdict(list)
    for p in projects:
        by_name[p.name].append(p)
    plans = {a.project_id: a for a in AnnualPlan.objects.filter(project__park=park, year=year)}
    reports = {r.project_id: r for r in ProgressReport.objects.filter(
        project__park=park, year=year, month=month)}
    summaries = {s.project_id: s for s in ProjectYearProgress.objects.filter(
        project__park=park, year=year)}
    other_months = {}  # project -> counted amount in this year's other months
    for s in summaries.values():
        other_months[s.project_id] = sum(
            (getattr(s, f"completed_m{m}") for m in range(1, 13) if m != month), ZERO)
    history = recent_counted_months(park, year=year, month=month)
    foreign = set(Project.objects.exclude(park=park).filter(
        code__in=[r.values["code"] for r in validated.rows if r.values.get("code")])
        .values_list("code", flat=True))
    new_code = _code_maker(park, year)
    industries, other = _industry_finder()
    now = timezone.now()
    kept = []
    matched = {}  # project id -> the row that matched it
    for row in validated.rows:
        v = row.values
        project, problem = None, None
        if v.get("code") and v["code"] in by_code:
            project = by_code[v["code"]]
        elif v.get("code") in foreign:
            problem = ("code", _("The code %(code)s belongs to a project of another park.")
                       % {"code": v["code"]})
        else:
            same = by_name.get(v["name"], [])
            if len(same) > 1:
                problem = ("name", _(
                    "%(n)s projects of the park are named “%(name)s” (%(codes)s): give the "
                    "project code in the file.") % {"n": len(same), "name": v["name"],
                                                    "codes": "、".join(p.code for p in same)})
            elif same:
                project = same[0]
        if project is not None and project.pk in matched:
            problem = ("name", _("The same project as row %(row)s; keep one of the two rows.")
                       % {"row": matched[project.pk]})
        warnings: list[RowError] = []
        is_new = project is None and problem is None
        industry = None
        if is_new:
            text = re.sub(r"\s+", "", (v.get("industry") or "").lower())
            industry = industries.get(text) or industries.get(text.removesuffix("产业"))
            if industry is None:
                industry = other
                if other is None:
                    problem = ("industry", _("A new project needs an industry the park knows "
                                             "(%(known)s).") % {"known": "、".join(
                                                 i.name for i in Industry.objects.all())})
                elif v.get("industry"):
                    warnings.append(RowError(row.row, _column_header(validated, "industry"), _(
                        "New project “%(name)s”: industry %(industry)s is not one of the park's, "
                        "filed under %(other)s; correct it on the project page.") % {
                        "name": v["name"], "industry": v["industry"], "other": other.name}))
                else:
                    warnings.append(RowError(row.row, "", _(
                        "New project “%(name)s”: the file gives no industry, filed under "
                        "%(other)s; correct it on the project page.") % {
                        "name": v["name"], "other": other.name}))
        total = v.get("total_investment")
        month_amount = v.get("month_completed")
        if problem is None:
            limit = total if total is not None else (project.total_investment if project
                                                     else ZERO)
            others = other_months.get(project.pk, ZERO) if project else ZERO
            if month_amount is not None and others + month_amount > limit:
                problem = ("month_completed", _(
                    "Cumulative completed investment would be %(cumulative)s (10k yuan), above "
                    "the project's total investment of %(total)s (10k yuan).") % {
                    "cumulative": wan(others + month_amount), "total": wan(limit)})
        existing_plan = plans.get(project.pk) if project else None
        planned, industrial = v.get("planned_investment"), v.get("industrial_investment")
        plan_values = None
        if problem is None and (planned is not None or industrial is not None):
            planned = planned if planned is not None else (
                existing_plan.planned_investment if existing_plan else ZERO)
            industrial = industrial if industrial is not None else (
                existing_plan.industrial_investment if existing_plan else ZERO)
            if industrial > planned:
                problem = ("industrial_investment", _(
                    "The industrial part cannot exceed the year's planned investment."))
            elif existing_plan and existing_plan.planned_investment != planned and any(
                    getattr(existing_plan, q) for q in AnnualPlan.QUARTER_FIELDS):
                problem = ("planned_investment", _(
                    "The %(year)s plan is split into quarters that add up to %(old)s (10k "
                    "yuan), not %(new)s: change the plan on the project page.") % {
                    "year": year, "old": wan(existing_plan.planned_investment),
                    "new": wan(planned)})
            plan_values = {"planned_investment": planned, "industrial_investment": industrial}
            if v.get("completed_before_year") is not None:
                plan_values["completed_before_year"] = v["completed_before_year"]
        existing_report = reports.get(project.pk) if project else None
        report_values = None
        if problem is None and any(v.get(k) is not None for k in (
                "month_completed", "image_progress", "problems")):
            report_values = {
                "completed_investment": month_amount if month_amount is not None else (
                    existing_report.completed_investment if existing_report else ZERO),
                "image_progress": v.get("image_progress") or "",
                "problems": v.get("problems") or ""}
            if existing_report and existing_report.status == ReportStatus.APPROVED and any(
                    getattr(existing_report, k) != val for k, val in report_values.items()):
                problem = ("month_completed", _(
                    "The %(period)s report of this project is approved already and is not "
                    "changed by an import.") % {"period": f"{year}-{month:02d}"})
        if problem is not None:
            column, message = problem
            validated.reject(row, _column_header(validated, column), message)
            continue
        # 累计 against the system: the counted months before this one, plus this month.
        if v.get("cumulative") is not None and report_values is not None:
            before = ZERO
            summary = summaries.get(project.pk) if project else None
            if summary is not None:
                before = sum((getattr(summary, f"completed_m{m}") for m in range(1, month)),
                             ZERO)
            expected = before + report_values["completed_investment"]
            if expected != v["cumulative"]:
                warnings.append(RowError(row.row, _column_header(validated, "cumulative"), _(
                    "累计 %(file)s in the file, but the system has %(before)s for the months "
                    "before plus %(month)s this month = %(expected)s (10k yuan). Nothing is "
                    "changed because of it; check the earlier months.") % {
                    "file": wan(v["cumulative"]), "before": wan(before),
                    "month": wan(report_values["completed_investment"]),
                    "expected": wan(expected)}))
        rate = v.get("completion_rate")
        if rate is not None and plan_values and plan_values["planned_investment"] and v.get(
                "cumulative") is not None:
            computed = (v["cumulative"] * 100 / plan_values["planned_investment"]).quantize(
                Decimal("0.1"))
            if abs(computed - rate) > Decimal("0.5"):
                warnings.append(RowError(row.row, _column_header(validated, "completion_rate"),
                                         _("The rate %(rate)s%% does not match 累计 / 年度计划 = "
                                           "%(computed)s%%.") % {"rate": rate,
                                                                 "computed": computed}))
        unusual_reason = ""
        # A new amount (a new report, or another amount than the report has) is checked as
        # the report form checks it.
        if report_values is not None and (
                existing_report is None or existing_report.completed_investment
                != report_values["completed_investment"]):
            unusual_reason = _unusual(validated, row, project, existing_plan, plan_values,
                                      report_values["completed_investment"], history,
                                      warnings)
        validated.warnings.extend(warnings)
        kept.append(row)
        if project is not None:
            matched[project.pk] = row.row
        # --- the project
        if is_new:
            project = Project(park=park, code=v.get("code") or new_code(), name=v["name"],
                              industry=industry, total_investment=total or ZERO,
                              stage=row.stage or ProjectStage.PRELIMINARY,
                              is_industrial=bool(industrial))
            for name in NEW_PROJECT_FIELDS:
                if v.get(name) is not None:
                    setattr(project, name, v[name])
            plan.new_projects.append(project)
            plan.counts["projects"].created += 1
            by_name[project.name].append(project)
            by_code[project.code] = project
        elif total is not None and project.total_investment != total:
            project.total_investment = total
            plan.changed_projects.append(project)
            plan.counts["projects"].updated += 1
        else:
            plan.counts["projects"].unchanged += 1
        # --- the year's plan
        if plan_values is not None:
            if existing_plan is None:
                plan.new_plans.append((project, AnnualPlan(year=year, **plan_values)))
                plan.counts["plans"].created += 1
            elif any(getattr(existing_plan, k) != val for k, val in plan_values.items()):
                for k, val in plan_values.items():
                    setattr(existing_plan, k, val)
                plan.changed_plans.append(existing_plan)
                plan.counts["plans"].updated += 1
            else:
                plan.counts["plans"].unchanged += 1
        # --- the month's report
        if report_values is not None:
            if existing_report is None:
                plan.new_reports.append((project, ProgressReport(
                    year=year, month=month, status=ReportStatus.SUBMITTED, created_by=user,
                    submitted_by=user, submitted_at=now, unusual_amount_reason=unusual_reason,
                    **report_values)))
                plan.counts["reports"].created += 1
            elif existing_report.status in COUNTED_STATUSES and all(
                    getattr(existing_report, k) == val for k, val in report_values.items()):
                plan.counts["reports"].unchanged += 1
            else:
                if existing_report.completed_investment != report_values[
                        "completed_investment"]:
                    existing_report.unusual_amount_reason = unusual_reason
                for k, val in report_values.items():
                    setattr(existing_report, k, val)
                existing_report.status = ReportStatus.SUBMITTED
                existing_report.submitted_by, existing_report.submitted_at = user, now
                existing_report.reviewed_by = existing_report.reviewed_at = None
                existing_report.version += 1
                plan.changed_reports.append(existing_report)
                plan.counts["reports"].updated += 1
    validated.rows = kept
    return plan


def _unusual(validated, row, project, existing_plan, plan_values, amount, history,
             warnings) -> str:
    """The reason kept on an imported report whose amount is far above the project's plan
    or its usual month (projects.selectors.unusual_against, the rule the report form asks a
    reason for), with a warning in the preview; "" for an ordinary amount. The amount is
    imported as the file gives it: the reviewer sees the flag."""
    if plan_values is not None:
        yardstick = existing_plan or AnnualPlan()
        yardstick = copy(yardstick)
        for name, value in plan_values.items():
            setattr(yardstick, name, value)
    else:
        yardstick = existing_plan
    found = unusual_against(amount, month=validated.month, plan=yardstick,
                            history=history.get(project.pk, []) if project else [])
    if found is None:
        return ""
    far_above = unusual_yardsticks(found)
    warnings.append(RowError(row.row, _column_header(validated, "month_completed"), _(
        "%(amount)s (10k yuan) completed this month is far above %(yardsticks)s. It is "
        "imported as the file gives it and marked for the reviewer.") % {
        "amount": wan(amount), "yardsticks": far_above}))
    return _("Imported from the project schedule: far above %(yardsticks)s; no reason was "
             "given in the file.") % {"yardsticks": far_above}


def _column_header(validated, name: str) -> str:
    return getattr(validated, "headers", {}).get(name, name)


# --- writing ---------------------------------------------------------------------------------

def _checkpoint(stage: str) -> None:
    """A no-op the tests replace to inject a failure in the middle of a write."""


def write(plan: Plan, *, user=None, reason: str = "") -> None:
    """Write a plan with its history. Call inside transaction.atomic()."""
    now = timezone.now()
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}
    with history_suppressed():
        Project.objects.bulk_create(plan.new_projects, batch_size=500)
        for project in plan.changed_projects:
            project.updated_at = now
        Project.objects.bulk_update(plan.changed_projects, ["total_investment", "updated_at"],
                                    batch_size=500)
        new_plans = []
        for project, annual in plan.new_plans:
            annual.project = project
            new_plans.append(annual)
        AnnualPlan.objects.bulk_create(new_plans, batch_size=500)
        AnnualPlan.objects.bulk_update(
            plan.changed_plans, ["planned_investment", "industrial_investment",
                                 "completed_before_year"], batch_size=500)
        _checkpoint("plans")
        new_reports = []
        for project, report in plan.new_reports:
            report.project = project
            report.created_at = report.updated_at = now
            new_reports.append(report)
        ProgressReport.objects.bulk_create(new_reports, batch_size=500)
        for report in plan.changed_reports:
            report.updated_at = now
        ProgressReport.objects.bulk_update(
            plan.changed_reports, ["completed_investment", "image_progress", "problems",
                                   "unusual_amount_reason", "status", "submitted_by",
                                   "submitted_at", "reviewed_by", "reviewed_at", "version",
                                   "updated_at"], batch_size=500)
    for model, created, changed in ((Project, plan.new_projects, plan.changed_projects),
                                    (AnnualPlan, new_plans, plan.changed_plans),
                                    (ProgressReport, new_reports, plan.changed_reports)):
        if created:
            model.history.bulk_history_create(created, update=False, batch_size=500,
                                              **history)
        if changed:
            records = model.history.bulk_history_create(changed, update=True, batch_size=500,
                                                        **history)
            if model is Project:
                _keep_responsible(records)
    _checkpoint("written")


def _keep_responsible(records) -> None:
    """A project's history row keeps who was responsible for it then (HistoricalRecords'
    m2m_fields, what the project page's history shows); simple-history's bulk create leaves
    that out, so the changed projects' responsible staff are copied here (a new project has
    none yet)."""
    snapshot = Project.history.model.responsible.model
    version_of = {record.id: record for record in records}
    staff = Project.responsible.through.objects.filter(project_id__in=list(version_of))
    snapshot.objects.bulk_create(
        [snapshot(history=record, id=row.pk, project_id=row.project_id, user_id=row.user_id)
         for row in staff for record in [version_of[row.project_id]]], batch_size=500)


def new_batch(*, park, data: bytes, file_name: str, user=None, mapping, validated,
              strict=False, options: dict | None = None,
              state=ImportBatch.State.PREVIEWED) -> ImportBatch:
    from enterprises.importing.writer import new_batch as store

    return store(park=park, data=data, file_name=file_name, user=user, mapping=mapping,
                 validated=validated, strict=strict, state=state, target="schedule",
                 summary={"options": options or {}})


def summary_of(batch_summary: dict, validated: ScheduleValidated, plan: Plan | None) -> dict:
    summary = dict(batch_summary)
    summary["period"] = {"year": validated.year, "month": validated.month}
    summary["warnings"] = validated.warning_dicts()
    if plan is not None:
        summary["counts"] = {kind: plan.counts[kind].as_dict() for kind in KINDS}
    return summary


def commit(*, batch: ImportBatch, validated: ScheduleValidated, user=None) -> Outcome:
    """Plan and write a checked schedule for a batch in one transaction (strict mode: any
    rejected row aborts). The batch must still be running when the write ends."""
    mapping = ScheduleMapping.from_json(batch.column_mapping)
    user = user or batch.created_by
    try:
        with transaction.atomic():
            plan = plan_import(batch.park, validated, user=user)
            errors = dict(errors=validated.error_dicts(), total_rows=validated.total_rows,
                          rejected_count=validated.rejected_rows)
            if batch.strict and validated.rejected_rows:
                transaction.set_rollback(True)
                aborted = True
            else:
                aborted = False
                write(plan, user=user, reason=batch_reason(batch))
                still_running(batch)
                record_committed(batch, created=plan.created, updated=plan.updated,
                                 unchanged=plan.unchanged, processed_rows=validated.total_rows,
                                 summary=summary_of(batch.summary, validated, plan), **errors)
    except BatchWithdrawn:
        batch.refresh_from_db()
        raise
    except Exception as exc:
        message = str(exc) if isinstance(exc, ImportFileError) else _(
            "The import failed and nothing was written: %(error)s") % {"error": exc}
        record_end(batch, state=ImportBatch.State.FAILED, message=message,
                   finished_at=timezone.now())
        raise
    if aborted:
        record_end(batch, state=ImportBatch.State.FAILED, **errors,
                   summary=summary_of(batch.summary, validated, None),
                   message=_("Strict mode: %(n)s rejected rows, nothing was imported.") % {
                       "n": validated.rejected_rows}, finished_at=timezone.now())
        return Outcome(mapping, validated, Plan(), batch=batch, aborted=True)
    return Outcome(mapping, validated, plan, batch=batch)


def classify(park, validated: ScheduleValidated) -> Plan:
    """What an import would do, writing nothing (the preview, a dry run)."""
    return plan_import(park, validated)


def run_import(*, park, data: bytes, file_name: str, user=None, strict=False, dry_run=False,
               year=None, month=None, analysed=None) -> Outcome:
    """Read, check and (unless dry_run) write one schedule: what the command line runs."""
    mapping, validated = analysed or analyse(data, year=year, month=month)
    if dry_run:
        plan = classify(park, validated)
        return Outcome(mapping, validated, plan, dry_run=True,
                       aborted=bool(strict and validated.rejected_rows))
    batch = new_batch(park=park, data=data, file_name=file_name, user=user, mapping=mapping,
                      validated=validated, strict=strict,
                      options={"year": year, "month": month},
                      state=ImportBatch.State.RUNNING)
    with LeaseKeeper(batch.pk):
        return commit(batch=batch, validated=validated, user=user)


def rerun_batch(batch: ImportBatch, *, progress=None, dry_run=False) -> Outcome:
    """Re-read a stored batch file with its (possibly corrected) mapping and options."""
    with batch.file.open("rb") as handle:
        data = handle.read()
    options = batch.summary.get("options", {})
    mapping, validated = analyse(data, mapping=ScheduleMapping.from_json(batch.column_mapping),
                                 year=options.get("year"), month=options.get("month"))
    if progress is not None:
        progress(validated.total_rows)
    if dry_run:
        return Outcome(mapping, validated, classify(batch.park, validated), batch=batch,
                       dry_run=True)
    return commit(batch=batch, validated=validated)
