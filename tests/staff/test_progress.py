"""Monthly progress: validation messages, the review workflow and concurrent saves."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from parkportal.once import new_token
from parks.models import QuarterClose, QuarterCloseCorrection
from projects import services
from projects.models import ProgressReport, ReportStatus
from tests.conftest import PASSWORD

PERIOD = "2024-03"


def url(project, period=PERIOD):
    return reverse("projects:progress", kwargs={"code": project.code, "period": period})


def form_data(version=0, **overrides):
    data = {"version": str(version), "completed_investment": "500.00",
            "fixed_asset_investment": "300.00", "stage": "new_start",
            "image_progress": "主体结构施工至三层", "problems": "", "coordination_needed": "",
            "action": "save", "form_token": new_token()}
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, staff_user):
    client.login(username=staff_user.username, password=PASSWORD)
    return client


def save(project, user, version=0, submit=False, month=3, year=2024, reason="", **data):
    values = {"completed_investment": Decimal("500"), "fixed_asset_investment": Decimal("0"),
              "image_progress": "进展", "problems": "", "coordination_needed": "",
              "stage": "new_start"}
    values.update(data)
    return services.save_progress_report(project=project, year=year, month=month, user=user,
                                         data=values, version=version, submit=submit,
                                         unusual_amount_reason=reason)


# --- the form -----------------------------------------------------------------------------


def test_get_prefills_narrative_from_previous_month(staff_client, project, staff_user):
    save(project, staff_user, month=2, image_progress="基础施工完成", problems="缺少钢材",
         coordination_needed="协调电力接入")
    response = staff_client.get(url(project))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["image_progress"] == "基础施工完成"
    assert form.initial["problems"] == "缺少钢材"
    assert form.initial["coordination_needed"] == "协调电力接入"
    assert "completed_investment" not in form.initial  # amounts are never carried over
    assert "基础施工完成" in response.content.decode()


def test_post_saves_a_draft_then_submits(staff_client, project, staff_user):
    response = staff_client.post(url(project), form_data())
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project, year=2024, month=3)
    assert report.status == ReportStatus.DRAFT
    assert report.completed_investment == Decimal("500.00")
    assert report.created_by == staff_user and report.version == 1

    response = staff_client.post(url(project), form_data(version=1, action="submit"),
                                 follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == staff_user
    assert report.version == 2
    assert "已提交审核" in response.content.decode()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"completed_investment": "-5"}, "completed_investment", "金额不能为负数。"),
    ({"fixed_asset_investment": "-0.01"}, "fixed_asset_investment", "金额不能为负数。"),
    ({"completed_investment": "10000.01"}, "completed_investment", "超过项目总投资"),
])
def test_clear_chinese_messages_for_bad_amounts(staff_client, project, overrides, field,
                                                message):
    response = staff_client.post(url(project), form_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_cumulative_counts_the_other_months(staff_client, project, staff_user):
    # Far above the planned month (4000 ÷ 12): saved with a reason (test_unusual_amount.py).
    save(project, staff_user, month=1, completed_investment=Decimal("6000"), reason="设备款")
    save(project, staff_user, month=2, completed_investment=Decimal("3000"), submit=True,
         reason="设备款")
    response = staff_client.post(url(project), form_data(completed_investment="1000.01"))
    content = response.content.decode()
    assert "累计完成投资将达到 10,000.01 万元，超过项目总投资 10,000.00 万元" in content
    response = staff_client.post(url(project), form_data(completed_investment="1000.00"))
    assert response.status_code == 302  # exactly the total is allowed


def test_future_month_is_refused(staff_client, project):
    response = staff_client.post(url(project, "2099-01"), form_data())
    assert response.status_code == 200
    assert "2099-01 尚未到来" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_month_in_closed_quarter_is_refused_for_staff(staff_client, project, leader):
    QuarterClose.objects.create(park=project.park, year=2024, quarter=1, closed_by=leader,
                                published_figures={})
    response = staff_client.get(url(project))
    assert response.context["form"] is None  # read-only
    response = staff_client.post(url(project), form_data())
    content = response.content.decode()
    assert "2024年第1季度已关账" in content
    assert not ProgressReport.objects.exists()


def test_admin_corrects_closed_quarter_with_reason(client, project, staff_user, leader,
                                                   admin_user):
    report = save(project, staff_user, submit=True)
    close = QuarterClose.objects.create(park=project.park, year=2024, quarter=1,
                                        closed_by=leader, published_figures={})
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(url(project), form_data(version=report.version,
                                                   completed_investment="450"))
    assert "请填写本次更正的原因" in response.content.decode()
    response = client.post(url(project), form_data(
        version=report.version, completed_investment="450", correction_reason="统计口径更正"))
    assert response.status_code == 302
    correction = QuarterCloseCorrection.objects.get()
    assert correction.quarter_close == close and correction.changed_by == admin_user
    assert correction.before["completed_investment"] == "500.00"
    assert correction.after["completed_investment"] == "450.00"
    assert report.history.first().history_change_reason == "统计口径更正"


def test_staff_cannot_change_a_submitted_report(staff_client, project, staff_user):
    report = save(project, staff_user, submit=True)
    response = staff_client.get(url(project))
    assert response.context["form"] is None
    response = staff_client.post(url(project), form_data(version=report.version))
    assert "不能再修改" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.version == 1


# --- review workflow ----------------------------------------------------------------------


def test_review_workflow_return_correct_resubmit_approve(client, project, staff_user, leader):
    report = save(project, staff_user, submit=True)
    client.login(username=leader.username, password=PASSWORD)
    review = reverse("projects:review", kwargs={"code": project.code, "period": PERIOD})

    # A return needs a reason.
    client.post(review, {"version": report.version, "action": "return", "reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    client.post(review, {"version": report.version, "action": "return",
                         "reason": "本月完成投资与形象进度不符"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.reviewed_by == leader
    assert report.return_reason == "本月完成投资与形象进度不符"

    # Staff corrects and resubmits; the leader approves.
    client.login(username=staff_user.username, password=PASSWORD)
    page = client.get(url(project)).content.decode()
    assert "本月完成投资与形象进度不符" in page
    client.post(url(project), form_data(version=report.version, completed_investment="420",
                                        action="submit"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.completed_investment == Decimal("420")

    client.login(username=leader.username, password=PASSWORD)
    client.post(review, {"version": report.version, "action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.reviewed_by == leader
    statuses = [h.status for h in report.history.order_by("history_date")]
    assert statuses == ["submitted", "returned", "submitted", "approved"]


def test_only_submitted_reports_can_be_approved(project, staff_user, leader):
    draft = save(project, staff_user)
    with pytest.raises(services.ReportConflict):
        services.approve_report(report=draft, user=leader, version=draft.version)


def test_staff_and_other_staff_cannot_approve(project, staff_user, other_staff):
    report = save(project, staff_user, submit=True)
    for user in (staff_user, other_staff):
        with pytest.raises(PermissionDenied):
            services.approve_report(report=report, user=user, version=report.version)


def test_leader_cannot_type_figures(project, leader):
    with pytest.raises(PermissionDenied):
        save(project, leader)


def test_other_staff_cannot_save(project, other_staff):
    with pytest.raises(PermissionDenied):
        save(project, other_staff)


def test_roll_up_counts_submitted_and_approved_only(project, staff_user):
    from projects.selectors import cumulative_completed

    save(project, staff_user, month=1, completed_investment=Decimal("100"))  # draft
    save(project, staff_user, month=2, completed_investment=Decimal("200"), submit=True)
    assert cumulative_completed(project, year=2024, month=3) == Decimal("200")


# --- concurrent saves ---------------------------------------------------------------------


def test_second_save_from_the_same_version_is_refused(client, project, staff_user,
                                                      admin_user):
    """Two people load version 1; the first save wins, the second is refused and sees the
    current values; nothing is overwritten."""
    report = save(project, staff_user)
    loaded_version = report.version

    first = services.save_progress_report(
        project=project, year=2024, month=3, user=admin_user, version=loaded_version,
        data={"completed_investment": Decimal("700"), "image_progress": "管理员修改"})
    assert first.version == loaded_version + 1

    client.login(username=staff_user.username, password=PASSWORD)
    response = client.post(url(project), form_data(version=loaded_version,
                                                   completed_investment="650",
                                                   image_progress="张三修改"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "您的修改未保存" in content
    assert "700.00" in content and "管理员修改" in content  # the current values are shown
    assert response.context["conflict"].version == first.version
    report.refresh_from_db()
    assert report.completed_investment == Decimal("700")
    assert report.image_progress == "管理员修改"
    # The form now carries the current version: saving again on purpose works.
    assert response.context["form"]["version"].value() == first.version


def test_two_first_saves_of_a_new_month_conflict(project, staff_user, admin_user):
    save(project, staff_user, version=0)
    with pytest.raises(services.ReportConflict) as caught:
        save(project, admin_user, version=0, completed_investment=Decimal("1"))
    assert caught.value.current.completed_investment == Decimal("500")


def test_version_check_is_a_compare_and_set(project, staff_user, monkeypatch):
    """Even when the stale read slips through (a concurrent writer between the read and the
    write), the conditional UPDATE refuses the save."""
    report = save(project, staff_user)
    stale = report.version
    ProgressReport._base_manager.filter(pk=report.pk).update(version=stale + 1)
    real_filter = ProgressReport.objects.filter

    def stale_read(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if kwargs.get("month") == 3:
            for obj in qs:
                obj.version = stale  # what this request read a moment ago
            return _Fixed(list(qs))
        return qs

    monkeypatch.setattr(ProgressReport.objects, "filter", stale_read)
    with pytest.raises(services.ReportConflict):
        save(project, staff_user, version=stale, completed_investment=Decimal("1"))
    monkeypatch.undo()
    report.refresh_from_db()
    assert report.completed_investment == Decimal("500")


class _Fixed(list):
    def first(self):
        return self[0] if self else None


def test_review_from_a_stale_version_is_refused(project, staff_user, leader):
    report = save(project, staff_user, submit=True)
    services.return_report(report=report, user=leader, version=report.version, reason="补充")
    with pytest.raises(services.ReportConflict):
        services.approve_report(report=report, user=leader, version=report.version)


def test_validation_errors_do_not_bump_the_version(project, staff_user):
    report = save(project, staff_user)
    with pytest.raises(ValidationError):
        save(project, staff_user, version=report.version,
             completed_investment=Decimal("99999"))
    report.refresh_from_db()
    assert report.version == 1


def test_future_month_service_check(project, staff_user):
    with pytest.raises(ValidationError) as caught:
        save(project, staff_user, year=date.today().year + 1, month=1)
    assert caught.value.code == "future"
