"""Talent, partner and centre pages: the shared view tests plus personal-data masking."""

from datetime import date

import pytest
from django.urls import reverse

from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction
from tests.object_views import ObjectViewTests


class TestTalentPages(ObjectViewTests):
    url_prefix = "talent:"
    model = TalentIntroduction
    # Session, user, COUNT, the two filter choices, the page.
    query_budget = {"list": 6, "detail": 4}
    changed_fields = ("field", "degree")
    filter_cases = {"q": ("中药", [0]), "year": ("2023", [1]), "degree": ("master", [1]),
                    "mode": ("flexible", [1]), "innovation_center": (None, [0]),
                    "partner": (None, [0])}

    @pytest.fixture
    def objects(self, talent_world):
        # The centre and partner filters take ids known only once the data exists.
        self.filter_cases = {**type(self).filter_cases,
                             "innovation_center": (talent_world["center"].pk, [0]),
                             "partner": (talent_world["partner"].pk, [0])}
        return [talent_world["mine"], talent_world["theirs"]]

    def form_data(self, objects):
        return {"person_name": "吴博士", "degree": "phd", "field": "清洁能源", "mode": "full_time",
                "introduced_on": "2024-03-01"}

    def invalid_form_data(self, objects):
        return {"person_name": "", "degree": "phd", "introduced_on": "2024-13-01"}


class TestPartnerPages(ObjectViewTests):
    url_prefix = "talent:partner_"
    model = PartnerOrganization
    query_budget = {"list": 4, "detail": 6}
    changed_fields = ("name", "location")
    filter_cases = {"q": ("上海", [1])}

    def make_objects(self, *, park, industries, staff_user):
        return [PartnerOrganization.objects.create(park=park, name="中关村协同发展投资有限公司",
                                                   location="北京"),
                PartnerOrganization.objects.create(park=park, name="上海诗丹德标准技术服务有限公司",
                                                   location="上海")]

    def form_data(self, objects):
        return {"name": "西安交大技术转移中心", "location": "西安", "field": "", "notes": ""}

    def edit_form_data(self, objects):
        return {"name": "中关村协同发展投资公司", "location": "北京海淀"}

    def invalid_form_data(self, objects):
        # The name another partner of the park already has: the service refuses it.
        return {"name": objects[1].name}


class TestCenterPages(ObjectViewTests):
    url_prefix = "talent:center_"
    model = InnovationCenter
    query_budget = {"list": 4, "detail": 5}
    changed_fields = ("name", "city")
    filter_cases = {"q": ("上海", [1]), "kind": ("local", [0])}

    def make_objects(self, *, park, industries, staff_user):
        return [InnovationCenter.objects.create(park=park, name="镇巴创新中心", kind="local",
                                                city="镇巴"),
                InnovationCenter.objects.create(park=park, name="上海飞地创新中心",
                                                kind="enclave", city="上海")]

    def form_data(self, objects):
        return {"name": "西安飞地创新中心", "kind": "enclave", "city": "西安"}

    def edit_form_data(self, objects):
        return {"name": "镇巴县创新中心", "kind": "local", "city": "镇巴县"}

    def invalid_form_data(self, objects):
        return {"name": "", "kind": "elsewhere", "city": ""}


# --- personal data (SPEC §5): talent names ------------------------------------------------


def test_admin_sees_every_name_in_page_and_export(client, admin_user, talent_world):
    client.force_login(admin_user)
    page = client.get(reverse("talent:list")).content.decode()
    assert "孙博士" in page and "周硕士" in page
    export = client.get(reverse("talent:list"), {"_export": "csv"}).content.decode("utf-8-sig")
    assert "孙博士" in export and "周硕士" in export


@pytest.mark.parametrize("persona", ["leader", "other_staff"])
def test_names_hidden_from_leader_and_unassigned_staff(client, request, persona, talent_world):
    client.force_login(request.getfixturevalue(persona))
    pages = [client.get(reverse("talent:list")),
             client.get(reverse("talent:list"), {"_export": "csv"}),
             client.get(reverse("talent:list"), {"_export": "xlsx"}),
             client.get(reverse("talent:detail", args=[talent_world["mine"].pk])),
             client.get(reverse("talent:partner_detail", args=[talent_world["partner"].pk])),
             client.get(reverse("talent:center_detail", args=[talent_world["center"].pk]))]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode("utf-8-sig", errors="replace")
        assert "孙博士" not in body and "周硕士" not in body
    assert "***" in pages[0].content.decode()


def test_assigned_staff_sees_only_their_enterprises_talent(client, staff_user, talent_world):
    client.force_login(staff_user)
    page = client.get(reverse("talent:list")).content.decode()
    assert "孙博士" in page and "周硕士" not in page


def test_name_hidden_in_history_for_leader(client, admin_user, leader, talent_world):
    client.force_login(admin_user)
    mine = talent_world["mine"]
    response = client.post(reverse("talent:edit", args=[mine.pk]), {
        "person_name": "孙某某", "degree": "phd", "field": "中药材", "mode": "full_time",
        "introduced_on": "2024-02-01"})
    assert response.status_code == 302
    assert "孙某某" in client.get(reverse("talent:detail", args=[mine.pk])).content.decode()
    client.force_login(leader)
    body = client.get(reverse("talent:detail", args=[mine.pk])).content.decode()
    assert "孙某某" not in body and "孙博士" not in body


def test_names_are_not_searchable_by_those_who_may_not_see_them(client, leader, talent_world):
    client.force_login(leader)
    response = client.get(reverse("talent:list"), {"q": "孙博士"})
    assert response.context["table"].paginator.count == 0


def test_anonymous_goes_to_login(client, talent_world):
    for name in ("talent:list", "talent:partner_list", "talent:center_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_delete_partner_keeps_talents(client, admin_user, talent_world):
    client.force_login(admin_user)
    partner = talent_world["partner"]
    client.post(reverse("talent:partner_delete", args=[partner.pk]))
    mine = TalentIntroduction.objects.get(pk=talent_world["mine"].pk)
    assert mine.partner is None and mine.introduced_on == date(2024, 2, 1)
    assert PartnerOrganization.history.filter(id=partner.pk, history_type="-").exists()
