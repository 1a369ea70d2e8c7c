"""Approving or returning a report that is not submitted answers 409 with its current state
(projects.views.ReviewView, projects.services.NotSubmitted)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.models import ReportStatus

pytestmark = pytest.mark.django_db
PERIOD = (2024, 1)


def save(project, user, submit=False, version=0):
    return services.save_progress_report(
        project=project, year=2024, month=1, user=user, version=version, submit=submit,
        data={"completed_investment": Decimal("100"), "fixed_asset_investment": Decimal("0"),
              "image_progress": "主体施工"})


def review_url(project):
    return reverse("projects:review", kwargs={"code": project.code, "period": PERIOD})


@pytest.mark.parametrize("action", ["approve", "return"])
def test_reviewing_a_draft_answers_409_with_its_state(client, project, staff_user, leader,
                                                      action):
    draft = save(project, staff_user)
    client.force_login(leader)
    response = client.post(review_url(project), {"version": draft.version, "action": action,
                                                 "reason": "不符"})
    assert response.status_code == 409
    assert response["X-Report-Status"] == "draft"
    page = response.content.decode()
    assert "只有已提交的报告才能审核通过或退回" in page
    assert draft.get_status_display() in page and f"第 {draft.version} 版" in page
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.reviewed_by is None
    assert draft.history.count() == 1


def test_approving_an_approved_report_again_answers_409(client, project, staff_user, leader):
    report = save(project, staff_user, submit=True)
    client.force_login(leader)
    client.post(review_url(project), {"version": report.version, "action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    response = client.post(review_url(project), {"version": report.version,
                                                 "action": "return", "reason": "再看看"})
    assert response.status_code == 409 and response["X-Report-Status"] == "approved"
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_submitted_report_still_redirects(client, project, staff_user, leader):
    report = save(project, staff_user, submit=True)
    client.force_login(leader)
    response = client.post(review_url(project), {"version": report.version,
                                                 "action": "approve"})
    assert response.status_code == 302


def test_service_raises_not_submitted_with_the_current_report(project, staff_user, leader):
    draft = save(project, staff_user)
    with pytest.raises(services.NotSubmitted) as caught:
        services.return_report(report=draft, user=leader, version=draft.version, reason="x")
    assert caught.value.current.status == ReportStatus.DRAFT
