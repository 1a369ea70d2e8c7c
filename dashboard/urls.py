from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
    path("report/", views.MonthReportView.as_view(), name="report"),
    path("report.pdf", views.MonthReportView.as_view(pdf=True), name="report_pdf"),
    path("close/", views.QuarterCloseView.as_view(), name="close"),
    path("rollover/", views.RolloverView.as_view(), name="rollover"),
    path("rollover/<int:year>/confirm/", views.RolloverConfirmView.as_view(),
         name="rollover_confirm"),
]
