"""Writes of user management: accounts, roles, assignments, passwords, deactivation.

Park admins manage the accounts of their own park (ParkMember). Roles are the groups of
parkportal.roles; an admin also gets Django's is_staff flag (the Django admin's door). An
admin may not lock themselves out (drop their own admin role or deactivate themselves), and
only a superuser may change a superuser. Every write is atomic and logged as a Django admin
LogEntry on the account (who, when, what), shown on the account's page; assignments are
written on the project's and enterprise's side, so their history records who was assigned.
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from parkportal.permissions import park_of
from parkportal.roles import ADMIN, ALL_ROLES, is_admin
from parks.models import ParkMember
from projects.models import Project

PROFILE_FIELDS = ("first_name", "last_name", "email")
MEMBER_FIELDS = ("phone", "title")


def _check_may_manage(user, target=None):
    if not is_admin(user):
        raise PermissionDenied
    if target is not None and target.is_superuser and not user.is_superuser:
        raise PermissionDenied
    if target is not None:
        park = park_of(user)
        if park is not None and park_of(target) != park:
            raise PermissionDenied


def _log(user, target, flag, message: str):
    LogEntry.objects.log_actions(user.pk, get_user_model().objects.filter(pk=target.pk), flag,
                                 message, single_object=True)


def account_log(target, limit: int = 30):
    """What was done to an account through these services, newest first."""
    from django.contrib.contenttypes.models import ContentType

    return (LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(target),
                                    object_id=str(target.pk))
            .select_related("user").order_by("-action_time")[:limit])


def role_of(target) -> str:
    """The one role a managed account holds (the highest when it holds several)."""
    names = {group.name for group in target.groups.all()}  # prefetched on the pages
    for role in (ADMIN, "leader", "staff"):
        if role in names:
            return role
    return ""


def _set_role(target, role: str):
    if role not in ALL_ROLES:
        raise ValidationError({"role": _("Choose a role.")}, code="role")
    target.groups.remove(*Group.objects.filter(name__in=ALL_ROLES).exclude(name=role))
    target.groups.add(Group.objects.get_or_create(name=role)[0])
    if not target.is_superuser:
        target.is_staff = role == ADMIN
        target.save(update_fields=["is_staff"])


def _assign(target, *, park, projects, enterprises):
    """Make `target` responsible for exactly these projects and enterprises of `park`."""
    for field, wanted, model in (("projects", projects, Project),
                                 ("enterprises", enterprises, Enterprise)):
        if wanted is None:
            continue
        wanted = set(wanted)
        if any(obj.park_id != park.pk for obj in wanted):
            raise ValidationError({field: _("Choose one of your park's own records.")},
                                  code="other_park")
        current = set(model.objects.filter(responsible=target))
        for obj in current - wanted:
            obj.responsible.remove(target)
        for obj in wanted - current:
            obj.responsible.add(target)


@transaction.atomic
def save_user(*, instance=None, user, data: dict):
    """Create (no `instance`: `username` and `password` in `data`) or update an account of
    the admin's park: profile, role, phone and position, assigned projects and enterprises."""
    _check_may_manage(user, instance)
    park = park_of(instance) if instance is not None else park_of(user)
    if park is None:
        raise ValidationError(_("Your account belongs to no park: accounts are added by the "
                                "park's own administrators."), code="no_park")
    User = get_user_model()
    if instance is None:
        target = User(username=data["username"].strip())
        if User.objects.filter(username__iexact=target.username).exists():
            raise ValidationError({"username": _("This user name is taken.")}, code="taken")
        for name in PROFILE_FIELDS:
            setattr(target, name, data.get(name) or "")
        try:
            validate_password(data["password"], target)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        target.set_password(data["password"])
        target.full_clean()
        target.save()
        member = ParkMember(user=target, park=park)
    else:
        target = instance
        if target.pk == user.pk and data.get("role") != ADMIN:
            raise ValidationError({"role": _("You cannot take away your own admin role.")},
                                  code="self")
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(target, name, data[name] or "")
        target.full_clean()
        target.save()
        member = ParkMember.objects.get_or_create(user=target, defaults={"park": park})[0]
    for name in MEMBER_FIELDS:
        if name in data:
            setattr(member, name, data[name] or "")
    member.full_clean()
    member.save()
    _set_role(target, data.get("role", ""))
    _assign(target, park=park, projects=data.get("projects"),
            enterprises=data.get("enterprises"))
    _log(user, target, ADDITION if instance is None else CHANGE,
         _("Account saved: role %(role)s, %(projects)s projects, %(enterprises)s enterprises.")
         % {"role": data.get("role"),
            "projects": Project.objects.filter(responsible=target).count(),
            "enterprises": Enterprise.objects.filter(responsible=target).count()})
    return target


@transaction.atomic
def reset_password(*, instance, user, password: str) -> None:
    """Set a new password (the account's owner changes it after signing in)."""
    _check_may_manage(user, instance)
    try:
        validate_password(password, instance)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    instance.set_password(password)
    instance.save(update_fields=["password"])
    _log(user, instance, CHANGE, _("Password reset."))


@transaction.atomic
def set_active(*, instance, user, active: bool) -> None:
    """Deactivate (the account can no longer sign in; its records stay) or reactivate."""
    _check_may_manage(user, instance)
    if instance.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    instance.is_active = active
    instance.save(update_fields=["is_active"])
    _log(user, instance, CHANGE, _("Reactivated.") if active else _("Deactivated."))


# --- A user's own display preference (issue 16) -------------------------------------------

LARGE_TEXT_SESSION_KEY = "pp_large_text"


def large_text_for(request) -> bool:
    """Whether the signed-in user reads pages in large text. Kept in the session after the
    first look, so pages cost no query; the preference itself lives in DisplayPreference."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if LARGE_TEXT_SESSION_KEY not in request.session:
        from users.models import DisplayPreference

        request.session[LARGE_TEXT_SESSION_KEY] = DisplayPreference.objects.filter(
            user=user, large_text=True).exists()
    return bool(request.session[LARGE_TEXT_SESSION_KEY])


@transaction.atomic
def set_large_text(*, request, on: bool) -> None:
    """Switch the signed-in user's large-text mode on or off, for this and later sessions."""
    from users.models import DisplayPreference

    preference, _created = DisplayPreference.objects.select_for_update().get_or_create(
        user=request.user)
    if preference.large_text != on:
        preference.large_text = on
        preference.full_clean()
        preference.save()
    request.session[LARGE_TEXT_SESSION_KEY] = on
