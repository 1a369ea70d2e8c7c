"""The figure registry covers the whole figures object, and every reader takes kinds from it
(no kind guessed from a key's name or a value's text)."""

from datetime import date
from decimal import Decimal as D

import pytest

from dashboard import figure_registry as registry
from dashboard import presentation
from dashboard.selectors import _leaves, park_rollup, rollup_as_json
from parks.models import ParkAnnualTarget

pytestmark = pytest.mark.django_db
IDENTITY = set(registry.IDENTITY_KEYS)


def test_every_leaf_of_the_figures_is_declared(small_park, park):
    ParkAnnualTarget.objects.create(park=park, year=2024, projects_planned=4,
                                    total_investment=D("30000"), source="年度目标")
    figures = park_rollup(park=park, year=2024, quarter=2)
    assert figures["targets"]["source"] == "年度目标"
    paths = [path for path, _value in _leaves(
        {k: v for k, v in figures.items() if k not in IDENTITY})]
    assert [path for path in paths if registry.declared_at(path) is None] == []
    # ...and every declared figure is in the object (nothing declared that is not computed).
    assert [f.key for f in registry.FIGURES if f.key not in paths] == []


def test_values_have_their_declared_kind(small_park, park):
    figures = park_rollup(park=park, year=2024, quarter=2)
    for declared in registry.FIGURES:
        value = registry.get_path(figures, declared.key)
        if value is None:
            continue
        if declared.kind == registry.MONEY:
            assert isinstance(value, D) and value == value.quantize(D("0.01")), declared.key
        elif declared.kind == registry.RATE:
            assert isinstance(value, D) and value == value.quantize(D("0.0001")), declared.key
        elif declared.kind == registry.COUNT:
            assert isinstance(value, int) and not isinstance(value, bool), declared.key
        elif declared.kind == registry.DATE:
            assert isinstance(value, date), declared.key


def test_json_round_trip_by_kind(small_park, park):
    """A closed quarter's published JSON comes back typed exactly (the region dashboard sums
    published figures)."""
    figures = park_rollup(park=park, year=2024, quarter=2)
    assert registry.from_jsonable(rollup_as_json(park=park, year=2024, quarter=2)) == figures


def test_rates_are_recomputed_and_period_values_kept():
    for declared in registry.FIGURES + tuple(c for t in registry.TABLES for c in t.columns):
        if declared.kind == registry.RATE:
            assert declared.combine in (registry.RATE_OF, registry.SAME), declared.key
        if declared.kind == registry.MONEY:
            assert declared.combine == registry.SUM, declared.key


def test_display_follows_the_registry_not_the_text():
    fmt = presentation._fmt
    assert fmt("completed_ytd", "1234.50") == "1,234.50 万元"
    assert fmt("completion_rate", "0.1443") == "14.4%"
    assert fmt("quarters.0.completion_rate", "0.5000") == "50.0%"
    # A string with a dot is not an amount unless the registry says so.
    assert fmt("visit_coverage.window_start", "2024.06.24") == "2024.06.24"
    assert fmt("undeclared", "3.50") == "3.50"
    assert fmt("talents.phd", 3) == "3"
    rows = presentation.change_rows({
        "completion_rate": {"published": "0.1000", "current": "0.1250",
                            "delta": D("0.0250")},
        "completed_ytd": {"published": "10.00", "current": "12.50", "delta": D("2.50")}})
    by_path = {row["path"]: row for row in rows}
    assert by_path["completion_rate"]["delta"].startswith("+2.5")
    assert by_path["completed_ytd"]["delta"] == "+2.50 万元"
    assert str(by_path["completed_ytd"]["label"]) == str(registry.label("completed_ytd"))


def test_no_module_guesses_a_kind_from_text():
    """The readers hold no suffix lists or "a dot means money" rules any more."""
    import inspect

    from dashboard import exports, selectors

    for module in (presentation, exports, selectors):
        source = inspect.getsource(module)
        assert "RATE_SUFFIXES" not in source and "MONEY_PATHS" not in source, module
        assert 'endswith(("rate"' not in source and '"." in value' not in source, module
