"""Schema-driven: schemathesis generates requests from the API's OpenAPI schema and checks
every answer against it (status codes, content types, bodies, headers, auth) — in process,
through the WSGI application, no network."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from api.api import api
from api.services import create_token

# The schema /api/v1/openapi.json serves (tests/api/test_resources.py reads it over HTTP).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def auth_headers(leader, project, reports, enterprise, other_park):
    """A leader's token over a park with projects, plans, reports of each status and an
    enterprise with personal data. As Django's test client does, the handler must not close
    the test's database connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {create_token(user=leader)[1]}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_conforms_to_its_schema(case, auth_headers):
    # Every other check runs (server errors, status codes, content types, bodies, headers,
    # auth ignored). Not "schema-violating request rejected": unknown query parameters are
    # ignored, as HTTP APIs commonly do, and the token given here would make a case meant to
    # lack it look accepted. test_tokens and test_resources check the refusals one by one.
    case.call_and_validate(headers=auth_headers, excluded_checks=[negative_data_rejection])
