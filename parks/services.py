"""Writes of park data kept by its admins: the park's annual targets (年度目标)."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parkportal.money import as_money
from parkportal.permissions import park_of
from parkportal.roles import is_admin
from parks.models import ParkAnnualTarget

TARGET_FIELDS = ("year", "projects_planned", "total_investment", "annual_investment",
                 "industrial_investment", "major_preliminary_projects",
                 "major_preliminary_investment", "enterprises_to_introduce",
                 "talents_to_introduce", "source")
MONEY = ("total_investment", "annual_investment", "industrial_investment",
         "major_preliminary_investment")


@transaction.atomic
def save_park_target(*, instance: ParkAnnualTarget | None = None, user,
                     data: dict) -> ParkAnnualTarget:
    """Create or update the admin's park's targets for a year (one row per park and year)."""
    if not is_admin(user):
        raise PermissionDenied
    park = instance.park if instance is not None else park_of(user)
    if park is None:
        raise ValidationError(_("Your account belongs to no park: targets are set by the "
                                "park's own administrators."), code="no_park")
    values = {name: data[name] for name in TARGET_FIELDS if name in data}
    errors = {}
    for name in MONEY:
        if name in values:
            values[name] = as_money(values[name])
            if values[name] < 0:
                errors[name] = _("Amounts cannot be negative.")
    if values.get("industrial_investment", 0) > values.get("annual_investment", 0):
        errors["industrial_investment"] = _(
            "The industrial part cannot exceed the year's planned investment.")
    clash = ParkAnnualTarget.objects.filter(park=park, year=values.get("year"))
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        errors["year"] = _("The park already has targets for %(year)s.") % {
            "year": values.get("year")}
    if errors:
        raise ValidationError(errors)
    target = instance if instance is not None else ParkAnnualTarget(park=park)
    for name, value in values.items():
        setattr(target, name, value if value is not None or name not in ("source",) else "")
    target._history_user = user
    target.full_clean()
    target.save()
    return target


SETTINGS_FIELDS = ("report_due_day",)


@transaction.atomic
def save_park_settings(*, park, user, data: dict):
    """A park admin changes the park's settings: the day of the next month by which a month's
    progress report is due (1–28)."""
    if not is_admin(user) or park_of(user) != park:
        raise PermissionDenied
    day = data.get("report_due_day")
    if day is None or not 1 <= day <= 28:
        raise ValidationError({"report_due_day": _("Choose a day from 1 to 28.")},
                              code="due_day")
    park.report_due_day = day
    park.full_clean()
    park.save(update_fields=["report_due_day"])
    return park
