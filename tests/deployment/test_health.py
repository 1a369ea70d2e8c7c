"""`GET /healthz`: 200 with the database up and migrated, 503 otherwise, without a login."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from parkportal import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def unchecked(monkeypatch):
    monkeypatch.setattr(health, "_migrations_checked", False)


def test_ok_without_login(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "applied"}
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_second_call_only_asks_the_database(client, django_assert_num_queries):
    client.get("/healthz")
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def probe(database_url: str) -> tuple[int, dict]:
    """GET /healthz in a fresh process whose DATABASE_URL is `database_url`."""
    code = ("import django, json; django.setup(); from django.test import Client; "
            "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()))")
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE":
           "parkportal.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    status, body = out.strip().splitlines()[-1].split(" ", 1)
    return int(status), json.loads(body)


def test_unmigrated_database_answers_503(tmp_path):
    status, body = probe(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert (status, body["migrations"]) == (503, "pending")


def test_unreachable_database_answers_503():
    status, body = probe("postgres://127.0.0.1:9/parkportal?connect_timeout=2")
    assert (status, body["database"]) == (503, "unreachable")


def test_only_get(client):
    assert client.post("/healthz").status_code == 405
