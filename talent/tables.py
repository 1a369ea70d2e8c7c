"""Talent, partner and centre tables; the exports reuse them, masking included."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import HIDDEN, ObjectTable
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class TalentTable(ObjectTable):
    # Rows of talent.selectors.visible_talents say whether the viewer may see the name. The
    # name does not sort: the order would tell what the mask hides.
    person_name = tables.Column(verbose_name=_("Name"), orderable=False,
                                linkify=("talent:detail", {"pk": tables.A("pk")}))
    degree = tables.Column(verbose_name=_("Degree"))
    field = tables.Column(verbose_name=_("Field"))
    mode = tables.Column(verbose_name=_("Mode"))
    employer = tables.Column(verbose_name=_("Employer"), order_by=("employer__name",))
    partner = tables.Column(verbose_name=_("Partner organization"), order_by=("partner__name",))
    innovation_center = tables.Column(verbose_name=_("Innovation center"),
                                      order_by=("innovation_center__name",))
    introduced_on = tables.DateColumn(verbose_name=_("Introduced on"), format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = TalentIntroduction
        fields = ("person_name", "degree", "field", "mode", "employer", "partner",
                  "innovation_center", "introduced_on")
        order_by = ("-introduced_on",)

    @staticmethod
    def _name(record):
        return record.person_name if getattr(record, "may_see_personal", False) else HIDDEN

    def render_person_name(self, record):
        return self._name(record)

    def value_person_name(self, record):
        return self._name(record)


class PartnerTable(ObjectTable):
    name = tables.Column(verbose_name=_("Organization name"),
                         linkify=("talent:partner_detail", {"pk": tables.A("pk")}))
    location = tables.Column(verbose_name=_("Location"))
    field = tables.Column(verbose_name=_("Field of cooperation"))
    joined_on = tables.DateColumn(verbose_name=_("Joined on"), format="Y-m-d")
    talent_count = tables.Column(verbose_name=_("Talents"), attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = PartnerOrganization
        fields = ("name", "location", "field", "joined_on", "talent_count")
        order_by = ("name",)


class CenterTable(ObjectTable):
    name = tables.Column(verbose_name=_("Center name"),
                         linkify=("talent:center_detail", {"pk": tables.A("pk")}))
    kind = tables.Column(verbose_name=_("Kind"))
    city = tables.Column(verbose_name=_("City"))
    partner = tables.Column(verbose_name=_("Operating partner"), order_by=("partner__name",))
    established_on = tables.DateColumn(verbose_name=_("Established on"), format="Y-m-d")
    talent_count = tables.Column(verbose_name=_("Talents"), attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = InnovationCenter
        fields = ("name", "kind", "city", "partner", "established_on", "talent_count")
        order_by = ("kind", "name")
