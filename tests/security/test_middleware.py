"""Request-size limits before the body is read (parkportal.middleware)."""

import socket

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anybody reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declared(client, path, length, content_type="multipart/form-data; boundary=x"):
    return client.generic("POST", path, b"", content_type=content_type,
                          CONTENT_LENGTH=str(length), **{"wsgi.input": Unreadable()})


def test_oversized_request_refused_before_reading(client, admin_user, settings):
    client.force_login(admin_user)
    response = post_declared(client, reverse("imports:upload"),
                             settings.REQUEST_MAX_BODY_BYTES + 1)
    assert response.status_code == 413
    assert "MB" in response.content.decode()


def test_anonymous_upload_refused_before_reading(client):
    # Only a CSRF cookie, no session: the audit's 200 MB upload.
    client.get("/accounts/login/")
    response = post_declared(client, reverse("imports:upload"), 1024 * 1024)
    assert response.status_code == 403
    response = post_declared(client, "/accounts/login/", 100_000)
    assert response.status_code == 403
    assert "请先登录" in response.content.decode()


def test_anonymous_body_of_unknown_length_refused(client):
    response = client.generic("POST", "/accounts/login/", b"", content_type="text/plain",
                              HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH="",
                              **{"wsgi.input": Unreadable()})
    assert response.status_code == 403


def test_small_anonymous_forms_still_work(client, staff_user):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": staff_user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302


def test_signed_in_upload_within_the_limit_is_read(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("imports:upload"), {"file": ""})
    assert response.status_code == 400  # the form's own answer: the body was read


@pytest.mark.django_db(transaction=True)
def test_live_server_answers_413_without_waiting_for_the_body(live_server, settings):
    """Over a real socket: headers announce 200 MB, no body is sent, the answer still comes."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(("POST /enterprises/import/ HTTP/1.1\r\nHost: localhost\r\n"
                      "Content-Type: multipart/form-data; boundary=x\r\n"
                      f"Content-Length: {200 * 1024 * 1024}\r\n\r\n").encode())
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:100]
