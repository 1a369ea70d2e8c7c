from django.urls import path

from enterprises import views
from parkportal.generic_views import object_urls

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("demands/", views.DemandListView.as_view(), name="demands"),
    path("demands/<int:pk>/edit/", views.DemandUpdateView.as_view(), name="demand_edit"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("<int:pk>/demands/new/", views.DemandCreateView.as_view(), name="demand_create"),
]
urlpatterns += object_urls("industry_mapping_", route="industry-mappings/",
                          list_view=views.IndustryMappingListView,
                          detail_view=views.IndustryMappingDetailView,
                          edit_view=views.IndustryMappingEditView,
                          delete_view=views.IndustryMappingDeleteView)
