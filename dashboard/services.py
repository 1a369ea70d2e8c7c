"""Writes of the dashboard area: closing a quarter, and admin corrections inside a closed one.

A quarter can be closed once it has ended: then every figure of the roll-up, including the
ones taken "as of" a day (visit coverage, open demands, the not-started rule of the traffic
lights), is taken at the period end and the published figures are stable.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.selectors import rollup_as_json
from parkportal.periods import Period
from parkportal.permissions import can_review_reports
from parkportal.roles import is_admin
from parks.models import Park, QuarterClose
from parks.selectors import quarter_close_for


def check_can_close(*, park: Park, year: int, quarter: int, user, today=None) -> Period:
    if not can_review_reports(user):
        raise PermissionDenied
    period = Period(year, quarter)
    today = today or timezone.localdate()
    if period.end >= today:
        raise ValidationError(
            _("%(year)s Q%(quarter)s has not ended yet: a quarter can be closed from the day "
              "after its last day.") % {"year": year, "quarter": quarter}, code="not_ended")
    if QuarterClose.objects.filter(park=park, year=year, quarter=quarter).exists():
        raise ValidationError(_("%(year)s Q%(quarter)s is already closed.")
                              % {"year": year, "quarter": quarter}, code="closed")
    return period


@transaction.atomic
def close_quarter(*, park: Park, year: int, quarter: int, user, note: str = "",
                  today=None) -> QuarterClose:
    """Close park × year × quarter (季度关账): store the roll-up as published.

    Leaders and admins only; the quarter must have ended and not be closed yet. From then
    on progress reports of the year's months in that quarter are read-only except for an
    admin correction with a reason (`correct_closed_report`)."""
    check_can_close(park=park, year=year, quarter=quarter, user=user, today=today)
    close = QuarterClose(park=park, year=year, quarter=quarter, closed_by=user,
                         published_figures=rollup_as_json(park=park, year=year,
                                                          quarter=quarter),
                         note=note.strip())
    close.full_clean()
    try:
        with transaction.atomic():
            close.save()
    except IntegrityError as exc:  # closed concurrently
        raise ValidationError(_("%(year)s Q%(quarter)s is already closed.")
                              % {"year": year, "quarter": quarter}, code="closed") from exc
    return close


def correct_closed_report(*, report, user, reason: str, changes: dict):
    """An admin changes a progress report inside a closed quarter, giving a reason.

    `changes` maps editable fields (completed_investment, fixed_asset_investment,
    image_progress, problems, coordination_needed, stage) to new values. The write goes
    through the monthly-progress service, which checks the version, records the history row
    with the reason and a QuarterCloseCorrection (before / after). The published figures of
    the close never change; the dashboard shows the difference.
    """
    from projects.services import EDITABLE_FIELDS, save_progress_report

    if not is_admin(user):
        raise PermissionDenied
    if quarter_close_for(report.project.park, report.year, report.month) is None:
        raise ValidationError(_("This report is not in a closed quarter."), code="not_closed")
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this correction.")},
                              code="required")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be corrected: %(fields)s")
                              % {"fields": ", ".join(sorted(unknown))}, code="unknown")
    return save_progress_report(project=report.project, year=report.year, month=report.month,
                                user=user, data=changes, version=report.version,
                                correction_reason=reason, unusual_amount_reason=reason)
