import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits live in the cache: start each test with none."""
    cache.clear()
    yield
    cache.clear()
