from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from parkportal import accounts, health, views
from users import views as users_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/large-text/", users_views.large_text, name="large_text"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", include("dashboard.urls")),
    path("projects/", include("projects.urls")),
    path("enterprises/import/", include("enterprises.importing.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("talent/", include("talent.urls")),
    path("users/", include("users.urls")),
    path("park/", include("parks.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
