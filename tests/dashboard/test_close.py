"""Quarter close: published figures stored and never changed; reports read-only; admin
corrections need a reason, are recorded, and the dashboard shows the difference."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dashboard.selectors import rollup_as_json
from dashboard.services import close_quarter, correct_closed_report
from parks.models import QuarterClose, QuarterCloseCorrection
from projects.models import ProgressReport
from projects.services import save_progress_report

pytestmark = pytest.mark.django_db
TODAY = date(2024, 7, 15)


def test_close_stores_the_published_rollup(park, small_park, leader):
    close = close_quarter(park=park, year=2024, quarter=2, user=leader, today=TODAY)
    assert close.published_figures == rollup_as_json(park=park, year=2024, quarter=2)
    assert close.published_figures["completed_ytd"] == "3000.00"


def test_close_rules(park, small_park, leader, staff_user):
    with pytest.raises(PermissionDenied):
        close_quarter(park=park, year=2024, quarter=2, user=staff_user, today=TODAY)
    with pytest.raises(ValidationError):   # Q3 has not ended on 2024-07-15
        close_quarter(park=park, year=2024, quarter=3, user=leader, today=TODAY)
    close_quarter(park=park, year=2024, quarter=2, user=leader, today=TODAY)
    with pytest.raises(ValidationError):   # already closed
        close_quarter(park=park, year=2024, quarter=2, user=leader, today=TODAY)


def test_reports_read_only_and_admin_correction(park, small_park, leader, staff_user,
                                                admin_user):
    close = close_quarter(park=park, year=2024, quarter=2, user=leader, today=TODAY)
    published = dict(close.published_figures)
    april = ProgressReport.objects.get(project=small_park["A"], year=2024, month=4)
    with pytest.raises(ValidationError):   # staff: closed quarter
        save_progress_report(project=small_park["A"], year=2024, month=4, user=staff_user,
                             data={"completed_investment": D("1")}, version=april.version)
    with pytest.raises(PermissionDenied):
        correct_closed_report(report=april, user=leader, reason="x",
                              changes={"completed_investment": D("1")})
    with pytest.raises(ValidationError):
        correct_closed_report(report=april, user=admin_user, reason="  ",
                              changes={"completed_investment": D("1")})
    correct_closed_report(report=april, user=admin_user, reason="统计口径更正",
                          changes={"completed_investment": D("650")})
    correction = QuarterCloseCorrection.objects.get()
    assert correction.reason == "统计口径更正" and correction.changed_by == admin_user
    assert correction.before["completed_investment"] == "500.00"
    assert correction.after["completed_investment"] == "650.00"
    close.refresh_from_db()
    assert close.published_figures == published        # never changes
    assert rollup_as_json(park=park, year=2024, quarter=2)["completed_ytd"] == "3150.00"


def test_dashboard_shows_published_figures_and_difference(client, park, small_park, leader,
                                                          admin_user):
    close = QuarterClose.objects.create(
        park=park, year=2024, quarter=2, closed_by=leader,
        published_figures=rollup_as_json(park=park, year=2024, quarter=2))
    report = ProgressReport.objects.get(project=small_park["B"], year=2024, month=5)
    correct_closed_report(report=report, user=admin_user, reason="补报",
                          changes={"completed_investment": D("900")})
    client.force_login(leader)
    response = client.get("/dashboard/", {"park": "testpark", "year": 2024, "quarter": 2})
    html = response.content.decode()
    assert response.context["figures"] == close.published_figures
    assert 'id="closed-note"' in html and 'id="changes-since-close"' in html
    assert response.context["changes"]["completed_ytd"]["delta"] == D("100.00")
    assert "补报" in html                              # the correction is listed
    assert 'id="close-quarter-button"' not in html
    # JSON stays the live roll-up, identical to `manage.py rollup`
    live = client.get("/dashboard/", {"park": "testpark", "year": 2024, "quarter": 2,
                                      "format": "json"}).json()
    assert live["completed_ytd"] == "3100.00"


def test_close_view(client, park, small_park, leader):
    client.force_login(leader)
    response = client.post("/dashboard/close/", {"park": "testpark", "year": 2024,
                                                 "quarter": 1, "note": "一季度关账"})
    assert response.status_code == 302
    close = QuarterClose.objects.get()
    assert (close.quarter, close.note, close.closed_by) == (1, "一季度关账", leader)


def test_close_view_refuses_staff(client, park, small_park, staff_user):
    client.force_login(staff_user)
    response = client.post("/dashboard/close/", {"park": "testpark", "year": 2024,
                                                 "quarter": 1})
    assert response.status_code == 403
    assert not QuarterClose.objects.exists()
