"""Login throttling (django-axes, its real backend and middleware), unlocking, password reset
throttling and its honesty about mail (parkportal.auth, parkportal.accounts)."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def fail(client, username, times, **extra):
    for _i in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong-password"},
                               **extra)
    return response


def test_right_password_refused_after_ten_failures(client, staff_user, settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    response = fail(client, staff_user.username, 9)
    assert response.status_code == 200  # the form again, not yet locked
    response = fail(client, staff_user.username, 1)
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": staff_user.username, "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已锁定" in page and "15" in page  # the Chinese lock-out page, minutes shown
    assert "_auth_user_id" not in client.session


def test_nine_failures_then_the_right_password_works_and_resets(client, staff_user):
    fail(client, staff_user.username, 9)
    response = client.post(LOGIN, {"username": staff_user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=staff_user.username).exists()


def test_locked_by_address_across_usernames(client, staff_user, leader):
    for i in range(10):
        client.post(LOGIN, {"username": f"guess{i}", "password": "x"},
                    REMOTE_ADDR="203.0.113.7")
    response = client.post(LOGIN, {"username": leader.username, "password": PASSWORD},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    # Another address is not locked.
    response = client.post(LOGIN, {"username": leader.username, "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302


def test_locked_by_username_across_addresses(client, staff_user):
    for i in range(10):
        client.post(LOGIN, {"username": staff_user.username, "password": "x"},
                    REMOTE_ADDR=f"203.0.113.{i + 1}")
    response = client.post(LOGIN, {"username": staff_user.username, "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429


def test_behind_proxy_the_last_forwarded_address_counts(client, staff_user, settings):
    settings.BEHIND_PROXY = True
    for _i in range(10):
        client.post(LOGIN, {"username": "nobody", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50")
    # The same proxy, another client: not locked (REMOTE_ADDR alone would lock everybody).
    response = client.post(LOGIN, {"username": staff_user.username, "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(ip_address="203.0.113.50").exists()


def test_admin_login_is_throttled_too(client, admin_user):
    url = reverse("admin:login")
    for _i in range(10):
        client.post(url, {"username": admin_user.username, "password": "x"})
    response = client.post(url, {"username": admin_user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_and_lockouts_are_logged(client, staff_user, caplog):
    with caplog.at_level(logging.INFO, logger="axes"):
        fail(client, staff_user.username, 10)
    failures = [r for r in caplog.records if "login failure by" in r.getMessage()]
    assert len(failures) == 10 and all(r.levelno == logging.WARNING for r in failures)
    assert any("locking out" in r.getMessage().lower() for r in caplog.records)


def test_an_admin_unlocks_a_user(client, staff_user, superuser, admin_user):
    fail(client, staff_user.username, 10)
    attempt = AccessAttempt.objects.get(username=staff_user.username)
    # The park admin (not a superuser) may delete the lock in the Django admin.
    assert admin_user.has_perm("axes.delete_accessattempt")
    client.force_login(admin_user)
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    response = client.post(LOGIN, {"username": staff_user.username, "password": PASSWORD})
    assert response.status_code == 302


# --- password reset ------------------------------------------------------------------------

RESET = "/accounts/password_reset/"


def test_password_reset_says_when_mail_is_not_configured(client, staff_user, settings):
    settings.MAIL_CONFIGURED = False
    staff_user.email = "staff@example.com"
    staff_user.save()
    page = client.get(RESET).content.decode()
    assert "无法发送电子邮件" in page
    response = client.post(RESET, {"email": "staff@example.com"})
    assert response.status_code == 503
    assert len(mail.outbox) == 0
    assert "无法发送电子邮件" in response.content.decode()


def test_password_reset_sends_when_mail_is_configured(client, staff_user, settings):
    settings.MAIL_CONFIGURED = True
    staff_user.email = "staff@example.com"
    staff_user.save()
    response = client.post(RESET, {"email": "staff@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@example.com"]


def test_password_reset_is_throttled(client, staff_user, settings):
    settings.MAIL_CONFIGURED = True
    settings.PASSWORD_RESET_LIMIT = 3
    from django.core.cache import cache
    cache.clear()
    for _i in range(3):
        assert client.post(RESET, {"email": "a@example.com"}).status_code == 302
    response = client.post(RESET, {"email": "a@example.com"})
    assert response.status_code == 429


def test_password_reset_refused_from_a_locked_address(client, staff_user, settings):
    settings.MAIL_CONFIGURED = True
    fail(client, "someone", 10, REMOTE_ADDR="203.0.113.9")
    response = client.post(RESET, {"email": "a@example.com"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
