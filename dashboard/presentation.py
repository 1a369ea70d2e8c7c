"""Turn the roll-up (its JSON form: published or live) into what the page shows.

Works on the JSON-safe object so that a closed quarter's published figures and the live
figures are displayed by the same code.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboard import figure_registry as registry
from parkportal.templatetags.money import YI, money, money_in, percent, wan
from projects.models import ProjectStage

LIGHT_LABELS = {
    "red": gettext_lazy("Red"), "yellow": gettext_lazy("Yellow"),
    "green": gettext_lazy("Green"), "not_due": gettext_lazy("Not yet due"),
    "none": gettext_lazy("Not rated"),
}

def _fmt(path: str, value):
    """A figure (or table cell) for display, by the kind the registry declares."""
    if value is None:
        return "—"
    kind = registry.kind_of(path)
    if kind == registry.RATE:
        return percent(value)
    if kind == registry.MONEY:
        return money(value)
    return str(value)


def change_rows(changes: dict) -> list[dict]:
    """The changes since close as table rows, labelled figures first."""
    rows = []
    for path, change in changes.items():
        # Top-level figures by their label; a table cell ("monthly.2.cumulative") by its path.
        label = registry.figure(path).label if path in registry.BY_KEY else None
        delta = change["delta"]
        rows.append({
            "path": path, "label": label or path, "known": label is not None,
            "published": _fmt(path, change["published"]),
            "current": _fmt(path, change["current"]),
            "delta": (None if delta is None else
                      (("+" if delta > 0 else "") + _fmt(path, format(delta, "f")))
                      if registry.kind_of(path) != registry.RATE
                      else f"{'+' if delta > 0 else ''}{(delta * 100).quantize(Decimal('0.1'))}"
                           + _(" points")),
        })
    rows.sort(key=lambda row: (not row["known"], row["path"]))
    return rows


def _change(changes, path):
    change = changes.get(path)
    if not change:
        return None
    return _fmt(path, change["current"])


def n_projects(n) -> str:
    return ngettext("%(n)s project", "%(n)s projects", int(n)) % {"n": n}


def card_unit(f: dict) -> str:
    """The one unit of every amount on the cards: 亿元 ("yi") when the largest is at least
    1亿, else 万元 ("wan"). One unit for all cards, so no row of cards mixes 万元 and 亿元
    whatever the screen width puts in a row."""
    amounts = [registry.get_path(f, key) for key in registry.money_keys()]
    largest = max((abs(Decimal(a)) for a in amounts if a not in (None, "")), default=Decimal(0))
    return "yi" if largest >= YI else "wan"


def cards(f: dict, changes: dict) -> list[dict]:
    """Key-figure cards, in reading order. Each: label, value, lines under it, and the
    current value when it differs from the published one. Amounts share one unit
    (`card_unit`); a money card's `exact` is its amount in 万元 (the value's tooltip)."""
    targets = f.get("targets") or {}
    coverage, demands = f["visit_coverage"], f["open_demands"]
    unit = card_unit(f)

    def money(value):  # noqa: F811 — the cards' own: every amount in the one unit
        return money_in(value, unit)

    def card(key, label, value, lines=(), icon="", tone="", progress=None, paths=()):
        changed = [(registry.label(p) or p, _change(changes, p)) for p in (key, *paths)
                   if _change(changes, p)]
        exact = (_("%(amount)s 10k yuan") % {"amount": wan(registry.get_path(f, key))}
                 if registry.kind_of(key) == registry.MONEY else "")
        return {"key": key, "label": label, "value": value, "lines": list(lines),
                "icon": icon, "tone": tone, "progress": progress, "changed": changed,
                "exact": exact}

    rate, time_progress = f["completion_rate"], f["time_progress"]
    behind = (rate is not None and Decimal(rate) < Decimal(time_progress))
    return [
        card("projects_planned", _("Projects planned"),
             n_projects(f["projects_planned"]),
             [_("Target: %(projects)s") % {"projects": n_projects(targets["projects_planned"])}]
             if targets else [],
             icon="bi-kanban"),
        card("total_investment", _("Total investment"), money(f["total_investment"]),
             [_("Target: %(v)s") % {"v": money(targets["total_investment"])}] if targets else [],
             icon="bi-bank"),
        card("annual_planned", _("Annual planned investment"), money(f["annual_planned"]),
             ([_("Park target: %(v)s") % {"v": money(targets["annual_investment"])}]
              if targets else []) + [_("Sum of project plans")],
             icon="bi-calendar3"),
        card("completed_ytd", _("Completed year to date"), money(f["completed_ytd"]),
             [_("Completion rate %(rate)s against time progress %(time)s")
              % {"rate": percent(rate), "time": percent(time_progress)},
              _("Completed in the quarter: %(v)s") % {"v": money(f["completed_in_quarter"])}],
             icon="bi-graph-up-arrow",
             tone="" if rate is None else "danger" if behind else "success",
             progress={"rate": _pct(rate), "time": _pct(time_progress)},
             paths=("completion_rate",)),
        card("industrial_planned", _("Industrial investment"),
             money(f["industrial_planned"]),
             [_("Completed: %(v)s") % {"v": money(f["industrial_completed_ytd"])}]
             + ([_("Park target: %(v)s") % {"v": money(targets["industrial_investment"])}]
                if targets else []),
             icon="bi-gear-wide-connected", paths=("industrial_completed_ytd",)),
        card("new_starts", _("New starts in Q%(q)s") % {"q": f["quarter"]},
             n_projects(f["new_starts"]),
             [_("Continuing: %(n)s") % {"n": f["continuing"]},
              _("Preliminary work done: %(n)s") % {"n": f["preliminary_done"]}],
             icon="bi-cone-striped", paths=("continuing", "preliminary_done")),
        card("major_projects", _("Major projects"),
             n_projects(f["major_projects"]),
             [_("In preliminary stage: %(n)s, total %(v)s")
              % {"n": f["major_preliminary"]["count"],
                 "v": money(f["major_preliminary"]["total_investment"])}],
             icon="bi-star"),
        card("fixed_asset_investment", _("Fixed-asset investment formed"),
             money(f["fixed_asset_investment"]), [_("Year to date")], icon="bi-building"),
        card("enterprises_introduced", _("Enterprises introduced"),
             ngettext("%(n)s enterprise", "%(n)s enterprises", int(f["enterprises_introduced"]))
             % {"n": f["enterprises_introduced"]},
             [_("Served (resident and managed): %(n)s") % {"n": f["enterprises_served"]}],
             icon="bi-briefcase", paths=("enterprises_served",)),
        card("talents.total", _("Talents introduced"),
             ngettext("%(n)s person", "%(n)s people", int(f["talents"]["total"]))
             % {"n": f["talents"]["total"]},
             [_("of whom PhDs: %(n)s") % {"n": f["talents"]["phd"]},
              _("Partners %(p)s · innovation centers %(c)s")
              % {"p": f["partners"], "c": f["innovation_centers"]}],
             icon="bi-mortarboard", paths=("talents.phd",)),
        card("visit_coverage.rate", _("Visit coverage"), percent(coverage["rate"]),
             [_("%(v)s of %(s)s served enterprises visited %(a)s – %(b)s")
              % {"v": coverage["visited"], "s": coverage["served"],
                 "a": coverage["window_start"], "b": coverage["window_end"]}],
             icon="bi-signpost-2",
             tone="success" if coverage["rate"] and Decimal(coverage["rate"]) >= 1 else "warning",
             progress={"rate": _pct(coverage["rate"]), "time": None}),
        card("open_demands.total", _("Open demands"),
             str(demands["total"]),
             [_("Overdue: %(n)s") % {"n": demands["overdue"]},
              _("As of %(d)s") % {"d": f["as_of"]}],
             icon="bi-chat-left-dots", tone="warning" if demands["overdue"] else ""),
        *_investment_cards(f, card, money),
    ]


def _investment_cards(f: dict, card, money) -> list[dict]:
    """The investment-promotion card (a quarter closed before issue 13 has none); amounts in
    the cards' one unit (`money`)."""
    investment = f.get("investment")
    if not investment:
        return []
    return [card("investment.landed", _("Investment promotion"),
                 _("%(n)s landed") % {"n": investment["landed"]},
                 [_("Signed %(n)s, %(v)s; landing rate %(r)s")
                  % {"n": investment["signed"], "v": money(investment["signed_amount"]),
                     "r": percent(investment["landing_rate"])},
                  _("Funds in place: %(v)s") % {"v": money(investment["funds_in_place"])},
                  _("In the pipeline %(a)s, negotiated %(n)s")
                  % {"a": investment["leads_active"], "n": investment["negotiating"]}],
                 icon="bi-funnel",
                 paths=("investment.signed", "investment.signed_amount",
                        "investment.funds_in_place", "investment.leads_active",
                        "investment.negotiating", "investment.landing_rate"))]


def funnel(f: dict) -> list[dict]:
    """The lead funnel by stage (counts are cumulative: see leads.selectors)."""
    investment = f.get("investment")
    if not investment:
        return []
    return [{"name": _("Leads in the pipeline"), "value": investment["leads_active"]},
            {"name": _("Negotiating"), "value": investment["negotiating"]},
            {"name": _("Signed"), "value": investment["signed"]},
            {"name": _("Landed"), "value": investment["landed"]}]


def _pct(value):
    """A ratio as a percentage number for bar widths (display only)."""
    if value is None:
        return 0
    return min(100, max(0, (Decimal(value) * 100).quantize(Decimal("0.1"))))


def light_summary(f: dict) -> list[dict]:
    lights = f["traffic_lights"]
    return [{"light": light, "label": LIGHT_LABELS[light], "count": lights.get(light, 0)}
            for light in ("red", "yellow", "green", "not_due")]


def chart_data(f: dict) -> dict:
    """What the charts draw: amounts stay decimal strings (ECharts parses them)."""
    stage_labels = dict(ProjectStage.choices)
    return {
        "labels": {
            "months": [_("Month %(m)s") % {"m": m} for m in range(1, 13)],
            "cumulative": _("Cumulative completed"),
            "monthly": _("Completed in the month"),
            "plan": _("Plan line"),
            "planned": _("Annual planned"),
            "completed": _("Completed investment"),
            "rate": _("Completion rate"),
            "unit": _("10k yuan"),
            "projects": _("projects"),
            "leads": _("leads"),
        },
        "monthly": f["monthly"],
        "by_industry": f["by_industry"],
        "by_stage": [{"name": str(stage_labels.get(row["stage"], row["stage"])),
                      "value": row["projects"]} for row in f["by_stage"] if row["projects"]],
        "funnel": funnel(f),
    }


def lagging_rows(projects) -> list[dict]:
    """The lagging-projects table as display strings (plain; the template escapes them),
    one dict per project, in order, so the template's row loop only reads strings. `people`
    is the responsible staff joined with 、, or None when nobody is responsible."""
    stage_labels = dict(ProjectStage.choices)
    rows = []
    for p in projects:
        people = [u.get_full_name() or u.username for u in p.responsible.all()]
        rows.append({
            "light": p.light,
            "url": reverse("projects:detail", args=[p.code]),
            "name": p.name,
            "code": p.code,
            "industry": p.industry.name,
            "stage": str(stage_labels.get(p.stage, p.stage)),
            "planned": wan(p.planned),
            "completed": wan(p.completed_ytd),
            "rate": percent(p.completion_rate),
            "behind": "—" if p.points_behind is None else formats.localize(p.points_behind),
            "start": p.planned_start.isoformat() if p.planned_start else "—",  # Y-m-d
            "people": "、".join(people) if people else None,
        })
    return rows


def park_comparison_rows(f: dict, *, year: int, quarter: int) -> list[dict]:
    """A region's parks side by side (display strings; the template escapes them), furthest
    behind time progress first: completion against time progress, the lights, the leads,
    whether the figures are the published ones, and the link down into the park."""
    rows = []
    for park in f["parks"]:
        rate, time_progress = park["completion_rate"], park["time_progress"]
        behind = (None if rate is None or time_progress is None
                  else ((Decimal(time_progress) - Decimal(rate)) * 100).quantize(Decimal("0.1")))
        lights = park.get("traffic_lights") or {}
        investment = park.get("investment") or {}
        rows.append({
            "park": park["park"],
            "name": park["park_name"],
            "url": reverse("dashboard:index") + "?" + urlencode(
                {"park": park["park"], "year": year, "quarter": quarter}),
            "published": park["published"],
            "projects": park["projects_planned"],
            "planned": wan(park["annual_planned"]),
            "completed": wan(park["completed_ytd"]),
            "rate": percent(rate),
            "time_progress": percent(time_progress),
            "bar": {"rate": _pct(rate), "time": _pct(time_progress)},
            "behind": "—" if behind is None else formats.localize(behind),
            "tone": "" if behind is None else "danger" if behind > 0 else "success",
            "lights": [{"light": light, "label": LIGHT_LABELS[light],
                        "count": lights.get(light, 0)}
                       for light in ("red", "yellow", "green", "not_due")],
            "leads": {key: investment.get(key) for key in ("leads_active", "signed",
                                                           "landed")},
            "sort": (behind is None, -(behind or 0), park["park_name"]),
        })
    rows.sort(key=lambda row: row.pop("sort"))
    return rows
