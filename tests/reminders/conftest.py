import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """The navbar's unread count is cached per user id; ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()
