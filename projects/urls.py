from django.urls import path, register_converter

from projects import views


class PeriodConverter:
    """`YYYY-MM` in the address, `(year, month)` in the view; other months are a 404."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        year, month = int(value[:4]), int(value[5:])
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise ValueError(value)
        return year, month

    def to_url(self, value):
        if isinstance(value, str):
            return value
        year, month = value
        return f"{year:04d}-{month:02d}"


register_converter(PeriodConverter, "period")

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<slug:code>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<slug:code>/progress/<period:period>/", views.ProgressReportView.as_view(),
         name="progress"),
    path("<slug:code>/progress/<period:period>/review/", views.ReviewView.as_view(),
         name="review"),
]
