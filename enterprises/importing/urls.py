from imports.urls import wizard_urls

app_name = "imports"

urlpatterns = wizard_urls("enterprises")
