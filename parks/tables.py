import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectTable
from parkportal.templatetags.money import wan
from parks.models import ParkAnnualTarget

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs=NUM, **kwargs)

    def render(self, value):
        return wan(value)

    def value(self, value):
        return value


class ParkTargetTable(ObjectTable):
    year = tables.Column(verbose_name=_("Year"),
                         linkify=("parks:target_detail", {"pk": tables.A("pk")}))
    park = tables.Column(verbose_name=_("Park"))
    projects_planned = tables.Column(verbose_name=_("Projects to implement"), attrs=NUM)
    total_investment = MoneyColumn(verbose_name=_("Total investment (10k yuan)"))
    annual_investment = MoneyColumn(verbose_name=_("Planned for the year (10k yuan)"))
    industrial_investment = MoneyColumn(verbose_name=_("Of which industrial (10k yuan)"))
    enterprises_to_introduce = tables.Column(verbose_name=_("Enterprises to introduce"),
                                             attrs=NUM)
    talents_to_introduce = tables.Column(verbose_name=_("Talents to introduce"), attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = ParkAnnualTarget
        fields = ("year", "park", "projects_planned", "total_investment", "annual_investment",
                  "industrial_investment", "enterprises_to_introduce", "talents_to_introduce")
        order_by = ("-year",)
