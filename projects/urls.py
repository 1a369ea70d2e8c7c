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
    path("new/", views.ProjectEditView.as_view(), name="create"),
    # 报送情况: before <code>/ so that "reporting" is not read as a project code.
    path("reporting/", views.ReportingStatusView.as_view(), name="reporting_latest"),
    path("reporting/<period:period>/", views.ReportingStatusView.as_view(), name="reporting"),
    path("reporting/<period:period>/approve/", views.ApproveAllView.as_view(),
         name="reporting_approve"),
    path("<slug:code>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<slug:code>/sheet/", views.ProjectSheetView.as_view(), name="sheet"),
    path("<slug:code>/sheet.pdf", views.ProjectSheetView.as_view(pdf=True), name="sheet_pdf"),
    path("<slug:code>/edit/", views.ProjectEditView.as_view(), name="edit"),
    path("<slug:code>/suspend/", views.ProjectSuspendView.as_view(), name="suspend"),
    path("<slug:code>/resume/", views.ProjectResumeView.as_view(), name="resume"),
    path("<slug:code>/plans/new/", views.AnnualPlanEditView.as_view(), name="plan_create"),
    path("<slug:code>/plans/<int:year>/edit/", views.AnnualPlanEditView.as_view(),
         name="plan_edit"),
    path("<slug:code>/procedures/new/", views.ProcedureEditView.as_view(),
         name="procedure_create"),
    path("<slug:code>/procedures/<int:pk>/edit/", views.ProcedureEditView.as_view(),
         name="procedure_edit"),
    path("<slug:code>/progress/<period:period>/", views.ProgressReportView.as_view(),
         name="progress"),
    path("<slug:code>/progress/<period:period>/review/", views.ReviewView.as_view(),
         name="review"),
]
