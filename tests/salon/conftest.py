import pytest

from tests.salon import factories as f


@pytest.fixture
def salon(db):
    return f.salon()


@pytest.fixture
def member(db):
    return f.member()
