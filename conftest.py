"""Repository-wide pytest set-up: test-friendly settings and the headless browser."""

import os
import tempfile
from pathlib import Path

# Live-server tests run Django code from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Plain HTTP test client and live server; static files from finders, no manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The test database is a file, not SQLite's in-memory default, so that a real worker
    # process (tests/worker.py) sees what a transactional test writes; xdist adds _gwN.
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(tempfile.gettempdir()) / f"parkportal-test-{os.getpid()}.sqlite3"
        # A name set in the settings wins (scripts/mutation.py keeps one migrated database
        # for every mutant; a new name per process would migrate a new one each time).
        test = database.setdefault("TEST", {})
        test["NAME"] = test.get("NAME") or str(name)  # Django fills in NAME None
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
