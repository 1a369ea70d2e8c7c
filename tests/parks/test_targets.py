"""The park's annual targets: the shared view tests."""

from decimal import Decimal

from parks.models import ParkAnnualTarget
from tests.object_views import ObjectViewTests


class TestParkTargetPages(ObjectViewTests):
    url_prefix = "parks:target_"
    model = ParkAnnualTarget
    changed_fields = ("annual_investment",)
    query_budget = {"list": 4, "detail": 4}
    filter_cases = {"q": ("报道", [0]), "year": ("2025", [1])}

    def make_objects(self, *, park, industries, staff_user):
        return [ParkAnnualTarget.objects.create(park=park, year=2024, projects_planned=13,
                                                annual_investment=Decimal("30000"),
                                                source="2024-04-03 报道"),
                ParkAnnualTarget.objects.create(park=park, year=2025, projects_planned=15,
                                                annual_investment=Decimal("36000"))]

    def form_data(self, objects):
        return {"year": "2026", "projects_planned": "16", "total_investment": "200000",
                "annual_investment": "40000", "industrial_investment": "30000",
                "major_preliminary_projects": "3", "major_preliminary_investment": "50000"}

    def edit_form_data(self, objects):
        return {**self.form_data(objects), "year": "2024", "annual_investment": "32000"}

    def invalid_form_data(self, objects):
        # The industrial part above the year's plan.
        return {**self.form_data(objects), "industrial_investment": "50000"}
