from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from leads import services
from projects.models import InvestmentLead


def make_lead(park, responsible, *, investor="深圳某生物科技", industry=None,
              registered_on=date(2024, 3, 4), **values):
    """A lead as registration makes it (stage history and response clock included)."""
    lead = services.save_lead(instance=None, user=responsible, data={
        "investor": investor, "industry": industry, "registered_on": registered_on,
        "intended_investment": values.pop("intended_investment", Decimal("8000")),
        "source": values.pop("source", "招商推介会"), **values})
    return InvestmentLead.objects.get(pk=lead.pk)


@pytest.fixture
def leads_world(park, industries, staff_user, other_staff):
    """Two leads of staff_user: one biomedicine from a fair, in negotiation and followed up
    today (nothing due), one green food by referral, past its next follow-up; and one of
    other_staff, never answered (overdue too)."""
    mine = make_lead(park, staff_user, investor="深圳某生物科技",
                     industry=industries["biomedicine"])
    services.change_stage(lead=mine, user=staff_user, to_stage="negotiating",
                          on=date(2024, 3, 5), reason="投资方来园考察")
    services.log_follow_up(lead=mine, user=staff_user, happened_on=timezone.localdate(),
                           note="电话沟通投资意向", next_step="送项目书",
                           next_action_on=date(2099, 1, 1))
    mine = InvestmentLead.objects.get(pk=mine.pk)
    overdue = make_lead(park, staff_user, investor="西安某食品集团",
                        industry=industries["green-food"], source="以商招商",
                        next_action="回访", next_action_on=date(2024, 3, 5))
    theirs = make_lead(park, other_staff, investor="成都某新能源",
                       industry=industries["clean-energy"])
    return {"mine": mine, "overdue": overdue, "theirs": theirs}


@pytest.fixture
def media(settings, tmp_path):
    """A real MEDIA_ROOT of the test's own (proof files are written and read for real)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
