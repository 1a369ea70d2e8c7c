from django.contrib import admin
from django.urls import include, path

from api.api import api
from home import views as home_views
from parkportal import accounts, health
from users import views as users_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", home_views.home, name="home"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/large-text/", users_views.large_text, name="large_text"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", include("dashboard.urls")),
    # Before projects/: "import" would be read as a project code.
    path("projects/import/", include("projects.importing.urls")),
    path("projects/", include("projects.urls")),
    path("enterprises/import/", include("enterprises.importing.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("talent/", include("talent.urls")),
    path("users/", include("users.urls")),
    path("leads/", include("leads.urls")),
    path("park/", include("parks.urls")),
    path("inbox/", include("reminders.urls")),
    path("attachments/", include("attachments.urls")),
    path("reports/", include("upward.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# MEDIA_ROOT is never served as such, not even with DEBUG: attachments are streamed by
# attachments.views after their record's permission check (docs/security.md).
