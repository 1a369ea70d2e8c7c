"""Lead services and selectors: response clocks, what is due, the investment figures, the
rules of stage moves, reassignment, funds and proof files."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from attachments.models import Attachment
from leads import services
from leads.clocks import DEFAULTS, add_working_days, clock_due
from leads.models import ResponseClocks
from leads.selectors import investment_figures, leads_due_for, overdue_leads_for
from parkportal.periods import Period
from projects.models import InvestmentLead, LeadActivity
from tests.attachments import files

from .conftest import make_lead

pytestmark = pytest.mark.django_db
CLOCKS = ResponseClocks(**DEFAULTS)


def test_working_days_skip_the_weekend():
    friday = date(2024, 3, 8)
    assert add_working_days(friday, 1) == date(2024, 3, 11)
    assert add_working_days(friday, 3) == date(2024, 3, 13)
    assert add_working_days(date(2024, 3, 9), 1) == date(2024, 3, 11)  # from a Saturday


@pytest.mark.parametrize(("stage", "negotiating_on", "last", "expected"), [
    ("lead", None, None, (date(2024, 3, 11), "answer")),        # Friday + 1 working day
    ("lead", None, date(2024, 3, 8), (date(2024, 3, 13), "assess")),
    ("negotiating", date(2024, 3, 12), date(2024, 3, 8), (date(2024, 3, 19), "feedback")),
    ("negotiating", date(2024, 3, 12), date(2024, 3, 14), (date(2024, 3, 28), "report")),
    ("signed", date(2024, 3, 12), date(2024, 3, 20), (date(2024, 4, 3), "report")),
    ("landed", date(2024, 3, 12), None, (None, "")),
    ("dropped", None, None, (None, "")),
])
def test_clock_rules(stage, negotiating_on, last, expected):
    assert clock_due(stage=stage, registered_on=date(2024, 3, 8), negotiating_on=negotiating_on,
                     last_follow_up_on=last, clocks=CLOCKS) == expected


def test_leads_due_and_overdue_for_their_officer(leads_world, staff_user, other_staff, leader):
    today = timezone.localdate()
    due = list(leads_due_for(staff_user, today))
    assert due == [leads_world["overdue"]]
    assert due[0].lead_due_on == date(2024, 3, 5)
    assert list(overdue_leads_for(staff_user, today)) == [leads_world["overdue"]]
    assert list(leads_due_for(other_staff, today)) == [leads_world["theirs"]]
    assert not leads_due_for(leader, today).exists()  # responsible for none
    from django.contrib.auth.models import AnonymousUser, User

    parkless = User.objects.create_user("parkless")
    for nobody in (parkless, AnonymousUser()):
        assert list(leads_due_for(nobody, today)) == []
        assert list(overdue_leads_for(nobody, today)) == []
    # Due today counts as due, not yet as overdue.
    mine = leads_world["mine"]
    InvestmentLead.objects.filter(pk=mine.pk).update(next_action_on=today)
    assert leads_world["mine"].pk in {lead.pk for lead in leads_due_for(staff_user, today)}
    assert mine.pk not in {lead.pk for lead in overdue_leads_for(staff_user, today)}


def test_due_counts_for_every_officer_at_once(leads_world, staff_user, other_staff):
    from leads.selectors import leads_due_counts

    today = timezone.localdate()
    assert leads_due_counts(today) == {staff_user.pk: 1, other_staff.pk: 1}
    assert leads_due_counts(date(2024, 3, 4)) == {}


def test_investment_figures_year_to_the_quarter_end(park, staff_user):
    def lead(name, registered, **moves):
        item = make_lead(park, staff_user, investor=name, registered_on=registered)
        for stage, on in moves.items():
            if stage == "landed":
                services.land_lead(lead=item, user=staff_user, landed_on=on,
                                   credit_code=f"91610728MA6YQ3W{name}")
            else:
                services.change_stage(lead=item, user=staff_user, to_stage=stage, on=on,
                                      signed_amount=Decimal("1000"), reason="放弃原因")
            item.refresh_from_db()
        return item

    lead("27J", date(2023, 5, 1), signed=date(2023, 6, 1), landed=date(2023, 12, 1))  # 2023
    lead("2BY", date(2024, 1, 2))                                       # active, lead only
    lead("x1", date(2024, 1, 3), negotiating=date(2024, 2, 1))         # negotiating
    signed = lead("x2", date(2024, 1, 4), signed=date(2024, 3, 1))     # signed in Q1
    services.record_funds(lead=signed, user=staff_user, received_on=date(2024, 3, 2),
                          amount=Decimal("300"))
    services.record_funds(lead=signed, user=staff_user, received_on=date(2024, 4, 2),
                          amount=Decimal("200"))
    lead("x3", date(2024, 1, 5), dropped=date(2024, 2, 1))             # dropped in Q1
    lead("x4", date(2024, 1, 6), dropped=date(2024, 5, 1))             # dropped after Q1
    lead("x5", date(2024, 4, 6))                                       # registered in Q2
    figures = investment_figures(park, Period(2024, 1))
    assert figures == {"leads_active": 4, "negotiating": 2, "signed": 1,
                       "signed_amount": Decimal("1000.00"), "funds_in_place": Decimal("300.00"),
                       "landed": 0, "landing_rate": Decimal("0.0000")}
    assert investment_figures(park, Period(2023, 4))["landed"] == 1
    assert investment_figures(park, Period(2023, 4))["landing_rate"] == Decimal("1.0000")


def test_a_lead_moves_forward_only(leads_world, staff_user):
    lead = leads_world["mine"]  # negotiating
    with pytest.raises(ValidationError) as error:
        services.change_stage(lead=lead, user=staff_user, to_stage="lead", on=date(2024, 3, 6))
    assert "to_stage" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.change_stage(lead=lead, user=staff_user, to_stage="signed",
                              on=date(2024, 3, 6))  # no signed amount
    with pytest.raises(ValidationError):
        services.change_stage(lead=lead, user=staff_user, to_stage="signed",
                              on=date(2024, 3, 1), signed_amount=Decimal("1"))  # too early
    assert InvestmentLead.objects.get(pk=lead.pk).stage == "negotiating"


def test_reassignment_rules(leads_world, staff_user, other_staff, leader, admin_user):
    lead = leads_world["mine"]
    with pytest.raises(PermissionDenied):
        services.reassign_lead(lead=lead, user=staff_user, to_user=other_staff, reason="x")
    with pytest.raises(ValidationError):  # a leader is not staff
        services.reassign_lead(lead=lead, user=leader, to_user=leader, reason="调整")
    with pytest.raises(ValidationError):  # already responsible
        services.reassign_lead(lead=lead, user=leader, to_user=staff_user, reason="调整")
    record = services.reassign_lead(lead=lead, user=admin_user, to_user=other_staff,
                                    reason="张三休假")
    assert (record.from_user, record.to_user) == (staff_user, other_staff)
    lead.refresh_from_db()
    assert lead.history.first().history_user == admin_user


def test_follow_up_with_a_proof_photo_is_served_after_the_leads_check(
        client, media, leads_world, staff_user, other_staff, leader):
    lead = leads_world["overdue"]
    activity = services.log_follow_up(lead=lead, user=staff_user, happened_on=date(2024, 3, 6),
                                      note="现场考察", proof=files.photo(),
                                      proof_caption="考察合影")
    attachment = Attachment.objects.get()
    assert attachment.record == activity and attachment.caption == "考察合影"
    url = reverse("attachments:file", args=[attachment.pk])
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    client.force_login(leader)
    assert client.get(url).status_code == 200
    client.force_login(other_staff)  # not their lead: the lead page is a 404, so is the file
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert reverse("attachments:thumbnail", args=[attachment.pk]) in page


def test_a_refused_proof_file_writes_nothing(media, leads_world, staff_user):
    lead = leads_world["overdue"]
    with pytest.raises(ValidationError) as error:
        services.log_follow_up(lead=lead, user=staff_user, happened_on=date(2024, 3, 6),
                               note="现场考察", proof=files.exe_as_jpg())
    assert "proof" in error.value.error_dict
    assert not LeadActivity.objects.filter(lead=lead).exists()
    assert not Attachment.objects.exists()
    assert InvestmentLead.objects.get(pk=lead.pk).next_action == "回访"


def test_history_on_leads_and_follow_ups(leads_world, staff_user):
    lead = leads_world["mine"]
    activity = LeadActivity.objects.get(lead=lead)
    assert activity.history.first().history_user == staff_user
    assert lead.history.filter(history_user=staff_user).count() >= 3  # created, moved, followed


def test_dropped_needs_a_reason_in_the_database(park):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        InvestmentLead.objects.create(park=park, investor="某", stage="dropped")



