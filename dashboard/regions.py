"""A region's figures: its parks' figures combined as the figure registry declares.

`region_rollup` computes every park under the region with the park selectors working on the
set of parks (`selectors.figures_of_parks`: 14 queries grouped by park, or by industry for
the tables, whatever the number of parks), then `combine` adds them up: amounts and counts
are summed, rates are recomputed from the summed amounts (never summed), the period's own
values kept. The object has the park object's keys (with `region`, `region_name` and `level`
instead of `park` and `park_name`) and `parks`: one entry per park (its figures without the
tables), marked `published` when they are a closed quarter's published figures.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Max
from django.utils import timezone

from dashboard import figure_registry as registry
from dashboard.selectors import as_of_date, figures_of_parks
from parkportal.id_lists import InIds
from parkportal.money import ZERO, ratio
from parkportal.periods import Period, quarter_of
from parks.models import Park, QuarterClose, Region
from parks.selectors import parks_in_region
from projects.models import COUNTED_STATUSES, AnnualPlan, ProgressReport


def _sum(kind: str, values: list):
    """Σ of the values; null when every park's value is null (a month after the period end),
    zero for a region without parks."""
    present = [value for value in values if value is not None]
    if values and not present:
        return None
    return sum(present, ZERO if kind == registry.MONEY else 0)


def _same(values: list):
    distinct = set(values)
    return values[0] if len(distinct) == 1 else None


def _combine_values(declared: registry.Figure, values: list):
    if declared.combine == registry.SUM:
        return _sum(declared.kind, values)
    if declared.combine == registry.SAME:
        return _same(values) if values else None
    return None  # RATE_OF: recomputed once the sums are known


def _rate(declared: registry.Figure, row: dict, top: dict):
    numerator, denominator = (
        registry.get_path(row, key) if registry.get_path(row, key) is not None
        else registry.get_path(top, key) for key in declared.of)
    if numerator is None:
        return None
    return ratio(numerator, denominator)


def _combine_table(table: registry.Table, tables: list[list[dict]], top: dict) -> list[dict]:
    """Rows matched by the table's row key, in the order they first appear."""
    rows: dict = {}
    for park_rows in tables:
        for row in park_rows:
            rows.setdefault(row[table.row_key], []).append(row)
    result = []
    for matched in rows.values():
        combined = {}
        for column in table.columns:
            combined[column.key] = _combine_values(
                column, [row.get(column.key) for row in matched])
        for column in table.columns:
            if column.combine == registry.RATE_OF:
                combined[column.key] = _rate(column, combined, top)
        result.append(combined)
    return result


def _column(parks: list[dict], parts: tuple[str, ...]) -> list:
    """`registry.get_path(f, key)` for every f of `parks` (key split into `parts` once):
    a region has 2,000 parks × 60 figures."""
    if len(parts) == 1:
        key = parts[0]
        return [f.get(key) for f in parks]
    if len(parts) == 2:
        head, leaf = parts
        return [value.get(leaf) if isinstance(value := f.get(head), dict) else None
                for f in parks]
    values = []
    for f in parks:
        value = f
        for part in parts:
            if not isinstance(value, dict):
                value = None
                break
            value = value.get(part)
        values.append(value)
    return values


# (declaration, its path split, its group) of every figure, split once.
_DECLARED = tuple((declared, tuple(declared.key.split(".")), declared.key.split(".")[0])
                  for declared in registry.FIGURES)


def combine(per_park: list[dict], tables: list[dict] | None = None) -> dict:
    """The figures of several parks as one: every declared figure and table combined as the
    registry says (typed values in, typed values out). `tables`: the objects whose tables
    are combined, when not the parks' own (a region's live parks' tables come added up)."""
    result: dict = {}
    having = {group: [f for f in per_park if f.get(group)]
              for group in registry.OPTIONAL_GROUPS}
    for declared, parts, group in _DECLARED:
        parks = per_park
        if group in having:
            parks = having[group]
            if not parks:
                result[group] = None
                continue
        value = _combine_values(declared, _column(parks, parts))
        registry.set_path(result, declared.key, value)
    for declared, _parts, group in _DECLARED:
        if declared.combine != registry.RATE_OF or (
                group in registry.OPTIONAL_GROUPS and result[group] is None):
            continue
        registry.set_path(result, declared.key, _rate(declared, result, result))
    for table in registry.TABLES:
        result[table.key] = _combine_table(
            table, [f.get(table.key, []) for f in (per_park if tables is None else tables)],
            result)
    return result


def _park_entry(figures: dict, published: bool) -> dict:
    """A park's line in the region object: identity, whether published, its figures (no
    tables)."""
    entry = {"park": figures["park"], "park_name": figures["park_name"],
             "published": published}
    for key, value in figures.items():
        if key not in registry.TABLES_BY_KEY and key not in entry:
            entry[key] = value
    return entry


def region_rollup(*, region: Region, year: int, quarter: int,
                  published: bool = False) -> dict:
    """The figures of every park under `region` for Y and Q, combined (`combine`), with
    `parks` listing each park's figures, by park name.

    `published`: a park whose quarter is closed counts with the figures it published then
    (`QuarterClose.published_figures`), marked `"published": true`; the others live. Without
    it every park is live (as `manage.py rollup` computes a park)."""
    period = Period(year, quarter)
    as_of = as_of_date(period)
    parks = list(parks_in_region(region))
    closed = {}
    if published:
        closed = dict(QuarterClose.objects.filter(InIds("park_id", [p.pk for p in parks]),
                                                  year=year, quarter=quarter)
                      .values_list("park_id", "published_figures"))
    live_parks = [park for park in parks if park.pk not in closed]
    # The live parks' tables come added up already (computed once over all of them).
    live, live_tables = figures_of_parks(live_parks, period, as_of)
    per_park, entries, tables = [], [], [live_tables] if live_parks else []
    for park in parks:
        if park.pk in closed:
            figures = registry.from_jsonable(closed[park.pk])
            tables.append(figures)
        else:
            figures = live[park.pk]
        per_park.append(figures)
        entries.append(_park_entry(figures, park.pk in closed))
    combined = combine(per_park, tables=tables)
    combined.update(year=year, quarter=quarter, period_end=period.end, as_of=as_of,
                    time_progress=period.time_progress)
    return {"region": region.slug, "region_name": region.name, "level": region.level,
            **combined, "parks": entries}


def default_region_period(region: Region, today: date | None = None
                          ) -> tuple[int, int, bool]:
    """(year, quarter, fell_back) for a region's dashboard: the current quarter if a park of
    the region has plans this year, else the latest year with plans and its latest quarter
    with counted reports (as `selectors.default_period` for a park)."""
    today = today or timezone.localdate()
    current = (today.year, quarter_of(today.month))
    parks = Park.objects.filter(pk__in=parks_in_region(region).values("pk"))
    plans = AnnualPlan.objects.filter(AnnualPlan.published_q(), project__park__in=parks)
    if plans.filter(year=today.year).exists():
        return (*current, False)
    latest_year = plans.filter(year__lt=today.year).aggregate(year=Max("year"))["year"]
    if latest_year is None:
        return (*current, False)
    last_month = (ProgressReport.objects
                  .filter(project__park__in=parks, year=latest_year,
                          status__in=COUNTED_STATUSES)
                  .aggregate(month=Max("month"))["month"])
    return (latest_year, quarter_of(last_month) if last_month else 4, True)
