from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    """Fills a database: the 2024 report (`seed_report`) and synthetic parks (`generate_demo`).
    It writes into every app, so it sits above them all (docs/architecture.md)."""

    name = "seeding"
    verbose_name = _("Seeding")
