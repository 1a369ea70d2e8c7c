"""The lead table; the export reuses it."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectTable
from parkportal.templatetags.money import money
from projects.models import InvestmentLead

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class LeadTable(ObjectTable):
    investor = tables.Column(verbose_name=_("Prospective investor"),
                             linkify=("leads:detail", {"pk": tables.A("pk")}))
    industry = tables.Column(verbose_name=_("Industry"), order_by=("industry__sort_order",))
    stage = tables.Column(verbose_name=_("Stage"))
    intended_investment = tables.Column(verbose_name=_("Intended investment"), attrs=NUM)
    signed_amount = tables.Column(verbose_name=_("Signed amount"), attrs=NUM)
    source = tables.Column(verbose_name=_("Source"))
    responsible = tables.Column(verbose_name=_("Responsible"),
                                order_by=("responsible__username",))
    lead_due_on = tables.DateColumn(verbose_name=_("Due on"), format="Y-m-d")
    next_action = tables.Column(verbose_name=_("Next action"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = InvestmentLead
        fields = ("investor", "industry", "stage", "intended_investment", "signed_amount",
                  "source", "responsible", "lead_due_on", "next_action")
        order_by = ("lead_due_on",)

    def render_intended_investment(self, value):
        return money(value)

    def render_signed_amount(self, value):
        return money(value)

    def render_responsible(self, value):
        return value.get_full_name() or value.username

    def value_responsible(self, value):
        return value.get_full_name() or value.username if value else ""

    def render_lead_due_on(self, value, record):
        if value is None:  # no follow-up date and no running clock (a landed or dropped lead)
            return "—"
        text = value.strftime("%Y-%m-%d")
        if record.is_open and value < timezone.localdate():
            return format_html('<span class="badge text-bg-danger">{} {}</span>', text,
                               _("overdue"))
        return text
