"""A monthly amount far above the project's plan or its history asks for a confirmation with
a reason (issue 12): the first post warns and saves nothing, the second with a reason saves;
the reason is kept on the report, with its history."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from projects.models import AnnualPlan, ProgressReport
from projects.selectors import unusual_amount
from tests.staff.test_progress import (  # noqa: F401
    form_data,
    new_token,
    save,
    staff_client,
    url,
)

pytestmark = pytest.mark.django_db


# --- the rule (projects.selectors.unusual_amount) -------------------------------------------
# The `project` fixture plans 4000 for 2024: a planned month of 333.33, so 3 × is 1000.

@pytest.mark.parametrize(("amount", "unusual"), [
    ("1000.00", False),   # exactly 3 × the planned month (4000 × 3 ÷ 12): no rounding in between
    ("1000.01", True),
    ("0", False),
])
def test_against_the_flat_plan(project, amount, unusual):
    found = unusual_amount(project, year=2024, month=3, amount=D(amount))
    assert (found is not None) == unusual
    if unusual:
        assert found == {"planned_month": D("333.33"), "usual_month": None}


def test_against_the_quarterly_plan(project):
    AnnualPlan.objects.filter(project=project, year=2024).update(
        q1_planned=D("3000"), q2_planned=D("1000"), q3_planned=0, q4_planned=0)
    # Q1 plans 3000: a planned month of 1000, so 2500 in March is ordinary …
    assert unusual_amount(project, year=2024, month=3, amount=D("2500")) is None
    # … and far above in Q2 (1000 ÷ 3 = 333.33 a month); Q3 has no plan: the year's twelfth.
    assert unusual_amount(project, year=2024, month=4, amount=D("1001"))["planned_month"] == (
        D("333.33"))
    assert unusual_amount(project, year=2024, month=7, amount=D("999")) is None


def test_against_the_history(project, staff_user):
    AnnualPlan.objects.filter(project=project).delete()  # no plan: the history alone
    for month, amount in ((1, "100"), (2, "200")):
        save(project, staff_user, month=month, submit=True, completed_investment=D(amount))
    assert unusual_amount(project, year=2024, month=4, amount=D("5000")) is None  # 2 months
    save(project, staff_user, month=3, submit=True, completed_investment=D("300"))
    save(project, staff_user, month=4, completed_investment=D("9000"), reason="草稿不计")
    # Counted months 100, 200, 300 (the draft does not count): usual 200, so 3 × is 600.
    assert unusual_amount(project, year=2024, month=5, amount=D("600")) is None
    assert unusual_amount(project, year=2024, month=5, amount=D("600.01")) == {
        "planned_month": None, "usual_month": D("200.00")}


# --- the service ----------------------------------------------------------------------------

def test_service_refuses_without_a_reason_and_keeps_it_with_one(project, staff_user):
    with pytest.raises(ValidationError) as caught:
        save(project, staff_user, completed_investment=D("2000"))
    assert "unusual_amount_reason" in caught.value.message_dict
    assert not ProgressReport.objects.exists()
    report = save(project, staff_user, completed_investment=D("2000"), reason="  设备一次性到货 ")
    assert report.unusual_amount_reason == "设备一次性到货"
    assert report.history.first().unusual_amount_reason == "设备一次性到货"
    # Back to an ordinary amount: the reason no longer applies.
    report = save(project, staff_user, version=report.version, completed_investment=D("300"))
    assert report.unusual_amount_reason == ""
    assert [h.unusual_amount_reason for h in report.history.all()] == ["", "设备一次性到货"]


# --- the form: warn first, save with a reason ------------------------------------------------

def test_first_post_warns_second_post_with_a_reason_saves(staff_client, project):  # noqa: F811
    data = form_data(completed_investment="2000.00", image_progress="设备进场安装")
    response = staff_client.post(url(project), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="unusual-amount"' in html
    assert "本月完成投资 2,000.00 万元，远高于该项目的月度计划 333.33 万元" in html
    assert "设备进场安装" in html and 'value="2000.00"' in html  # nothing typed is lost
    assert not ProgressReport.objects.exists()

    reason = {"unusual_amount_reason": "主设备一次性付款"}
    response = staff_client.post(url(project), {**data, **reason})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.completed_investment == D("2000.00")
    assert report.unusual_amount_reason == "主设备一次性付款"

    # The form shows the kept reason, and so does the saved report once submitted.
    response = staff_client.get(url(project))
    assert "主设备一次性付款" in response.content.decode()
    # Submitting is a new intention: the form, loaded again, carries a new one-time token.
    response = staff_client.post(url(project), {**data, "version": report.version,
                                                "unusual_amount_reason": "主设备一次性付款",
                                                "action": "submit", "form_token": new_token()})
    assert response.status_code == 302
    html = staff_client.get(url(project)).content.decode()
    assert 'id="unusual-amount-reason"' in html and "主设备一次性付款" in html


def test_ordinary_amount_shows_no_question(staff_client, project):  # noqa: F811
    html = staff_client.get(url(project)).content.decode()
    assert 'id="unusual-amount"' not in html
    response = staff_client.post(url(project), form_data(completed_investment="999.99"))
    assert response.status_code == 302
