from imports.urls import wizard_urls

app_name = "schedule_import"

urlpatterns = wizard_urls("schedule")
