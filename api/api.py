"""The read API at /api/v1/ (docs/api.md): django-ninja, OpenAPI at /api/v1/openapi.json.

Every call carries `Authorization: Bearer <token>` (api.auth); every answer holds what its
token's user may read in the pages, park by park (upward.scope.parks_for_scope). Lists are
paginated (?page=, ?page_size= up to 200). Amounts are decimal strings in 万元.
"""

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import FilterLookup, FilterSchema, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer
from pydantic import Field

from api.auth import TokenAuth
from api.schemas import (
    AnnualPlanOut,
    EnterpriseOut,
    Error,
    Invalid,
    MonthlyReportOut,
    ParkOut,
    ProjectOut,
)
from dashboard.snapshots import region_snapshot, rollup_snapshot
from enterprises.models import Enterprise
from parks.models import Region
from projects.models import AnnualPlan, ProgressReport, Project, ReportStatus
from upward.oc4ids import project_package
from upward.scope import OutOfScope, parks_for_scope


class Utf8Renderer(JSONRenderer):
    """Chinese text as itself, not escaped (as the dashboard's JSON)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="parkportal read API",
    version="1",
    description=("Read-only. Authorization: Bearer <token> (manage.py create_api_token USER). "
                 "Amounts are decimal strings in 万元 (10k yuan); the OC4IDS package gives CNY."),
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    renderer=Utf8Renderer(),
    docs_url=None,  # the interactive page loads assets from a CDN: not on an intranet
)

ERRORS = {401: Error, 403: Error, 422: Invalid}  # every operation may answer these
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000  # keeps the offset within the database's integer range


class Page(PageNumberPagination):
    """?page= (from 1) and ?page_size= (1 to 200, default 50); answers {items, count}."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = api.create_response(
        request, {"detail": _("A valid API token is required (Authorization: Bearer …).")},
        status=401)
    response["WWW-Authenticate"] = 'Bearer realm="parkportal"'
    return response


class Scope(Schema):
    park: str | None = Field(None, description="park slug, e.g. zhenba; default: every park "
                                               "the token's user may read")
    region: str | None = Field(None, description="region slug (county, city or province)")


def scoped_parks(request: HttpRequest, scope: Scope):
    try:
        return parks_for_scope(request.auth, park=scope.park, region=scope.region)
    except OutOfScope as exc:
        raise HttpError(403, str(exc)) from exc


@api.get("/parks/", response={200: list[ParkOut], **ERRORS}, tags=["parks"])
@paginate(Page)
def parks(request, scope: Query[Scope]):
    """The parks the token's user may read."""
    return scoped_parks(request, scope).order_by("slug")


# The lists' own filters, declared: a field left out is no filter (ninja's FilterSchema
# ignores None); the park or region scope is a separate query schema (`Scope`).
class ProjectFilter(FilterSchema):
    stage: str | None = Field(None, description="stage code, e.g. continuing")
    is_major: bool | None = None


@api.get("/projects/", response={200: list[ProjectOut], **ERRORS}, tags=["projects"])
@paginate(Page)
def projects(request, scope: Query[Scope], filters: Query[ProjectFilter]):
    """Investment projects, by code."""
    return filters.filter(
        Project.objects.filter(park__in=scoped_parks(request, scope))
        .select_related("park", "industry", "owner_enterprise").order_by("code"))


class PlanFilter(FilterSchema):
    year: int | None = Field(None, ge=2000, le=2100)
    project: Annotated[str | None, FilterLookup("project__code")] = Field(
        None, description="project code")


@api.get("/annual-plans/", response={200: list[AnnualPlanOut], **ERRORS},
         tags=["annual plans"])
@paginate(Page)
def annual_plans(request, scope: Query[Scope], filters: Query[PlanFilter]):
    """Confirmed annual plans (a draft made by the year rollover is not a plan yet)."""
    return filters.filter(
        AnnualPlan.objects.filter(AnnualPlan.published_q(),
                                  project__park__in=scoped_parks(request, scope))
        .select_related("project__park").order_by("year", "project__code"))


class ReportFilter(PlanFilter):
    month: int | None = Field(None, ge=1, le=12)


@api.get("/monthly-reports/", response={200: list[MonthlyReportOut], **ERRORS},
         tags=["monthly reports"])
@paginate(Page)
def monthly_reports(request, scope: Query[Scope], filters: Query[ReportFilter]):
    """Approved monthly reports only (drafts, submitted and returned ones are not published),
    by year, month and project code."""
    return filters.filter(
        ProgressReport.objects
        .filter(status=ReportStatus.APPROVED, project__park__in=scoped_parks(request, scope))
        .select_related("project__park").order_by("year", "month", "project__code"))


class EnterpriseFilter(FilterSchema):
    relation: str | None = Field(None, description="resident, managed, …")
    status: str | None = Field(None, description="negotiating, signed, settled, …")
    introduced_year: int | None = Field(None, ge=1900, le=2100)


@api.get("/enterprises/", response={200: list[EnterpriseOut], **ERRORS}, tags=["enterprises"])
@paginate(Page)
def enterprises(request, scope: Query[Scope], filters: Query[EnterpriseFilter]):
    """Enterprises without personal data (no contact person, no phone), by name."""
    return filters.filter(
        Enterprise.objects.filter(park__in=scoped_parks(request, scope))
        .select_related("park", "industry").order_by("name", "pk"))


class Period(Scope):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)


def one_park(request, scope: Scope):
    """The one park a figure is asked for: the one named, or the only one in scope."""
    parks = list(scoped_parks(request, scope)[:2])
    if len(parks) != 1:
        raise HttpError(400, _("Name one park (?park=slug)."))
    return parks[0]


@api.get("/figures/", response={200: dict, 400: Error, **ERRORS}, tags=["figures"])
def figures(request, period: Query[Period]):
    """The park's figures for the year up to the end of the quarter: the object of
    `manage.py rollup --format json` and of the dashboard's ?format=json (SPEC §3); with
    ?region=, the region's (parks summed, closed quarters as published, each park listed)."""
    if period.region:  # the region's figures: the object of `rollup --region … --format json`
        scoped_parks(request, period)  # 403 for a region outside the user's scope
        region = Region.objects.get(slug=period.region)
        return region_snapshot(region=region, year=period.year, quarter=period.quarter,
                               published=True)
    park = one_park(request, period)
    return rollup_snapshot(park=park, year=period.year, quarter=period.quarter)


class PackageQuery(Scope):
    year: int = Field(..., ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12, description="progress through this month "
                              "(default: December of a past year, this month of this one)")


@api.get("/oc4ids/", response={200: dict, 400: Error, **ERRORS}, tags=["upward reports"])
def oc4ids(request, query: Query[PackageQuery]):
    """An OC4IDS 0.9.5 project package of the park's projects planned for the year; amounts
    in CNY (docs/api.md)."""
    parks = list(scoped_parks(request, query))
    if not parks:
        raise HttpError(400, _("Name one park (?park=slug)."))
    return project_package(parks=parks, year=query.year, month=query.month)
