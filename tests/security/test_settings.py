"""Sessions, mail and the Content-Security-Policy switch as read from the environment
(parkportal.settings), and a password change ending the user's other sessions."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["SESSION_COOKIE_AGE", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
         "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL",
         "MAIL_CONFIGURED", "AXES_FAILURE_LIMIT", "REQUEST_MAX_BODY_BYTES",
         "IMPORT_MAX_COMPRESSION_RATIO", "IMPORT_MAX_ZIP_ENTRIES", "IMPORT_PARSE_MEMORY_BYTES"]
CLEARED = ["DEBUG", "SESSION_HOURS", "CSP_REPORT_ONLY", "LOGIN_FAILURE_LIMIT",
           *[n for n in NAMES if n.startswith("EMAIL") or n == "DEFAULT_FROM_EMAIL"]]


def settings_with(**env) -> dict:
    """The settings a fresh process reads from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    code = ("import json, django; from django.conf import settings as s; django.setup(); "
            f"names = {NAMES!r}; "
            "out = {n: getattr(s, n) for n in names}; "
            "out['AXES_COOLOFF_MINUTES'] = s.AXES_COOLOFF_TIME.total_seconds() / 60; "
            "out['CSP'] = getattr(s, 'CONTENT_SECURITY_POLICY', None); "
            "out['CSP_RO'] = getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None); "
            "print(json.dumps(out, default=str))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env={**clean, "DJANGO_SETTINGS_MODULE":
                                          "parkportal.settings", **env}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_defaults():
    values = settings_with()
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600 <= 12 * 3600
    assert values["AXES_FAILURE_LIMIT"] == 10 and values["AXES_COOLOFF_MINUTES"] == 15
    assert values["IMPORT_MAX_COMPRESSION_RATIO"] == 100
    assert values["IMPORT_MAX_ZIP_ENTRIES"] == 100
    assert values["EMAIL_BACKEND"].endswith("dummy.EmailBackend")
    assert values["MAIL_CONFIGURED"] is False
    assert values["CSP"] and values["CSP_RO"] is None


def test_limits_from_the_environment():
    values = settings_with(SESSION_HOURS="4", LOGIN_FAILURE_LIMIT="5",
                           LOGIN_COOLOFF_MINUTES="30", IMPORT_MAX_COMPRESSION_RATIO="50")
    assert values["SESSION_COOKIE_AGE"] == 4 * 3600
    assert values["AXES_FAILURE_LIMIT"] == 5 and values["AXES_COOLOFF_MINUTES"] == 30
    assert values["IMPORT_MAX_COMPRESSION_RATIO"] == 50


def test_mail_from_the_environment():
    values = settings_with(EMAIL_HOST="smtp.example.cn", EMAIL_PORT="465",
                           EMAIL_HOST_USER="parkportal", EMAIL_HOST_PASSWORD="s3cret",
                           DEFAULT_FROM_EMAIL="园区平台 <noreply@example.cn>")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.cn", 465)
    assert values["EMAIL_USE_SSL"] is True and values["EMAIL_USE_TLS"] is False
    assert values["EMAIL_HOST_USER"] == "parkportal"
    assert values["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert values["DEFAULT_FROM_EMAIL"] == "园区平台 <noreply@example.cn>"
    assert values["MAIL_CONFIGURED"] is True
    assert settings_with(EMAIL_HOST="smtp.example.cn")["EMAIL_USE_TLS"] is True  # port 587


def test_console_mail_when_debug_is_on():
    values = settings_with(DEBUG="true")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["MAIL_CONFIGURED"] is True


def test_csp_report_only_switch():
    values = settings_with(CSP_REPORT_ONLY="true")
    assert values["CSP"] is None and values["CSP_RO"]


# --- sessions --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_session_cookie_lasts_eight_hours(client, staff_user):
    response = client.post("/accounts/login/", {"username": staff_user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 3600
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 3600


@pytest.mark.django_db
def test_password_change_ends_the_other_sessions(staff_user, project):
    office, phone = Client(), Client()
    for browser in (office, phone):
        assert browser.post("/accounts/login/", {"username": staff_user.username,
                                                 "password": PASSWORD}).status_code == 302
        assert browser.get(reverse("home")).status_code == 200
    response = office.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "An0ther-long-passphrase",
        "new_password2": "An0ther-long-passphrase"})
    assert response.status_code == 302
    assert office.get(reverse("home")).status_code == 200  # this session goes on
    response = phone.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
