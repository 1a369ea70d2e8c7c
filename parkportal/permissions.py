"""Who may do what (SPEC §5), in one place: role checks, park scoping and object checks.

Views use the mixins; templates get the same answers through the view context. Our "staff"
role is the Django group of that name (parkportal.roles), never Django's `is_staff` flag.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from parkportal.roles import ADMIN, LEADER, STAFF, is_admin, is_leader, is_staff_member, roles_for


def park_of(user):
    """The park a user works for, or None (e.g. a superuser without a membership)."""
    member = getattr(user, "park_member", None) if user.is_authenticated else None
    return member.park if member is not None else None


def region_of(user):
    """The region a region leader works for (and every park under it), or None."""
    member = getattr(user, "region_member", None) if user.is_authenticated else None
    return member.region if member is not None else None


def visible_parks(user):
    """The parks whose dashboard (figures, workbook, month report) `user` may read: park
    members their own (a park's admin too), an operator (admin without a park) every park,
    region leaders every park under their region."""
    from parks.models import Park
    from parks.selectors import parks_in_region

    park = park_of(user)
    if park is not None:  # a park's own admin included: one park's people read that park
        return Park.objects.filter(pk=park.pk)
    if is_admin(user):  # an operator without a park
        return Park.objects.all()
    region = region_of(user)
    if region is not None and is_leader(user):
        return parks_in_region(region)
    return Park.objects.none()


def visible_regions(user):
    """The regions whose dashboard `user` may read: an operator (admin without a park) every
    region, region leaders their region and the regions below it; park users (a park's own
    admin too) none."""
    from parks.models import Region
    from parks.selectors import regions_under

    if park_of(user) is not None:
        return Region.objects.none()
    if is_admin(user):  # an operator without a park
        return Region.objects.order_by("name")
    region = region_of(user)
    if region is not None and is_leader(user):
        return regions_under(region)
    return Region.objects.none()


def acting_parks(user):
    """The parks `user` may act for (close a quarter, roll a year over): park members their
    own, an operator (admin without a park) every park. A region leader reads parks but acts
    for none."""
    from parks.models import Park

    park = park_of(user)
    if park is not None:
        return Park.objects.filter(pk=park.pk)
    return Park.objects.all() if is_admin(user) else Park.objects.none()


def scope_to_park(queryset, user, park_field: str = "park"):
    """Restrict `queryset` to the user's park. Admins without a park see every park;
    anybody else without a park sees nothing."""
    park = park_of(user)
    if park is not None:
        return queryset.filter(**{park_field: park})
    if is_admin(user):
        return queryset
    return queryset.none()


def has_any_role(user) -> bool:
    return bool(roles_for(user))


# --- projects and monthly progress ------------------------------------------------------


def is_responsible_for(user, project) -> bool:
    return project.responsible.filter(pk=user.pk).exists()


def can_edit_progress(user, project) -> bool:
    """Admins always (a closed quarter needs a reason); staff only for projects they are
    responsible for. Leaders review but never type figures."""
    if is_admin(user):
        return True
    return is_staff_member(user) and is_responsible_for(user, project)


def can_review_reports(user) -> bool:
    """Approve / return monthly reports and close quarters."""
    return is_leader(user) or is_admin(user)


# --- enterprises, visits and demands ----------------------------------------------------


def can_log_visits(user) -> bool:
    """Staff and admins log visits and demands; leaders only view them."""
    return is_staff_member(user) or is_admin(user)


def can_see_personal_data(user, enterprise) -> bool:
    """Contact phones and talent names: admins, and staff assigned to the enterprise."""
    if is_admin(user):
        return True
    return is_staff_member(user) and enterprise.responsible.filter(pk=user.pk).exists()


def may_see_personal_data(user, enterprise_field: str = "pk"):
    """can_see_personal_data as an expression for an enterprise queryset (annotate with it)."""
    from django.db.models import BooleanField, Exists, OuterRef, Value

    from enterprises.models import Enterprise

    if is_admin(user):
        return Value(True, output_field=BooleanField())
    if not is_staff_member(user):
        return Value(False, output_field=BooleanField())
    return Exists(Enterprise.responsible.through.objects.filter(
        enterprise=OuterRef(enterprise_field), user=user))


def personal_data_enterprise_ids(user, queryset) -> set[int] | None:
    """Ids (within `queryset`) whose personal data `user` may see; None means all of them."""
    if is_admin(user):
        return None
    if not is_staff_member(user):
        return set()
    return set(queryset.filter(responsible=user).values_list("pk", flat=True))


# --- view mixins --------------------------------------------------------------------------


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; signed-in users without one of `allowed_roles`
    get 403. The default lets any of our three roles in."""

    allowed_roles: tuple[str, ...] = (STAFF, LEADER, ADMIN)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not roles_for(request.user) & set(self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ParkScopedMixin(RoleRequiredMixin):
    """List and detail views see only the user's park (404 for another park's objects)."""

    park_field = "park"

    def get_queryset(self):
        return scope_to_park(super().get_queryset(), self.request.user, self.park_field)
