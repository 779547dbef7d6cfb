import io

import pytest

from dues import demo
from dues.models import DuesPayment
from orglife import demo as orglife_demo
from orglife.models import Attendance, Meeting
from salon import demo as salon_demo
from school.members import demo as members_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_dues_and_meetings_once():
    members_demo.seed(stdout=io.StringIO())
    salon_demo.seed(stdout=io.StringIO())
    for _ in range(2):
        demo.seed(stdout=io.StringIO())
        orglife_demo.seed(stdout=io.StringIO())

    whole_year = DuesPayment.objects.get(member__real_name="张伟")
    assert whole_year.whole_year and whole_year.months == 12
    assert DuesPayment.objects.filter(method="on_behalf").exists()
    assert DuesPayment.objects.count() == 3
    assert Meeting.objects.count() == 3
    assert Attendance.objects.filter(way="nearby").exists()
    assert Attendance.objects.filter(status="leave").exists()
