"""Tokens: issued by the command (printed last), stored hashed, refused when bad, revoked or
held by an inactive user; a session never authenticates an API call."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiToken
from api.tokens import hash_token
from tests.api.conftest import bearer

URL = "/api/v1/projects/"


def issue(username: str) -> tuple[str, str]:
    out = StringIO()
    call_command("create_api_token", username, stdout=out)
    return out.getvalue(), out.getvalue().strip().splitlines()[-1]


def test_command_prints_the_token_last_and_stores_only_its_hash(client, leader, project):
    output, token = issue(leader.username)
    assert token.startswith("pp_") and len(token) > 40
    stored = ApiToken.objects.get(user=leader)
    assert stored.key_hash == hash_token(token)
    assert token not in stored.key_hash and stored.prefix == token[:10]
    assert client.get(URL, **bearer(token)).status_code == 200


def test_each_call_issues_a_new_token(leader):
    assert issue(leader.username)[1] != issue(leader.username)[1]
    assert ApiToken.objects.filter(user=leader).count() == 2


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("create_api_token", "nobody", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_command_refuses_a_user_without_a_role(park):
    from tests.conftest import make_user

    make_user("norole", None, park)
    with pytest.raises(CommandError):
        call_command("create_api_token", "norole", stdout=StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("headers", [
    {}, {"HTTP_AUTHORIZATION": "Bearer"}, {"HTTP_AUTHORIZATION": "Bearer pp_wrong"},
    {"HTTP_AUTHORIZATION": "Token pp_wrong"}, {"HTTP_AUTHORIZATION": "Basic bGVhZGVyOng="},
], ids=["none", "empty", "wrong", "other-scheme", "basic"])
def test_missing_or_bad_token_is_401(client, project, headers):
    response = client.get(URL, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "items" not in response.json()


def test_a_session_does_not_authenticate_the_api(client, leader, project):
    client.force_login(leader)
    assert client.get("/dashboard/").status_code == 200
    assert client.get(URL).status_code == 401


def test_revoked_token_and_inactive_user_are_refused(client, leader, project, token_for):
    headers = token_for(leader)
    assert client.get(URL, **headers).status_code == 200
    call_command("revoke_api_tokens", leader.username, stdout=StringIO())
    assert client.get(URL, **headers).status_code == 401
    headers = token_for(leader)
    leader.is_active = False
    leader.save()
    assert client.get(URL, **headers).status_code == 401


def test_revoke_by_prefix_leaves_the_others(client, leader, project):
    first, second = issue(leader.username)[1], issue(leader.username)[1]
    call_command("revoke_api_tokens", leader.username, prefix=first[:10], stdout=StringIO())
    assert client.get(URL, **bearer(first)).status_code == 401
    assert client.get(URL, **bearer(second)).status_code == 200


def test_last_used_is_recorded_at_most_every_few_minutes(client, leader, project, token_for):
    headers = token_for(leader)
    client.get(URL, **headers)
    token = ApiToken.objects.get(user=leader)
    assert token.last_used_at is not None
    earlier = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get(URL, **headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier


def test_no_csrf_token_is_needed_and_writes_are_not_allowed(project, leader, token_for):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    headers = token_for(leader)
    assert client.get(URL, **headers).status_code == 200
    assert client.post(URL, {}, **headers).status_code == 405
    assert client.delete(URL, **headers).status_code == 405
