"""Enterprise and demand tables. Contact details show only where the viewer may see them."""

from datetime import date

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enterprises.models import Demand, Enterprise, IndustryMapping
from parkportal.generic_views import ObjectTable
from parkportal.templatetags.money import wan

HIDDEN = "***"


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=("enterprises:detail", {"pk": tables.A("pk")}),
                         verbose_name=_("Enterprise name"))
    credit_code = tables.Column(verbose_name=_("Credit code"),
                                attrs={"td": {"class": "font-monospace small"}})
    # The park's chain, with the list's national classification (GB/T 4754) under it.
    industry = tables.Column(verbose_name=_("Industry"), order_by=("industry__sort_order",),
                             empty_values=())
    national_industry = tables.Column(verbose_name=_("National industry classification"),
                                      orderable=False, visible=False)
    relation = tables.Column(verbose_name=_("Relation"))
    status = tables.Column(verbose_name=_("Status"))
    origin = tables.Column(verbose_name=_("Origin"))
    registered_capital = tables.Column(verbose_name=_("Registered capital (10k yuan)"),
                                       attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    employees = tables.Column(verbose_name=_("Employees"),
                              attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    contact_person = tables.Column(verbose_name=_("Contact person"), orderable=False)
    contact_phone = tables.Column(verbose_name=_("Contact phone"), orderable=False)
    # Subquery columns: no index can order them, so they do not sort.
    last_visit = tables.DateColumn(verbose_name=_("Last visit"), format="Y-m-d",
                                   orderable=False)
    open_demands = tables.Column(verbose_name=_("Open demands"), orderable=False,
                                 attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    settled_on = tables.DateColumn(verbose_name=_("Settled on"), visible=False)
    introduced_year = tables.Column(verbose_name=_("Year introduced"), visible=False)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "industry", "national_industry", "relation", "status",
                  "origin",
                  "registered_capital", "employees", "contact_person", "contact_phone",
                  "last_visit", "open_demands", "settled_on", "introduced_year")
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        order_by = ("name",)

    def __init__(self, *args, personal_ids=None, **kwargs):
        # Rows of enterprises.selectors.enterprise_list say themselves whether the viewer may
        # see their contact details (`may_see_personal`). Other rows: personal_ids, the ids
        # whose contact details the viewer may see; None means all.
        self.personal_ids = personal_ids
        super().__init__(*args, **kwargs)

    def _may_see(self, record):
        flag = getattr(record, "may_see_personal", None)
        if flag is not None:
            return bool(flag)
        return self.personal_ids is None or record.pk in self.personal_ids

    def render_industry(self, value, record):
        national = national_label(record)
        if not national:
            return value if value is not None else "—"
        return format_html('{}<div class="small text-muted">{}</div>',
                           value if value is not None else "—", national)

    def value_industry(self, value):
        return str(value) if value is not None else ""

    def value_national_industry(self, record):
        return national_label(record)

    def render_registered_capital(self, value):
        return wan(value)

    def value_registered_capital(self, value):
        return value  # a number in the export (parkportal.exports formats it)

    def render_contact_person(self, value, record):
        return value if self._may_see(record) else HIDDEN

    def render_contact_phone(self, value, record):
        return value if self._may_see(record) else HIDDEN

    def value_contact_person(self, value, record):
        return value if self._may_see(record) else ""

    def value_contact_phone(self, value, record):
        return value if self._may_see(record) else ""

    def value_last_visit(self, value):
        if isinstance(value, str):  # SQLite returns the aggregate of a subquery as text
            value = date.fromisoformat(value)
        return value or None  # a date cell in the export, not the page's coloured markup

    def render_last_visit(self, value):
        if not value:
            return format_html('<span class="text-danger">{}</span>', "—")
        if isinstance(value, str):  # SQLite returns the aggregate of a subquery as text
            value = date.fromisoformat(value)
        days = (timezone.localdate() - value).days
        css = "text-success" if days < 7 else "text-danger"
        return format_html('<span class="{}">{}</span>', css, value.strftime("%Y-%m-%d"))


def national_label(enterprise) -> str:
    """"C 制造业": the national classification's code and name as the list gave them."""
    return " ".join(filter(None, [enterprise.national_industry_code,
                                  enterprise.national_industry]))


class IndustryMappingTable(ObjectTable):
    national_code = tables.Column(verbose_name=_("National industry code"),
                                  linkify=("enterprises:industry_mapping_detail",
                                           {"pk": tables.A("pk")}))
    national_name = tables.Column(verbose_name=_("National industry classification"),
                                  linkify=("enterprises:industry_mapping_detail",
                                           {"pk": tables.A("pk")}))
    industry = tables.Column(verbose_name=_("Industry chain"))
    park = tables.Column(verbose_name=_("Park"))

    class Meta(ObjectTable.Meta):
        model = IndustryMapping
        fields = ("national_code", "national_name", "industry", "park")
        # A park maps a few dozen classifications: listed by code, no sort (and no index).
        orderable = False


class DemandTable(tables.Table):
    enterprise = tables.Column(linkify=("enterprises:detail", {"pk": tables.A("enterprise_id")}),
                               verbose_name=_("Enterprise"))
    category = tables.Column(verbose_name=_("Category"))
    description = tables.Column(verbose_name=_("Description"), orderable=False,  # free text
                                attrs={"td": {"class": "demand-description"}})
    status = tables.Column(verbose_name=_("Status"))
    due_on = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d")
    assignee = tables.Column(verbose_name=_("Handled by"))
    created_at = tables.DateColumn(verbose_name=_("Raised on"), format="Y-m-d")
    edit = tables.LinkColumn("enterprises:demand_edit", args=[tables.A("pk")],
                             text=_("Update"), orderable=False, verbose_name="",
                             exclude_from_export=True,
                             attrs={"a": {"class": "btn btn-outline-primary btn-sm py-0"}})

    class Meta:
        model = Demand
        fields = ("enterprise", "category", "description", "status", "due_on", "assignee",
                  "created_at")
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_description(self, value):
        return value if len(value) <= 60 else value[:59] + "…"

    def render_status(self, value, record):
        css = {"open": "text-bg-danger", "in_progress": "text-bg-warning",
               "resolved": "text-bg-success"}[record.status]
        return format_html('<span class="badge {}">{}</span>', css, value)

    def render_due_on(self, value, record):
        if not value:
            return "—"
        overdue = record.is_overdue(timezone.localdate())
        return format_html('<span class="{}">{}</span>', "text-danger fw-semibold" if overdue
                           else "", value.strftime("%Y-%m-%d"))

    def render_assignee(self, value):
        if value is None:
            return "—"
        return value.get_full_name() or value.username
