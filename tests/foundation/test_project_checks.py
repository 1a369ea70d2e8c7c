"""Project-level checks: migrations in sync, production settings pass check --deploy."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def check_deploy(tmp_path, **extra):
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**base, "DEBUG": "0", "SECRET_KEY": "x" * 60 + "-production-secret-key-!@#",
           "ALLOWED_HOSTS": "parkportal.example.cn", "DATABASE_URL": f"sqlite:///{tmp_path}/db",
           **extra}
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                 "SECURE_HSTS_SECONDS"):
        if name not in extra:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_tls_turned_off_explicitly_is_not_a_warning_but_left_weak_is(tmp_path):
    plain_http = {"SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
                  "CSRF_COOKIE_SECURE": "0"}
    result = check_deploy(tmp_path, **plain_http)
    assert result.returncode == 0 and "(3 silenced)" in result.stdout, result.stderr
    # Only an explicit "off" is silenced: a debug server still fails the deploy check.
    result = check_deploy(tmp_path, **plain_http, DEBUG="1")
    assert result.returncode != 0 and "security.W018" in result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "", "PARKPORTAL_ALLOW_DEV_SECRET": "0",
           "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
