"""The rules of care visits: who may write, and what is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from care import services
from care.models import CareVisit, NewYearStay
from tests.courses import pairing_factories as pf
from tests.members import factories

from . import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a = factories.branch(name="甲党支部", code="A")
    b = factories.branch(name="乙党支部", code="B")
    member = factories.member(a, real_name="甲党员")
    contact = factories.member(a, real_name="甲联系人")
    pf.pair(contact, member)
    return {
        "a": a,
        "b": b,
        "member": member,
        "contact": contact.user,
        "organiser": factories.organiser(a),
        "organiser_b": factories.organiser(b),
        "peer": factories.member(a, real_name="甲同志").user,
    }


def test_a_contact_records_a_visit_to_their_member(world):
    visit = cf.visit(world["member"], world["contact"], still_open="还需联系社区")
    assert visit.recorded_as == CareVisit.Role.CONTACT
    assert visit.still_open == "还需联系社区" and not visit.closed


def test_an_organiser_records_a_visit_to_a_member_of_their_branch(world):
    visit = cf.visit(world["member"], world["organiser"], way="call")
    assert visit.recorded_as == CareVisit.Role.ORGANISER


@pytest.mark.parametrize("who", ["organiser_b", "peer"])
def test_nobody_else_may_record_a_visit(world, who):
    with pytest.raises(ValidationError) as error:
        cf.visit(world["member"], world[who])
    assert "不是您结对的党员" in str(error.value)
    assert not CareVisit.objects.exists()


def test_a_future_date_is_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        cf.visit(world["member"], world["contact"], visited_on=tomorrow)
    assert "日期不能晚于今天" in str(error.value)
    assert not CareVisit.objects.exists()


def test_what_was_done_must_be_said(world):
    with pytest.raises(ValidationError) as error:
        cf.visit(world["member"], world["contact"], done="   ")
    assert "请写明走访或电话中做了什么" in str(error.value)


def test_an_ended_pairing_no_longer_lets_the_contact_write(world):
    from courses.models import Pairing

    Pairing.objects.update(ended_on=timezone.localdate())
    with pytest.raises(ValidationError):
        cf.visit(world["member"], world["contact"])


def test_a_contact_closes_their_own_visit_but_not_the_organisers(world):
    own = cf.visit(world["member"], world["contact"])
    services.care_visit_close(visit=own, by=world["contact"])
    own.refresh_from_db()
    assert own.closed
    theirs = cf.visit(world["member"], world["organiser"])
    with pytest.raises(ValidationError):
        services.care_visit_close(visit=theirs, by=world["contact"])
    theirs.refresh_from_db()
    assert not theirs.closed


def test_an_update_cannot_move_a_visit_to_another_branch(world):
    visit = cf.visit(world["member"], world["organiser"])
    other = factories.member(world["b"], real_name="乙党员")
    with pytest.raises(ValidationError):
        services.care_visit_update(
            visit=visit,
            by=world["organiser"],
            member=other,
            visited_on=visit.visited_on,
            way="visit",
            reason="hardship",
            done="改",
        )
    visit.refresh_from_db()
    assert visit.member == world["member"] and visit.done != "改"


def test_the_new_year_mark_is_once_per_member_and_year(world):
    year = 2027
    monkey_today = datetime.date(2026, 12, 7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *a, **k: monkey_today)
        first = cf.stay(world["member"], world["contact"], year)
        again = cf.stay(world["member"], world["organiser"], year)
        assert first == again and NewYearStay.objects.count() == 1
        with pytest.raises(ValidationError) as error:
            cf.stay(world["member"], world["contact"], 2026)
        assert "已经过去" in str(error.value)
        with pytest.raises(ValidationError):
            cf.stay(world["member"], world["organiser_b"], year)
        services.new_year_stay_unmark(
            member=world["member"], festival_year=year, by=world["contact"]
        )
    assert not NewYearStay.objects.exists()
