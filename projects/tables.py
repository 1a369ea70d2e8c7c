"""The project list table; the xlsx / csv exports reuse it."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkportal.money import ratio
from parkportal.templatetags.money import percent, wan
from projects.models import Project


class MoneyColumn(tables.Column):
    """An amount in 万元: right-aligned with separators on the page, exact Decimal in exports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return wan(value)

    def value(self, value):
        return value


class ProjectTable(tables.Table):
    code = tables.Column(linkify=("projects:detail", {"code": tables.A("code")}),
                         verbose_name=_("Code"))
    name = tables.Column(linkify=("projects:detail", {"code": tables.A("code")}),
                         verbose_name=_("Project name"))
    industry = tables.Column(verbose_name=_("Industry"), order_by=("industry__sort_order",))
    stage = tables.Column(verbose_name=_("Stage"))
    total_investment = MoneyColumn(verbose_name=_("Total investment (10k yuan)"))
    # Computed per year by subqueries: no index can order them, so they do not sort.
    year_planned = MoneyColumn(verbose_name=_("Planned this year (10k yuan)"), orderable=False)
    year_completed = MoneyColumn(verbose_name=_("Completed this year (10k yuan)"),
                                 orderable=False)
    year_rate = tables.Column(verbose_name=_("Completion rate"), empty_values=(),
                              orderable=False, attrs={"td": {"class": "num"},
                                                      "th": {"class": "num"}})
    is_major = tables.BooleanColumn(verbose_name=_("Major"))
    is_industrial = tables.BooleanColumn(verbose_name=_("Industrial"))
    responsible_names = tables.Column(verbose_name=_("Responsible"), empty_values=(),
                                      orderable=False)
    owner_enterprise = tables.Column(verbose_name=_("Owner enterprise"), visible=False)
    actual_start = tables.DateColumn(verbose_name=_("Actual start"), visible=False)
    location = tables.Column(verbose_name=_("Location"), visible=False)

    class Meta:
        model = Project
        fields = ("code", "name", "industry", "stage", "total_investment", "year_planned",
                  "year_completed", "year_rate", "is_major", "is_industrial",
                  "responsible_names", "owner_enterprise", "actual_start", "location")
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        order_by = ("code",)

    export_rate_columns = ("year_rate",)  # a percentage cell in the export

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if year:
            self.columns["year_planned"].column.verbose_name = _(
                "Planned %(year)s (10k yuan)") % {"year": year}
            self.columns["year_completed"].column.verbose_name = _(
                "Completed %(year)s (10k yuan)") % {"year": year}

    @staticmethod
    def _rate(record):
        return ratio(record.year_completed, record.year_planned)

    def render_year_rate(self, record):
        return percent(self._rate(record))

    def value_year_rate(self, record):
        return self._rate(record)

    @staticmethod
    def _names(record):
        # projects.selectors.project_rows joins the names in the page query.
        if hasattr(record, "responsible_names"):
            return record.responsible_names or ""
        return "、".join(u.get_full_name() or u.username for u in record.responsible.all())

    def render_responsible_names(self, record):
        return self._names(record) or "—"

    def value_responsible_names(self, record):
        return self._names(record)
