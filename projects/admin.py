from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from parkportal.admin_scoping import ParkScopedAdmin, ParkScopedInline, ReadOnlyAdminMixin
from projects.models import (
    AnnualPlan,
    InvestmentLead,
    LeadActivity,
    PreliminaryProcedure,
    ProgressReport,
    Project,
)


class AnnualPlanInline(ParkScopedInline):
    model = AnnualPlan
    extra = 0
    fields = ["year", "planned_investment", "industrial_investment", "milestones",
              "is_illustrative"]


class ProgressReportInline(ReadOnlyAdminMixin, ParkScopedInline):
    """Shown only: monthly reports change on the project pages, through projects.services."""

    model = ProgressReport
    extra = 0
    fields = ["year", "month", "completed_investment", "fixed_asset_investment",
              "image_progress", "status"]
    ordering = ["-year", "-month"]
    show_change_link = True


class PreliminaryProcedureInline(ParkScopedInline):
    model = PreliminaryProcedure
    extra = 0


@admin.register(Project)
class ProjectAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "park", "industry", "stage", "total_investment", "is_major",
                    "is_industrial", "preliminary_done", "actual_start"]
    list_filter = ["park", "stage", "industry", "is_major", "is_industrial", "preliminary_done",
                   "is_illustrative"]
    search_fields = ["code", "name", "construction_content", "location"]
    autocomplete_fields = ["owner_enterprise", "responsible"]
    list_select_related = ["park", "industry"]
    inlines = [PreliminaryProcedureInline, AnnualPlanInline, ProgressReportInline]
    fieldsets = [
        (None, {"fields": ["park", "code", "name", "industry", "owner_enterprise",
                           "construction_content", "location"]}),
        (_("Investment"), {"fields": ["total_investment", ("is_major", "is_industrial"), "stage"]}),
        (_("Dates"), {"fields": [("preliminary_done", "preliminary_done_on"),
                          ("planned_start", "actual_start"),
                          ("planned_completion", "actual_completion")]}),
        (_("Responsibility"), {"fields": ["responsible", "is_illustrative"]}),
    ]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["project", "year", "planned_investment", "industrial_investment",
                    "is_illustrative"]
    list_filter = ["year", "project__park", "project__industry"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdminMixin, ParkScopedAdmin, SimpleHistoryAdmin):
    """Read-only: a report changes only through projects.services (version, status
    transitions, closed-quarter rule and reason, history), on the project pages."""

    list_display = ["project", "year", "month", "completed_investment",
                    "fixed_asset_investment", "status", "submitted_by", "reviewed_by"]
    list_filter = ["status", "year", "month", "project__park"]
    search_fields = ["project__code", "project__name", "image_progress", "problems"]
    autocomplete_fields = ["project"]
    list_select_related = ["project", "submitted_by", "reviewed_by"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(PreliminaryProcedure)
class PreliminaryProcedureAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["project", "kind", "status", "done_on"]
    list_filter = ["kind", "status"]
    search_fields = ["project__code", "project__name"]
    autocomplete_fields = ["project"]


class LeadActivityInline(ParkScopedInline):
    model = LeadActivity
    extra = 0


@admin.register(InvestmentLead)
class InvestmentLeadAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["investor", "park", "industry", "intended_investment", "stage",
                    "next_action", "next_action_on", "responsible"]
    list_filter = ["park", "stage", "industry"]
    search_fields = ["investor", "source", "next_action"]
    autocomplete_fields = ["project", "enterprise", "responsible"]
    inlines = [LeadActivityInline]


@admin.register(LeadActivity)
class LeadActivityAdmin(ParkScopedAdmin):
    list_display = ["lead", "happened_on", "user", "note"]
    search_fields = ["lead__investor", "note"]
    list_filter = ["happened_on"]
