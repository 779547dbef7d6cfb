"""A form sent from an out-of-date page (say, after logging in again in another
window) gets a page in the site's own Chinese, not Django's technical one."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_a_form_from_an_expired_page_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    url = reverse("account_login")

    response = client.post(url, {"login": "member@example.com", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html
    assert f'href="{url}"' in html
    assert "DEBUG" not in html
