from django.urls import path

from parkportal.generic_views import object_urls
from users import views

app_name = "users"

urlpatterns = [
    *object_urls("", list_view=views.UserListView, detail_view=views.UserDetailView,
                 edit_view=views.UserEditView),
    path("<int:pk>/password/", views.UserPasswordView.as_view(), name="password"),
    path("<int:pk>/active/", views.UserActiveView.as_view(), name="active"),
]
