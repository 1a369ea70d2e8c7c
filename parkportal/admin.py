"""Users in the Django admin: a park admin manages the accounts of its own park only.

Superusers keep Django's full user admin. A park admin sees and changes the users of its park
(never a superuser), chooses among the three role groups only, cannot grant superuser status
or single permissions, and a user it adds becomes a member of its park.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from parkportal.admin_scoping import ScopedChoicesMixin, scope
from parkportal.permissions import park_of
from parks.models import ParkMember

User = get_user_model()

PARK_ADMIN_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
    (_("Permissions"), {"fields": ("is_active", "is_staff", "groups")}),
    (_("Important dates"), {"fields": ("last_login", "date_joined")}),
)


class ParkUserAdmin(ScopedChoicesMixin, UserAdmin):
    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return PARK_ADMIN_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return super().get_list_filter(request)
        return ("is_active", "groups")

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.is_superuser = False  # never granted from a park admin's form
        super().save_model(request, obj, form, change)
        park = park_of(request.user)
        if not change and park is not None and not request.user.is_superuser:
            ParkMember.objects.get_or_create(user=obj, defaults={"park": park})


admin.site.unregister(User)
admin.site.register(User, ParkUserAdmin)
