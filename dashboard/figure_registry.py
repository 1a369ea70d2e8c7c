"""Every figure of the roll-up, declared once: key, label, kind and how a region combines it.

The dashboard page (`presentation`), the workbook (`exports`), the JSON (`selectors.
to_jsonable` / `from_jsonable`), the region roll-up (`regions.combine`) and the changes since
a quarter was closed (`selectors.figure_differences`) read this list; none of them guesses a
figure's kind from its name or its text.

A figure's `key` is its dotted path in the figures object (`"talents.phd"`). Tables — lists
of rows such as `monthly` — are declared with the key that identifies a row and their
columns; a column's path in a change is `"monthly.2.cumulative"` (table, row index, column).

How a region combines its parks' values (`combine`):
- SUM: Σ over the parks (amounts, counts);
- RATE_OF: recomputed from the summed figures, `of` = (numerator, denominator) — a column's
  numerator or denominator is read from its own row first, then from the top level;
- SAME: the period's own value, equal in every park (time progress, the as-of day); a
  region keeps it when every park agrees, else null.
How each figure is computed is in `computed` (the selector and the rule, SPEC §3).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MONEY, RATE, COUNT = "money", "rate", "count"
FIGURE_KINDS = (MONEY, RATE, COUNT)
# Leaves that are not figures but travel with them.
DATE, TEXT, NUMBER = "date", "text", "number"
SUM, RATE_OF, SAME = "sum", "rate_of", "same"


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise | str
    kind: str
    computed: str = ""
    combine: str = SUM
    of: tuple[str, str] | None = None
    compared: bool = True  # listed among the changes since a quarter was closed

    def __post_init__(self):
        assert self.kind in (*FIGURE_KINDS, DATE, TEXT, NUMBER), self.kind
        assert (self.combine == RATE_OF) == (self.of is not None), self.key
        assert self.combine != RATE_OF or self.kind == RATE, self.key


@dataclass(frozen=True)
class Table:
    """A list of rows, one per `row_key` value (month, industry, stage, quarter)."""

    key: str
    label: Promise | str
    row_key: str
    columns: tuple[Figure, ...]

    def column(self, key: str) -> Figure | None:
        return next((column for column in self.columns if column.key == key), None)


def money(key, label, computed="", **kw):
    return Figure(key, label, MONEY, computed, **kw)


def count(key, label, computed="", **kw):
    return Figure(key, label, COUNT, computed, **kw)


def rate(key, label, of, computed=""):
    return Figure(key, label, RATE, computed, combine=RATE_OF, of=of)


FIGURES: tuple[Figure, ...] = (
    # The period (not figures, but every object carries them).
    Figure("year", _("Year"), NUMBER, combine=SAME, compared=False),
    Figure("quarter", _("Quarter"), NUMBER, combine=SAME, compared=False),
    Figure("period_end", _("Period end"), DATE, combine=SAME, compared=False),
    Figure("as_of", _("As of"), DATE, "min(today, period end)", combine=SAME, compared=False),
    # Projects and plans.
    count("projects_planned", _("Projects planned"), "projects with a confirmed plan for Y"),
    money("total_investment", _("Total investment"), "Σ total investment of those projects"),
    money("annual_planned", _("Annual planned investment"), "Σ confirmed plans for Y"),
    money("industrial_planned", _("Industrial investment planned"),
          "Σ industrial investment of the plans for Y"),
    money("completed_ytd", _("Completed year to date"),
          "Σ counted reports' completed investment, months 1 .. 3Q"),
    money("completed_in_quarter", _("Completed in the quarter"),
          "Σ counted reports' completed investment, months 3Q-2 .. 3Q"),
    money("industrial_completed_ytd", _("Industrial investment completed"),
          "completed_ytd of industrial projects"),
    rate("completion_rate", _("Completion rate"), ("completed_ytd", "annual_planned"),
         "completed_ytd ÷ annual_planned"),
    Figure("time_progress", _("Time progress"), RATE, "3Q ÷ 12", combine=SAME),
    count("major_preliminary.count", _("Major projects in preliminary stage"),
          "major projects still in the preliminary stage"),
    money("major_preliminary.total_investment", _("Their total investment"),
          "Σ total investment of those projects"),
    count("major_projects", _("Major projects"), "planned projects marked major"),
    count("preliminary_done", _("Preliminary work done"),
          "preliminary work completed in Y by the period end"),
    count("new_starts", _("New starts"), "actual start in quarter Q"),
    count("continuing", _("Continuing"), "started before Y, not completed by the period end"),
    money("fixed_asset_investment", _("Fixed-asset investment formed"),
          "Σ counted reports' fixed-asset investment, months 1 .. 3Q"),
    # Enterprises and talent.
    count("enterprises_introduced", _("Enterprises introduced"), "introduced_year = Y"),
    count("enterprises_served", _("Enterprises served"),
          "resident and managed enterprises at the period end"),
    count("talents.total", _("Talents introduced"), "talent introductions in Y to period end"),
    count("talents.phd", _("of whom PhDs")),
    count("partners", _("Partner organisations"), "partners joined by the period end"),
    count("innovation_centers", _("Innovation centers"), "established by the period end"),
    count("visit_coverage.served", _("Served enterprises on the as-of day")),
    count("visit_coverage.visited", _("of which visited in the 7 days up to it")),
    rate("visit_coverage.rate", _("Visit coverage"),
         ("visit_coverage.visited", "visit_coverage.served"), "visited ÷ served"),
    Figure("visit_coverage.window_start", _("Visit window start"), DATE, combine=SAME,
           compared=False),
    Figure("visit_coverage.window_end", _("Visit window end"), DATE, combine=SAME,
           compared=False),
    count("open_demands.total", _("Open demands"), "raised by as_of, not resolved by then"),
    count("open_demands.overdue", _("Overdue demands"), "open and due before as_of"),
    # Traffic lights (planned projects per light; thresholds are the park's own).
    count("traffic_lights.red", _("Red")),
    count("traffic_lights.yellow", _("Yellow")),
    count("traffic_lights.green", _("Green")),
    count("traffic_lights.not_due", _("Not yet due")),
    count("traffic_lights.none", _("Not rated")),
    Figure("traffic_lights.thresholds.yellow_points", _("Yellow threshold"), NUMBER,
           combine=SAME),
    Figure("traffic_lights.thresholds.red_points", _("Red threshold"), NUMBER, combine=SAME),
    Figure("traffic_lights.thresholds.not_started_months", _("Not started after (months)"),
           NUMBER, combine=SAME),
    # Investment promotion (leads.selectors.investment_figures).
    count("investment.leads_active", _("Investment leads in the pipeline")),
    count("investment.negotiating", _("Leads that reached negotiation")),
    count("investment.signed", _("Leads signed")),
    money("investment.signed_amount", _("Signed amount")),
    money("investment.funds_in_place", _("Funds in place")),
    count("investment.landed", _("Leads landed")),
    rate("investment.landing_rate", _("Landing rate"),
         ("investment.landed", "investment.signed"), "landed ÷ signed"),
    # The park's own targets for Y (null without); a region sums its parks' targets.
    count("targets.projects_planned", _("Target: projects"), compared=False),
    money("targets.total_investment", _("Target: total investment"), compared=False),
    money("targets.annual_investment", _("Target: annual investment"), compared=False),
    money("targets.industrial_investment", _("Target: industrial investment"),
          compared=False),
    count("targets.major_preliminary_projects", _("Target: major projects in preliminary"),
          compared=False),
    money("targets.major_preliminary_investment",
          _("Target: their total investment"), compared=False),
    count("targets.enterprises_to_introduce", _("Target: enterprises"), compared=False),
    count("targets.talents_to_introduce", _("Target: talents"), compared=False),
    Figure("targets.source", _("Target source"), TEXT, combine=SAME, compared=False),
)

TABLES: tuple[Table, ...] = (
    Table("monthly", _("Month by month"), "month", (
        Figure("month", _("Month"), NUMBER, combine=SAME),
        money("completed", _("Completed in the month")),
        money("fixed_asset", _("Fixed-asset investment formed")),
        money("cumulative", _("Cumulative completed")),
        money("planned_cumulative", _("Plan line"), "annual planned × m ÷ 12"),
    )),
    Table("by_industry", _("By industry"), "industry", (
        Figure("industry", _("Industry"), TEXT, combine=SAME),
        Figure("name", _("Name"), TEXT, combine=SAME),
        count("projects", _("Projects")),
        money("planned", _("Annual planned")),
        money("completed", _("Completed")),
        rate("completion_rate", _("Completion rate"), ("completed", "planned")),
    )),
    Table("by_stage", _("By stage"), "stage", (
        Figure("stage", _("Stage"), TEXT, combine=SAME),
        count("projects", _("Projects")),
    )),
    Table("quarters", _("Quarter by quarter"), "quarter", (
        Figure("quarter", _("Quarter"), NUMBER, combine=SAME),
        money("completed", _("Completed in the quarter")),
        money("cumulative", _("Cumulative completed")),
        rate("completion_rate", _("Completion rate"), ("cumulative", "annual_planned")),
        Figure("time_progress", _("Time progress"), RATE, combine=SAME),
        money("fixed_asset_investment", _("Fixed-asset investment formed")),
        count("new_starts", _("New starts")),
    )),
)

BY_KEY: dict[str, Figure] = {figure.key: figure for figure in FIGURES}
TABLES_BY_KEY: dict[str, Table] = {table.key: table for table in TABLES}
# Keys of the figures object that are neither figures nor tables: who the object is about.
IDENTITY_KEYS = ("park", "park_name", "region", "region_name", "level", "parks", "published")
# Nested objects that may be null as a whole (a park without targets for the year; a quarter
# closed before issue 13 has no investment figures).
OPTIONAL_GROUPS = ("targets", "investment")


def figure(key: str) -> Figure:
    return BY_KEY[key]


def label(path: str):
    """The label of a figure (or a table column, "monthly.2.cumulative"), None if unknown."""
    declared = declared_at(path)
    return declared.label if declared is not None else None


def declared_at(path: str) -> Figure | None:
    """The declaration of a figure path ("talents.phd") or table cell path
    ("quarters.0.completion_rate"); None when nothing is declared there."""
    if path in BY_KEY:
        return BY_KEY[path]
    head, _sep, rest = path.partition(".")
    table = TABLES_BY_KEY.get(head)
    if table is not None and rest:
        return table.column(rest.rsplit(".", 1)[-1])
    return None


def kind_of(path: str) -> str | None:
    declared = declared_at(path)
    return declared.kind if declared is not None else None


def money_keys() -> tuple[str, ...]:
    return tuple(f.key for f in FIGURES if f.kind == MONEY)


# --- reading and writing the object ---------------------------------------------------------


def get_path(obj: dict, key: str):
    value = obj
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def set_path(obj: dict, key: str, value) -> None:
    *parents, leaf = key.split(".")
    for part in parents:
        obj = obj.setdefault(part, {})
    obj[leaf] = value


def typed(kind: str, value):
    """A JSON value (decimal string, ISO date) back to its type, by its declared kind."""
    if value is None:
        return None
    if kind in (MONEY, RATE):
        return Decimal(value)
    if kind == COUNT:
        return int(value)
    if kind == DATE:
        return value if isinstance(value, date) else date.fromisoformat(value)
    return value


def from_jsonable(figures: dict) -> dict:
    """The typed figures object of its JSON form (a closed quarter's published figures):
    every declared figure and table cell by its kind; undeclared keys are kept as they are."""
    result = copy.deepcopy(figures)
    for declared in FIGURES:
        group = declared.key.split(".")[0]
        if group in OPTIONAL_GROUPS and not figures.get(group):
            continue
        value = get_path(figures, declared.key)
        if "." in declared.key:
            parent = declared.key.rsplit(".", 1)[0]
            if get_path(figures, parent) is None:
                continue
        elif declared.key not in figures:
            continue
        set_path(result, declared.key, typed(declared.kind, value))
    for table in TABLES:
        if table.key not in figures:
            continue
        result[table.key] = [
            {key: (typed(table.column(key).kind, value) if table.column(key) else value)
             for key, value in row.items()}
            for row in figures[table.key]]
    return result
