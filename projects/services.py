"""Writes of the monthly progress workflow: save / submit, approve, return.

Draft → submitted → approved, or submitted → returned (with a reason) → corrected and
submitted again. Every write is checked against the version the user loaded: a save from an
older version is refused (`ReportConflict`) and nothing is overwritten.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parkportal.money import CENT, ZERO
from parkportal.periods import quarter_of
from parkportal.permissions import can_edit_progress, can_review_reports
from parkportal.roles import is_admin
from parkportal.templatetags.money import wan as format_wan
from parks.models import QuarterCloseCorrection
from parks.selectors import quarter_close_for
from projects.models import ProgressReport, ReportStatus
from projects.selectors import EDITABLE_BY_STAFF, completed_in_other_months

MONEY_FIELDS = ("completed_investment", "fixed_asset_investment")
EDITABLE_FIELDS = ("completed_investment", "fixed_asset_investment", "image_progress",
                   "problems", "coordination_needed", "stage")


class ReportConflict(Exception):
    """Somebody saved the report after the user loaded it."""

    def __init__(self, current: ProgressReport | None):
        super().__init__("progress report changed since it was loaded")
        self.current = current


class NotSubmitted(ReportConflict):
    """Only a submitted report can be approved or returned; `current` is in another state."""


def _snapshot(report: ProgressReport) -> dict:
    return {name: str(getattr(report, name)) for name in (*EDITABLE_FIELDS, "status")}


def check_period(*, project, year: int, month: int, user, correction_reason: str = ""):
    """Refuse a future month, and a closed quarter unless an admin gives a reason.
    Returns the QuarterClose being corrected, if any."""
    today = timezone.localdate()
    period = f"{year}-{month:02d}"
    if date(year, month, 1) > today.replace(day=1):
        raise ValidationError(
            _("%(period)s is in the future: progress can only be reported for the current "
              "month or earlier months.") % {"period": period}, code="future")
    closed = quarter_close_for(project.park, year, month)
    if closed is None:
        return None
    if not is_admin(user):
        raise ValidationError(
            _("Quarter %(quarter)s of %(year)s is closed: progress for %(period)s can no "
              "longer be changed. Ask an administrator to make a correction.")
            % {"quarter": quarter_of(month), "year": year, "period": period}, code="closed")
    if not correction_reason.strip():
        raise ValidationError(
            {"correction_reason": _("Quarter %(quarter)s of %(year)s is closed: give the reason "
                                    "for this correction.")
             % {"quarter": quarter_of(month), "year": year}}, code="closed")
    return closed


def check_figures(*, project, year: int, month: int, completed_investment,
                  fixed_asset_investment):
    errors = {}
    for name, value in (("completed_investment", completed_investment),
                        ("fixed_asset_investment", fixed_asset_investment)):
        if value is not None and value < 0:
            errors[name] = _("Amounts cannot be negative.")
    if errors:
        raise ValidationError(errors, code="negative")
    others = completed_in_other_months(project, year=year, month=month)
    cumulative = others + (completed_investment or 0)
    if cumulative > project.total_investment:
        raise ValidationError({"completed_investment": _(
            "Cumulative completed investment would be %(cumulative)s (10k yuan), above the "
            "project's total investment of %(total)s (10k yuan). Check this month's figure and "
            "the earlier months.") % {"cumulative": format_wan(cumulative),
                                       "total": format_wan(project.total_investment)}},
            code="above_total")


@transaction.atomic
def save_progress_report(*, project, year: int, month: int, user, data: dict, version: int,
                         submit: bool = False, correction_reason: str = "") -> ProgressReport:
    """Create or update the project's report for `year`-`month` from `data`
    (EDITABLE_FIELDS), optionally submitting it for review.

    `version` is the version the user loaded (0 for a report that did not exist yet).
    Raises PermissionDenied, ValidationError or ReportConflict.
    """
    if not can_edit_progress(user, project):
        raise PermissionDenied
    closed = check_period(project=project, year=year, month=month, user=user,
                          correction_reason=correction_reason)
    check_figures(project=project, year=year, month=month,
                  completed_investment=data.get("completed_investment"),
                  fixed_asset_investment=data.get("fixed_asset_investment"))

    existing = ProgressReport.objects.filter(project=project, year=year, month=month).first()
    if existing is None:
        if version != 0:
            raise ReportConflict(None)
        report = ProgressReport(project=project, year=year, month=month, created_by=user,
                                version=1)
        before = {}
    else:
        if existing.version != version:
            raise ReportConflict(existing)
        # Compare-and-set on the version: the one statement that decides who wins. It takes the
        # row's write lock, so a concurrent save waits and then finds the version changed.
        claimed = (ProgressReport._base_manager
                   .filter(pk=existing.pk, version=version).update(version=version + 1))
        if not claimed:
            raise ReportConflict(ProgressReport.objects.get(pk=existing.pk))
        report = ProgressReport.objects.get(pk=existing.pk)
        if not is_admin(user) and report.status not in EDITABLE_BY_STAFF:
            raise ValidationError(
                _("This report has been %(status)s and can no longer be changed.")
                % {"status": report.get_status_display()}, code="locked")
        before = _snapshot(report)

    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in MONEY_FIELDS:
            value = Decimal(value).quantize(CENT) if value is not None else ZERO
        setattr(report, name, value if value is not None else "")
    if submit:
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = user
        report.submitted_at = timezone.now()
        report.reviewed_by = None
        report.reviewed_at = None
    report._history_user = user
    if closed is not None:
        report._change_reason = correction_reason.strip()[:100]
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # created concurrently by someone else
        raise ReportConflict(ProgressReport.objects.filter(
            project=project, year=year, month=month).first()) from exc
    if closed is not None:
        QuarterCloseCorrection.objects.create(
            quarter_close=closed, progress_report=report, reason=correction_reason.strip(),
            changed_by=user, before=before, after=_snapshot(report))
    return report


def _claim_for_review(report: ProgressReport, version: int) -> ProgressReport:
    claimed = (ProgressReport._base_manager
               .filter(pk=report.pk, version=version, status=ReportStatus.SUBMITTED)
               .update(version=version + 1))
    current = ProgressReport.objects.get(pk=report.pk)
    if not claimed:
        if current.status != ReportStatus.SUBMITTED:
            raise NotSubmitted(current)
        raise ReportConflict(current)
    return current


@transaction.atomic
def approve_report(*, report: ProgressReport, user, version: int) -> ProgressReport:
    """A leader (or admin) approves a submitted report."""
    if not can_review_reports(user):
        raise PermissionDenied
    report = _claim_for_review(report, version)
    report.status = ReportStatus.APPROVED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report._history_user = user
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def return_report(*, report: ProgressReport, user, version: int, reason: str) -> ProgressReport:
    """A leader (or admin) returns a submitted report to its author with a reason."""
    if not can_review_reports(user):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")}, code="required")
    report = _claim_for_review(report, version)
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report._history_user = user
    report.full_clean()
    report.save()
    return report
