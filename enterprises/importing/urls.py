from django.urls import path

from enterprises.importing import views

app_name = "imports"

urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("<int:pk>/commit/", views.CommitView.as_view(), name="commit"),
    path("<int:pk>/retry/", views.RetryView.as_view(), name="retry"),
    path("<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/errors.xlsx", views.ErrorReportView.as_view(), name="errors"),
    path("<int:pk>/file/", views.OriginalFileView.as_view(), name="file"),
]
