from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("read/", views.MarkReadView.as_view(), name="read"),
    path("mutes/", views.MuteView.as_view(), name="mutes"),
]
