from django.urls import path

from parkportal.views import home

app_name = "enterprises"

# Placeholder until the pages of this area are built.
urlpatterns = [
    path("", home, name="list"),
]
