from parkportal.generic_views import object_urls
from talent import views

app_name = "talent"

urlpatterns = [
    *object_urls("partner_", route="partners/", list_view=views.PartnerListView,
                 detail_view=views.PartnerDetailView, edit_view=views.PartnerEditView,
                 delete_view=views.PartnerDeleteView),
    *object_urls("center_", route="centers/", list_view=views.CenterListView,
                 detail_view=views.CenterDetailView, edit_view=views.CenterEditView,
                 delete_view=views.CenterDeleteView),
    *object_urls("", list_view=views.TalentListView, detail_view=views.TalentDetailView,
                 edit_view=views.TalentEditView, delete_view=views.TalentDeleteView),
]
