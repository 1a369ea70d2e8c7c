"""Month arithmetic of the report's rhythm (parkportal/periods.py): every boundary of the
year, and the due day clamped to the month's length."""

from datetime import date

import pytest

from parkportal.periods import Period, months_from, next_month, previous_month, report_due_on


@pytest.mark.parametrize(("month", "expected"), [
    ((2024, 1), (2024, 2)), ((2024, 11), (2024, 12)), ((2024, 12), (2025, 1))])
def test_next_month(month, expected):
    assert next_month(*month) == expected


@pytest.mark.parametrize(("month", "expected"), [
    ((2024, 2), (2024, 1)), ((2024, 12), (2024, 11)), ((2024, 1), (2023, 12))])
def test_previous_month(month, expected):
    assert previous_month(*month) == expected


def test_months_from_crosses_the_year_and_includes_both_ends():
    assert months_from((2023, 11), (2024, 2)) == [(2023, 11), (2023, 12), (2024, 1), (2024, 2)]
    assert months_from((2024, 3), (2024, 3)) == [(2024, 3)]
    assert months_from((2024, 4), (2024, 3)) == []


@pytest.mark.parametrize(("month", "due_day", "expected"), [
    ((2024, 3), 10, date(2024, 4, 10)),
    ((2024, 12), 5, date(2025, 1, 5)),     # December's report is due in January
    ((2024, 1), 31, date(2024, 2, 29)),    # clamped to a leap February
    ((2023, 1), 30, date(2023, 2, 28)),    # and to a common one
    ((2024, 3), 31, date(2024, 4, 30)),
    ((2024, 4), 31, date(2024, 5, 31)),
    ((2024, 6), 1, date(2024, 7, 1)),
])
def test_report_due_on(month, due_day, expected):
    assert report_due_on(*month, due_day) == expected


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_a_period_needs_a_real_quarter(quarter):
    with pytest.raises(ValueError, match=r"^quarter must be 1, 2, 3 or 4$"):
        Period(2024, quarter)


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_every_real_quarter_makes_a_period(quarter):
    assert Period(2024, quarter).last_month == 3 * quarter
