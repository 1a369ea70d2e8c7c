"""What the read API answers: one schema per resource. No personal data: no contact person or
phone, no talent names, no user names (docs/api.md)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from parkportal.money import as_money


def _money_text(value: Decimal) -> str:
    return format(as_money(value), "f")


# Amounts in 万元 (10k yuan) as decimal strings with two places: never a float.
Money = Annotated[
    Decimal,
    PlainSerializer(_money_text, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$",
                    "description": "万元 (10k yuan), a decimal string with two places",
                    "example": "1234.50"}),
]


class Error(Schema):
    detail: str


class InvalidParameter(Schema):
    type: str
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    """A query parameter that does not parse or is out of range (422)."""

    detail: list[InvalidParameter]


class ParkOut(Schema):
    slug: str
    name: str
    county: str
    city: str
    province: str


class ProjectOut(Schema):
    code: str
    name: str
    park: str = Field(..., description="park slug")
    industry: str = Field(..., description="industry slug")
    industry_name: str
    stage: str
    construction_nature: str
    is_major: bool
    is_industrial: bool
    total_investment: Money
    construction_content: str
    location: str
    owner_enterprise: str | None = Field(None, description="the owner enterprise's name")
    responsible_unit: str
    preliminary_done: bool
    preliminary_done_on: date | None
    planned_start: date | None
    actual_start: date | None
    planned_completion: date | None
    actual_completion: date | None
    suspended_on: date | None

    @staticmethod
    def resolve_park(obj):
        return obj.park.slug

    @staticmethod
    def resolve_industry(obj):
        return obj.industry.slug

    @staticmethod
    def resolve_industry_name(obj):
        return obj.industry.name

    @staticmethod
    def resolve_owner_enterprise(obj):
        return obj.owner_enterprise.name if obj.owner_enterprise_id else None


class AnnualPlanOut(Schema):
    project: str = Field(..., description="project code")
    park: str
    year: int
    planned_investment: Money
    industrial_investment: Money
    q1_planned: Money
    q2_planned: Money
    q3_planned: Money
    q4_planned: Money
    completed_before_year: Money
    milestones: str

    @staticmethod
    def resolve_project(obj):
        return obj.project.code

    @staticmethod
    def resolve_park(obj):
        return obj.project.park.slug


class MonthlyReportOut(Schema):
    project: str = Field(..., description="project code")
    park: str
    year: int
    month: int
    completed_investment: Money
    fixed_asset_investment: Money
    image_progress: str
    problems: str
    coordination_needed: str
    stage: str
    status: str = Field(..., description="always 'approved': the API lists approved reports")
    reviewed_at: datetime | None

    @staticmethod
    def resolve_project(obj):
        return obj.project.code

    @staticmethod
    def resolve_park(obj):
        return obj.project.park.slug


class EnterpriseOut(Schema):
    """An enterprise without its personal data (contact person, phone) and without who in the
    park looks after it."""

    name: str
    credit_code: str
    park: str
    industry: str | None
    origin: str
    relation: str
    status: str
    settled_on: date | None
    left_on: date | None
    registered_capital: Money | None
    employees: int | None
    introduced_year: int | None

    @staticmethod
    def resolve_park(obj):
        return obj.park.slug

    @staticmethod
    def resolve_industry(obj):
        return obj.industry.slug if obj.industry_id else None
