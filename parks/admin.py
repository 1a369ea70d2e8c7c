from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from parkportal.admin_scoping import ParkScopedAdmin, ParkScopedInline
from parks.models import (
    Industry,
    Park,
    ParkAnnualTarget,
    ParkMember,
    QuarterClose,
    QuarterCloseCorrection,
    Region,
    RegionMember,
)


@admin.register(Park)
class ParkAdmin(ParkScopedAdmin):
    list_display = ["name", "slug", "region", "county", "city", "province",
                    "lag_yellow_points", "lag_red_points"]
    search_fields = ["name", "slug", "county", "city"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "region", ("province", "city", "county")]}),
        (_("Traffic lights"), {"fields": ["lag_yellow_points", "lag_red_points",
                                          "not_started_red_months"]}),
    ]


    def get_readonly_fields(self, request, obj=None):
        """Only an operator places a park in a region (it opens the park's figures to the
        region's leaders)."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "region"]


class RegionMemberInline(admin.TabularInline):
    """Region leaders: operators only (a park admin's users are the park's)."""

    model = RegionMember
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: request.user.is_superuser)


@admin.register(Region)
class RegionAdmin(ParkScopedAdmin):
    """Counties, cities and provinces: operators edit them; park admins read them."""

    list_display = ["name", "slug", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RegionMemberInline]


@admin.register(Industry)
class IndustryAdmin(ParkScopedAdmin):
    list_display = ["name", "name_en", "slug", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "name_en"]


@admin.register(ParkMember)
class ParkMemberAdmin(ParkScopedAdmin):
    list_display = ["user", "park", "title", "phone"]
    list_filter = ["park"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "phone"]
    autocomplete_fields = ["user"]


@admin.register(ParkAnnualTarget)
class ParkAnnualTargetAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["park", "year", "projects_planned", "total_investment",
                    "annual_investment", "industrial_investment"]
    list_filter = ["park", "year"]


class CorrectionInline(ParkScopedInline):
    model = QuarterCloseCorrection
    extra = 0
    fields = ["changed_at", "changed_by", "progress_report", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(QuarterClose)
class QuarterCloseAdmin(ParkScopedAdmin):
    list_display = ["park", "year", "quarter", "closed_by", "closed_at"]
    list_filter = ["park", "year", "quarter"]
    readonly_fields = ["closed_at"]
    inlines = [CorrectionInline]


@admin.register(QuarterCloseCorrection)
class QuarterCloseCorrectionAdmin(ParkScopedAdmin):
    list_display = ["quarter_close", "progress_report", "changed_by", "changed_at", "reason"]
    list_filter = ["quarter_close__park", "quarter_close__year"]
    search_fields = ["reason"]
    readonly_fields = ["changed_at"]


admin.site.site_header = _("parkportal administration")
admin.site.site_title = _("parkportal")
admin.site.index_title = _("Data maintenance")
