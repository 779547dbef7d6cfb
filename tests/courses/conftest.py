"""Fixtures most courses tests share: one branch with its organiser and a
study contact. A module that needs another shape defines its own.

``admin_client`` here is the organiser's client, not pytest-django's superuser.
"""

import pytest
from django.test import Client

from tests.courses import factories as f


@pytest.fixture
def branch():
    return f.branch(name="城东党支部")


@pytest.fixture
def organiser(branch):
    return f.organiser(branch)


@pytest.fixture
def admin_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


@pytest.fixture
def contact(branch):
    return f.member(branch, name="王联系")
