"""Talent introductions, partner organizations and innovation centres: pages as
configuration (parkportal.generic_views)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Panel,
    Related,
)
from talent import selectors, services
from talent.filters import CenterFilter, PartnerFilter, TalentFilter
from talent.forms import CenterForm, PartnerForm, TalentForm
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction
from talent.tables import CenterTable, PartnerTable, TalentTable


class TalentViews:
    model = TalentIntroduction
    selector = selectors.visible_talents
    url_namespace = "talent"
    personal_fields = ("person_name",)
    deletable = True

    def may_see_personal(self, obj):
        return bool(obj.may_see_personal)


class TalentListView(TalentViews, ObjectListView):
    table_class = TalentTable
    filterset_class = TalentFilter
    export_filename = "talents"
    template_name = "talent/talent_list.html"


class TalentDetailView(TalentViews, ObjectDetailView):
    panels = [Panel(_("Talent introduction"),
                    ["person_name", "degree", "field", "mode", "introduced_on", "employer",
                     "partner", "innovation_center", "is_illustrative"])]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object)
        return context


class TalentEditView(TalentViews, ObjectEditView):
    form_class = TalentForm
    service = services.save_talent


class TalentDeleteView(TalentViews, ObjectDeleteView):
    service = services.delete_record


def _talents_of(attribute):
    def rows(obj, user):
        return selectors.visible_talents(user).filter(**{attribute: obj})
    return rows


class PartnerViews:
    model = PartnerOrganization
    selector = selectors.visible_partners
    url_namespace = "talent"
    url_prefix = "partner_"
    deletable = True


class PartnerListView(PartnerViews, ObjectListView):
    table_class = PartnerTable
    filterset_class = PartnerFilter
    export_filename = "partners"
    template_name = "talent/talent_list.html"


class PartnerDetailView(PartnerViews, ObjectDetailView):
    panels = [Panel(_("Partner organization"), ["name", "location", "field", "joined_on"],
                    texts=["notes"])]
    related = [
        Related(_("Innovation centers"), CenterTable,
                lambda obj, user: selectors.visible_centers(user).filter(partner=obj),
                table_kwargs=lambda view, obj: {"exclude": ("partner",)}),
        Related(_("Talents"), TalentTable, _talents_of("partner"),
                table_kwargs=lambda view, obj: {"exclude": ("partner",)},
                add_url=lambda obj: reverse("talent:create")),
    ]


class PartnerEditView(PartnerViews, ObjectEditView):
    form_class = PartnerForm
    service = services.save_partner


class PartnerDeleteView(PartnerViews, ObjectDeleteView):
    service = services.delete_record


class CenterViews:
    model = InnovationCenter
    selector = selectors.visible_centers
    url_namespace = "talent"
    url_prefix = "center_"
    deletable = True


class CenterListView(CenterViews, ObjectListView):
    table_class = CenterTable
    filterset_class = CenterFilter
    export_filename = "innovation-centers"
    template_name = "talent/talent_list.html"


class CenterDetailView(CenterViews, ObjectDetailView):
    panels = [Panel(_("Innovation center"), ["name", "kind", "city", "partner",
                                             "established_on"])]
    related = [Related(_("Talents"), TalentTable, _talents_of("innovation_center"),
                       table_kwargs=lambda view, obj: {"exclude": ("innovation_center",)})]


class CenterEditView(CenterViews, ObjectEditView):
    form_class = CenterForm
    service = services.save_center


class CenterDeleteView(CenterViews, ObjectDeleteView):
    service = services.delete_record
