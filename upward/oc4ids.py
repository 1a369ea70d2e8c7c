"""An OC4IDS 0.9.5-shaped project package (JSON) of the projects parks plan for a year.

Amounts: CNY = 万元 × 10,000. A 万元 amount has two places, so the yuan amount is a whole
number: it is written as a JSON integer (exact; no float is ever made). Stages map to the
projectStatus codelist (STAGE_STATUS); 停缓建 (suspended) has no code of its own and is
`implementation` with a note in `statusDetails` (an additional field, as OCDS names it).
Progress is the `metrics` list: the investment completed month by month (cumulative, counted
reports) against the year's plan. docs/api.md lists every field and its source.
"""

import calendar
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from parkportal.money import as_money
from projects.models import ConstructionNature, ProjectStage
from upward.selectors import plan_vs_completed

OC4IDS_VERSION = "0.9"  # the package's `version` field names the minor version (0.9.5 shape)
CURRENCY = "CNY"
YUAN_PER_WAN = 10_000
SHANGHAI = ZoneInfo("Asia/Shanghai")

STAGE_STATUS = {
    ProjectStage.PRELIMINARY: "preparation",
    ProjectStage.NEW_START: "implementation",
    ProjectStage.CONTINUING: "implementation",
    ProjectStage.SUSPENDED: "implementation",
    ProjectStage.COMPLETED: "completion",
    ProjectStage.OPERATING: "completed",
    ProjectStage.CANCELLED: "cancelled",
}
STAGE_NOTE = {
    ProjectStage.PRELIMINARY: "储备/前期",
    ProjectStage.NEW_START: "新开工",
    ProjectStage.CONTINUING: "续建",
    ProjectStage.SUSPENDED: "停缓建：项目暂停或缓建，按实施阶段报送",
    ProjectStage.COMPLETED: "竣工",
    ProjectStage.OPERATING: "投产",
    ProjectStage.CANCELLED: "终止",
}
NATURE_TYPE = {  # projectType: construction, rehabilitation, replacement
    ConstructionNature.NEW: "construction",
    ConstructionNature.EXPANSION: "construction",
    ConstructionNature.RELOCATION: "construction",
    ConstructionNature.RENOVATION: "rehabilitation",
}


def cny(amount_wan: Decimal) -> dict:
    """An OC4IDS Value in CNY from an amount in 万元: exact, a whole number of yuan."""
    yuan = as_money(amount_wan) * YUAN_PER_WAN
    if yuan != yuan.to_integral_value():  # cannot happen with two places; never round silently
        raise ValueError(f"{amount_wan} 万元 is not a whole number of yuan")
    return {"amount": int(yuan), "currency": CURRENCY}


def _datetime(day: date | None) -> str | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=SHANGHAI).isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _drop_empty(value: dict) -> dict:
    return {key: item for key, item in value.items() if item not in (None, "", [], {})}


def project_record(line, *, year: int, park) -> dict:
    p = line.project
    status = STAGE_STATUS[p.stage]
    details = STAGE_NOTE[p.stage]
    if p.stage == ProjectStage.SUSPENDED:
        if p.suspended_on:
            details += f"（{p.suspended_on.isoformat()}起）"
        if p.suspended_reason:
            details += f"：{p.suspended_reason}"
    cumulative = Decimal(0)
    observations = []
    for month, amount in enumerate(line.months, 1):
        cumulative += amount
        observations.append({
            "id": f"{year}-{month:02d}",
            "period": {"startDate": _datetime(date(year, 1, 1)),
                       "endDate": _datetime(_month_end(year, month))},
            "value": cny(cumulative),
            "notes": f"{year}年1—{month}月累计完成投资",
        })
    record = {
        "id": f"{settings.OC4IDS_ID_PREFIX}-{park.slug}-{p.code}",
        "identifiers": [{"scheme": "parkportal-project-code", "id": p.code}],
        "updated": timezone.localtime(p.updated_at, SHANGHAI).isoformat(),
        "title": p.name,
        "description": p.construction_content,
        "status": status,
        "statusDetails": details,
        "type": NATURE_TYPE.get(p.construction_nature),
        "additionalClassifications": [{"scheme": "parkportal-industry", "id": p.industry.slug,
                                       "description": p.industry.name}],
        "period": _drop_empty({"startDate": _datetime(p.actual_start or p.planned_start),
                               "endDate": _datetime(p.actual_completion
                                                    or p.planned_completion)}),
        "locations": [{"description": p.location}] if p.location else [],
        "budget": {
            "amount": cny(p.total_investment),
            "budgetBreakdown": [{
                "id": str(year),
                "description": f"{year}年度计划投资",
                "amount": cny(line.planned),
                "period": {"startDate": _datetime(date(year, 1, 1)),
                           "endDate": _datetime(date(year, 12, 31))},
            }] if line.plan is not None else [],
        },
        "publicAuthority": {"id": f"park-{park.slug}", "name": park.name},
        "metrics": [{
            "id": "completedInvestment",
            "title": "累计完成投资",
            "description": "已报送或已审核的月度进展之完成投资，自1月起累计",
            "observations": observations,
        }] if observations else [],
    }
    if p.stage in (ProjectStage.COMPLETED, ProjectStage.OPERATING):
        record["completion"] = _drop_empty({
            "endDate": _datetime(p.actual_completion),
            "finalValue": cny((line.plan.completed_before_year if line.plan else 0)
                              + line.completed),
            "finalValueDetails": "至上年底累计完成投资与本年累计完成投资之和",
        })
    return _drop_empty(record)


def project_package(*, parks, year: int, month: int | None = None) -> dict:
    """The package of every project `parks` plan for `year` (and any that completed investment
    in it), progress through `month` (default: December of a past year, this month of the
    current one)."""
    parks = list(parks)
    if month is None:
        today = timezone.localdate()
        month = 12 if year < today.year else (today.month if year == today.year else 1)
    report = plan_vs_completed(parks=parks, year=year, month=month)
    projects = [project_record(line, year=year, park=block.park)
                for block in report.blocks for line in block.lines]
    slugs = "+".join(park.slug for park in parks)
    return {
        "uri": f"urn:parkportal:oc4ids:{slugs}:{year}",
        "publishedDate": timezone.localtime(timezone.now(), SHANGHAI).isoformat(),
        "publisher": {"name": "、".join(park.name for park in parks)},
        "version": OC4IDS_VERSION,
        "projects": projects,
    }
