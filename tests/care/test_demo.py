"""seed_demo's care visits: a few visits, and 张伟 marked as not going home
for the coming Spring Festival and not visited, on the organiser's list."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from care import demo as care_demo
from care.models import CareVisit, NewYearStay
from care.spring_festival import coming_festival_year
from tests.factories import demo_seeded


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("seed-media")
    with demo_seeded(django_db_blocker, media_root) as seeded:
        yield seeded


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_demo_has_visits_and_a_member_not_visited_yet(demo, client):
    assert CareVisit.objects.filter(reason="illness", closed=True).exists()
    assert CareVisit.objects.filter(reason="rights", closed=False).exists()
    year = coming_festival_year(timezone.localdate())
    assert NewYearStay.objects.filter(festival_year=year).count() == 2
    assert client.login(email="organiser@example.com", password="demo-organiser-2026")
    page = client.get("/admin/care/not-visited/").content.decode()
    assert "张伟" in page


def test_second_run_changes_nothing(demo):
    counts = (CareVisit.objects.count(), NewYearStay.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    care_demo.seed(stdout=io.StringIO())
    assert (CareVisit.objects.count(), NewYearStay.objects.count()) == counts == (3, 2)
