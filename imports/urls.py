"""The wizard's addresses, the same for every target (each target includes them under its own
prefix and namespace: /enterprises/import/ "imports", /projects/import/ "schedule_import")."""

from django.urls import path

from imports import views


def wizard_urls(target: str) -> list:
    def view(cls):
        return cls.as_view(target_name=target)

    return [
        path("", view(views.UploadView), name="upload"),
        path("<int:pk>/", view(views.BatchView), name="batch"),
        path("<int:pk>/commit/", view(views.CommitView), name="commit"),
        path("<int:pk>/retry/", view(views.RetryView), name="retry"),
        path("<int:pk>/cancel/", view(views.CancelView), name="cancel"),
        path("<int:pk>/status/", view(views.StatusView), name="status"),
        path("<int:pk>/errors.xlsx", view(views.ErrorReportView), name="errors"),
        path("<int:pk>/file/", view(views.OriginalFileView), name="file"),
    ]
