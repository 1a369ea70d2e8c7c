"""The dashboard reads right (issue 12): a year without plans says so and links the latest
year with plans; one unit for every amount on the cards; English plurals; the not-yet-due
light shown apart."""

from decimal import Decimal as D

import pytest
from django.conf import settings

from dashboard import figure_registry, presentation
from dashboard.selectors import latest_planned_period, rollup_as_json
from parkportal.templatetags.money import money_in
from projects.models import AnnualPlan, Project, ProjectStage

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


def test_a_year_without_plans_says_so_and_offers_the_latest(client, leader, small_park):
    client.force_login(leader)
    html = client.get(URL, {"park": "testpark", "year": 2025, "quarter": 2}).content.decode()
    assert 'id="no-plans-note"' in html and "2025 年没有年度计划" in html
    # The latest year with plans, at its latest quarter with counted reports (July: Q3).
    assert 'href="?park=testpark&amp;year=2024&amp;quarter=3"' in html
    assert "2024年第3季度" in html
    assert 'id="no-lights"' in html and "没有滞后项目" not in html
    html = client.get(URL, {"park": "testpark", "year": 2024, "quarter": 2}).content.decode()
    assert 'id="no-plans-note"' not in html and 'id="no-lights"' not in html


def test_latest_planned_period(park, small_park):
    assert latest_planned_period(park) == (2024, 3)
    assert latest_planned_period(park, before_year=2024) == (2023, 2)  # D's May report
    assert latest_planned_period(park, before_year=2023) is None


def test_one_unit_for_every_card_amount(park, small_park):
    figures = rollup_as_json(park=park, year=2024, quarter=2)
    # Total investment 29,000 万元 ≥ 1亿: every amount on the cards in 亿元.
    assert presentation.card_unit(figures) == "yi"
    cards = {card["key"]: card for card in presentation.cards(figures, {})}
    # Every amount in 亿元, small ones too (no row mixes 万元 and 亿元).
    assert cards["total_investment"]["value"] == "2.90 亿元"
    assert cards["completed_ytd"]["value"] == "0.30 亿元"
    assert cards["fixed_asset_investment"]["value"] == "0.26 亿元"
    assert cards["fixed_asset_investment"]["exact"] == "2,600.00 万元"
    text = " ".join([card["value"] for card in cards.values()]
                    + [line for card in cards.values() for line in card["lines"]])
    assert "万元" not in text and text.count("亿元") >= 8
    # Below 1亿 everywhere: every amount in 万元.
    small = {**figures, **{path: "9000.00" for path in figure_registry.money_keys()
                           if "." not in path},
             "major_preliminary": {"count": 1, "total_investment": "8000.00"}, "targets": None}
    assert presentation.card_unit(small) == "wan"
    text = " ".join(card["value"] for card in presentation.cards(small, {}))
    assert "亿元" not in text and "9,000.00 万元" in text


def test_money_in():
    assert money_in(D("9050"), "yi") == "0.91 亿元"
    assert money_in(D("123456.7"), "wan") == "123,456.70 万元"
    assert money_in(None, "yi") == "—"


def test_english_plurals(client, leader, park, small_park):
    AnnualPlan.objects.filter(project__code__in=["B", "C", "E"]).delete()
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URL, {"park": "testpark", "year": 2024, "quarter": 2}).content.decode()
    assert "1 project<" in html and "1 projects" not in html   # A alone is planned
    introduced = rollup_as_json(park=park, year=2024, quarter=2)["enterprises_introduced"]
    assert introduced == 3 and "3 enterprises<" in html


def test_not_yet_due_badge(client, leader, park, small_park, industries):
    later = Project.objects.create(park=park, code="F", name="项目己", total_investment=D("100"),
                                   industry=industries["other"], stage=ProjectStage.PRELIMINARY,
                                   planned_start="2024-09-01")
    AnnualPlan.objects.create(project=later, year=2024, planned_investment=D("100"))
    client.force_login(leader)
    html = client.get(URL, {"park": "testpark", "year": 2024, "quarter": 2}).content.decode()
    assert 'data-light="not_due"' in html and "未到开工期 1" in html
