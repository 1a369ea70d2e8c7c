from django.urls import path

from parkportal.generic_views import object_urls
from parks import views

app_name = "parks"

urlpatterns = [path("settings/", views.ParkSettingsView.as_view(), name="settings")]
urlpatterns += object_urls("target_", route="targets/", list_view=views.TargetListView,
                          detail_view=views.TargetDetailView, edit_view=views.TargetEditView)
