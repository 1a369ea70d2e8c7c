from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parkportal.admin_scoping import ParkScopedAdmin, ParkScopedInline
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction


class CenterInline(ParkScopedInline):
    model = InnovationCenter
    extra = 0


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(ParkScopedAdmin):
    list_display = ["name", "park", "location", "field", "joined_on"]
    list_filter = ["park"]
    search_fields = ["name", "field"]
    inlines = [CenterInline]


@admin.register(InnovationCenter)
class InnovationCenterAdmin(ParkScopedAdmin):
    list_display = ["name", "park", "kind", "city", "partner", "established_on"]
    list_filter = ["park", "kind"]
    search_fields = ["name", "city"]


@admin.register(TalentIntroduction)
class TalentIntroductionAdmin(ParkScopedAdmin, SimpleHistoryAdmin):
    list_display = ["person_name", "degree", "field", "mode", "employer", "innovation_center",
                    "introduced_on"]
    list_filter = ["park", "degree", "mode", "innovation_center", "is_illustrative"]
    search_fields = ["person_name", "field"]
    autocomplete_fields = ["employer"]
    date_hierarchy = "introduced_on"
