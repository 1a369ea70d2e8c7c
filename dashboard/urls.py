from django.urls import path

from parkportal.views import home

app_name = "dashboard"

# Placeholder until the pages of this area are built.
urlpatterns = [
    path("", home, name="index"),
]
