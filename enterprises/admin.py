from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from enterprises.models import Demand, Enterprise, ImportBatch, IndustryMapping, Visit
from parkportal.admin_scoping import ParkScopedAdmin, ParkScopedInline


class VisitInline(ParkScopedInline):
    model = Visit
    extra = 0
    fields = ["visited_on", "staff", "kind", "notes"]
    autocomplete_fields = ["staff"]
    ordering = ["-visited_on"]
    show_change_link = True


class DemandInline(ParkScopedInline):
    model = Demand
    extra = 0
    fields = ["category", "description", "status", "due_on", "resolution", "resolved_at"]


@admin.register(Enterprise)
class EnterpriseAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "park", "industry", "relation", "status",
                    "settled_on", "registered_capital", "introduced_year"]
    list_filter = ["park", "relation", "status", "industry", "introduced_year",
                   "is_illustrative"]
    search_fields = ["name", "credit_code", "origin", "contact_person"]
    autocomplete_fields = ["responsible"]
    list_select_related = ["park", "industry"]
    inlines = [VisitInline, DemandInline]


@admin.register(Visit)
class VisitAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "visited_on", "staff", "kind"]
    list_filter = ["kind", "visited_on", "enterprise__park"]
    search_fields = ["enterprise__name", "notes"]
    autocomplete_fields = ["enterprise", "staff"]
    date_hierarchy = "visited_on"


@admin.register(Demand)
class DemandAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "category", "status", "due_on", "resolved_at"]
    list_filter = ["status", "category", "enterprise__park"]
    search_fields = ["enterprise__name", "description", "resolution"]
    autocomplete_fields = ["enterprise", "visit", "assignee"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ParkScopedAdmin):
    list_display = ["file_name", "target", "park", "created_by", "created_at", "state",
                    "created_count", "updated_count", "unchanged_count", "rejected_count"]
    list_filter = ["target", "state", "park"]
    search_fields = ["file_name", "file_sha256"]
    readonly_fields = ["created_at", "finished_at", "file_sha256"]


@admin.register(IndustryMapping)
class IndustryMappingAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    """The park's national-classification → industry-chain mappings (also edited at
    /enterprises/industry-mappings/)."""

    list_display = ["national_code", "national_name", "industry", "park"]
    list_filter = ["park", "industry"]
    search_fields = ["national_code", "national_name"]
    list_select_related = ["park", "industry"]
