"""The Django admin for park admins: every list, form and choice limited to the user's park.

A park admin (the `admin` role, `is_staff`, not a superuser) reaches /admin/ with the model
permissions of parkportal.role_permissions. Each ModelAdmin here knows the path from its model
to a park (`park_path`); querysets, foreign-key and many-to-many choices and autocompletes are
filtered by it. Superusers (operators, `createsuperuser`) see everything; anybody else without
a park membership sees nothing (`is_staff` alone opens nothing). The history pages are scoped
too, and a history "revert" is refused where the admin may not change the record or where the
record carries a version (a revert would set it back).
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404

from parkportal.permissions import park_of
from parkportal.roles import ALL_ROLES

# How each model reaches its park; the key is "app_label.model".
PARK_PATHS = {
    "parks.park": "pk",
    "parks.parkmember": "park",
    "parks.parkannualtarget": "park",
    "parks.quarterclose": "park",
    "parks.quarterclosecorrection": "quarter_close__park",
    "projects.project": "park",
    "projects.annualplan": "project__park",
    "projects.progressreport": "project__park",
    "projects.preliminaryprocedure": "project__park",
    "projects.investmentlead": "park",
    "projects.leadactivity": "lead__park",
    "enterprises.enterprise": "park",
    "enterprises.visit": "enterprise__park",
    "enterprises.demand": "enterprise__park",
    "enterprises.importbatch": "park",
    "enterprises.industrymapping": "park",
    "talent.partnerorganization": "park",
    "talent.innovationcenter": "park",
    "talent.talentintroduction": "park",
    "auth.user": "park_member__park",
}


def scope(queryset, user):
    """`queryset` limited to `user`'s park (unchanged for a superuser; empty without a park or
    for a model with no park)."""
    if user.is_superuser:
        return queryset
    label = queryset.model._meta.label_lower
    if label in ("parks.industry", "parks.region"):
        return queryset  # shared by every park
    if label == "auth.group":
        return queryset.filter(name__in=ALL_ROLES)
    park = park_of(user)
    path = PARK_PATHS.get(label)
    if park is None or path is None:
        return queryset.none()
    scoped = queryset.filter(**{path: park.pk})
    if queryset.model is get_user_model():
        scoped = scoped.filter(is_superuser=False)
    return scoped


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to the user's park."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope(field.queryset, request.user)
        return field


class ParkScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose changelist, change form, history and autocomplete see only the
    user's park."""

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def _in_scope(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope(request, object_id)
        if request.method == "POST" and not self.may_revert(request, object_id):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id,
                                         extra_context=extra_context)

    def may_revert(self, request, object_id) -> bool:
        obj = self.get_queryset(request).get(pk=unquote(object_id))
        try:
            self.model._meta.get_field("version")
        except FieldDoesNotExist:
            return self.has_change_permission(request, obj)
        return False  # a revert would lower the version

    def revert_disabled(self, request, obj=None):
        try:
            self.model._meta.get_field("version")
        except FieldDoesNotExist:
            return super().revert_disabled(request, obj)
        return True


class ParkScopedInline(ScopedChoicesMixin, admin.TabularInline):
    pass


class ReadOnlyAdminMixin:
    """Records a workflow writes (with its own rules, version and history) are only shown."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
