from django.urls import path

from upward import views

app_name = "upward"

urlpatterns = [
    path("upward/", views.UpwardReportView.as_view(), name="index"),
    path("upward/plan-vs-completed.xlsx", views.PlanVsCompletedView.as_view(),
         name="plan_vs_completed"),
    path("upward/oc4ids.json", views.Oc4idsView.as_view(), name="oc4ids"),
]
