import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from salon import services
from salon.models import Registration, SalonPage
from school.members.models import MemberProfile
from tests.salon import factories as f

Status = Registration.Status


def sign_up(salon, member):
    return services.registration_create(salon=salon, user=member.user)


def reload(salon):
    return SalonPage.objects.get(pk=salon.pk)


@pytest.mark.django_db
def test_a_confirmed_member_gets_a_seat_while_seats_remain(salon, member):
    registration = sign_up(salon, member)

    assert registration.status == Status.CONFIRMED
    assert reload(salon).taken == 1


@pytest.mark.django_db
def test_when_seats_are_taken_members_wait_in_order():
    salon = f.salon(capacity=1)
    first, second, third = f.member(), f.member(), f.member()

    assert sign_up(salon, first).status == Status.CONFIRMED
    waiting = [sign_up(salon, second), sign_up(salon, third)]

    assert [r.status for r in waiting] == [Status.WAITING, Status.WAITING]
    assert [r.waiting_position() for r in waiting] == [1, 2]
    assert reload(salon).taken == 1


@pytest.mark.django_db
def test_without_a_waiting_list_a_full_salon_refuses():
    salon = f.salon(capacity=1, waiting_list=False)
    sign_up(salon, f.member())

    with pytest.raises(ValidationError, match="名额已满"):
        sign_up(salon, f.member())
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_signing_up_twice_is_refused(salon, member):
    sign_up(salon, member)

    with pytest.raises(ValidationError, match="已经报名"):
        sign_up(salon, member)
    assert Registration.objects.count() == 1
    assert reload(salon).taken == 1


@pytest.mark.django_db
def test_signing_up_before_opening_is_refused(member):
    salon = f.salon(
        signup_opens_at=timezone.now() + datetime.timedelta(hours=5),
    )
    with pytest.raises(ValidationError, match="报名将于"):
        sign_up(salon, member)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_signing_up_after_closing_is_refused(member):
    now = timezone.now()
    salon = f.salon(
        signup_opens_at=now - datetime.timedelta(days=2),
        signup_closes_at=now - datetime.timedelta(minutes=1),
    )
    with pytest.raises(ValidationError, match="报名已截止"):
        sign_up(salon, member)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_signing_up_for_a_past_salon_is_refused(member):
    now = timezone.now()
    salon = f.salon(
        starts_at=now - datetime.timedelta(hours=3),
        signup_opens_at=now - datetime.timedelta(days=9),
        signup_closes_at=now - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="已经举办"):
        sign_up(salon, member)
    assert not Registration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [MemberProfile.Status.PENDING, MemberProfile.Status.REJECTED]
)
def test_signing_up_without_a_confirmed_profile_is_refused(salon, status):
    pending = f.member(status=status)
    with pytest.raises(ValidationError, match="确认"):
        sign_up(salon, pending)
    with pytest.raises(ValidationError, match="确认"):
        services.registration_create(salon=salon, user=f.user())
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_one_active_registration_per_member_is_a_database_rule(salon, member):
    Registration.objects.create(salon=salon, member=member, status=Status.CANCELLED)
    Registration.objects.create(salon=salon, member=member, status=Status.CONFIRMED)
    with pytest.raises(IntegrityError):
        Registration.objects.create(salon=salon, member=member, status=Status.WAITING)


@pytest.mark.django_db
def test_seats_taken_cannot_exceed_capacity_in_the_database(salon):
    with pytest.raises(IntegrityError):
        SalonPage.objects.filter(pk=salon.pk).update(taken=salon.capacity + 1)


@pytest.mark.django_db
def test_one_salon_per_quarter_per_branch():
    salon = f.salon()
    with pytest.raises(ValidationError, match="该季度已有"):
        f.salon(the_branch=salon.branch, starts_at=salon.starts_at)
    f.salon(starts_at=salon.starts_at)  # another branch may


@pytest.mark.django_db
def test_a_cancelled_seat_goes_to_the_first_waiting_with_an_email(
    django_capture_on_commit_callbacks,
):
    salon = f.salon(capacity=1)
    first = sign_up(salon, f.member())
    second = sign_up(salon, f.member(real_name="李四"))
    third = sign_up(salon, f.member())

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, user=first.member.user)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.CONFIRMED
    assert third.waiting_position() == 1
    assert reload(salon).taken == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [second.member.user.email]
    assert "李四" in mail.outbox[0].body
    assert salon.title in mail.outbox[0].body


@pytest.mark.django_db
def test_cancelling_without_a_waiting_list_frees_the_seat(salon, member):
    registration = sign_up(salon, member)
    services.registration_cancel(registration=registration, user=member.user)

    assert reload(salon).taken == 0
    # Signing up again after cancelling is allowed.
    assert sign_up(salon, member).status == Status.CONFIRMED


@pytest.mark.django_db
def test_leaving_the_waiting_list_keeps_the_seats():
    salon = f.salon(capacity=1)
    sign_up(salon, f.member())
    waiting = sign_up(salon, f.member())

    services.registration_cancel(registration=waiting, user=waiting.member.user)

    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED
    assert reload(salon).taken == 1


@pytest.mark.django_db
def test_cancelling_after_the_start_is_refused(salon, member):
    registration = sign_up(salon, member)
    SalonPage.objects.filter(pk=salon.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="已开始"):
        services.registration_cancel(registration=registration, user=member.user)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


@pytest.mark.django_db
def test_only_the_member_can_cancel_their_registration(salon, member):
    registration = sign_up(salon, member)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, user=f.user())


@pytest.mark.django_db
def test_an_organiser_checks_in_a_confirmed_member_once(salon, member):
    registration = sign_up(salon, member)
    organiser = f.organiser(salon.branch)
    f.doors_open(salon)

    services.registration_check_in(registration=registration, by=organiser)

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == organiser
    with pytest.raises(ValidationError, match="已于"):
        services.registration_check_in(registration=registration, by=organiser)


@pytest.mark.django_db
def test_organisers_of_a_parent_branch_may_check_in():
    parent = f.branch("市委")
    salon = f.salon(the_branch=f.branch(parent=parent))
    registration = sign_up(salon, f.member())
    f.doors_open(salon)

    services.registration_check_in(registration=registration, by=f.organiser(parent))


@pytest.mark.django_db
def test_a_non_organiser_cannot_check_in(salon, member):
    registration = sign_up(salon, member)
    other = f.organiser(f.branch())

    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=registration, by=other)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=registration, by=member.user)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.django_db
def test_a_waiting_member_cannot_be_checked_in():
    salon = f.salon(capacity=1)
    sign_up(salon, f.member())
    waiting = sign_up(salon, f.member())
    f.doors_open(salon)

    with pytest.raises(ValidationError, match="没有已确认的名额"):
        services.registration_check_in(
            registration=waiting, by=f.organiser(salon.branch)
        )


@pytest.mark.django_db
def test_a_walk_in_takes_a_free_seat_and_is_checked_in(salon):
    organiser = f.organiser(salon.branch)
    walker = f.member()
    f.doors_open(salon)

    registration = services.registration_walk_in(
        salon=salon, member=walker, by=organiser
    )

    assert registration.walk_in
    assert registration.status == Status.CONFIRMED
    assert registration.checked_in_at is not None
    assert reload(salon).taken == 1


@pytest.mark.django_db
def test_no_walk_ins_when_the_seats_are_taken():
    salon = f.salon(capacity=1)
    sign_up(salon, f.member())
    f.doors_open(salon)

    with pytest.raises(ValidationError, match="没有空余名额"):
        services.registration_walk_in(
            salon=salon, member=f.member(), by=f.organiser(salon.branch)
        )
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_check_in_tokens_are_signed(salon, member):
    registration = sign_up(salon, member)
    token = services.check_in_token(registration)

    assert services.registration_from_token(token) == registration
    for forged in [token[:-2] + "xx", "abc", token.replace(":", ";", 1)]:
        with pytest.raises(ValidationError, match="签到链接无效"):
            services.registration_from_token(forged)


@pytest.mark.django_db
def test_topic_suggestions_need_text_and_a_confirmed_member(salon, member):
    suggestion = services.topic_suggestion_create(
        salon=salon, user=member.user, text="  如何开展线上组织生活？ "
    )
    assert suggestion.text == "如何开展线上组织生活？"
    with pytest.raises(ValidationError):
        services.topic_suggestion_create(salon=salon, user=member.user, text="  ")
    with pytest.raises(ValidationError):
        services.topic_suggestion_create(
            salon=salon,
            user=f.member(status=MemberProfile.Status.PENDING).user,
            text="问题",
        )


@pytest.mark.django_db
def test_group_email_goes_to_the_chosen_group_only(
    django_capture_on_commit_callbacks,
):
    salon = f.salon(capacity=2)
    came, absent = sign_up(salon, f.member()), sign_up(salon, f.member())
    waiting = sign_up(salon, f.member())
    organiser = f.organiser(salon.branch)

    def send(group):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.salon_email_group(
                salon=salon, group=group, subject="资料", message="附件", by=organiser
            )
        return [m.to[0] for m in mail.outbox]

    with pytest.raises(ValidationError):
        send("no_show")  # before the salon has taken place
    f.doors_open(salon)
    services.registration_check_in(registration=came, by=organiser)
    assert send("checked_in") == [came.member.user.email]
    assert send("no_show") == [absent.member.user.email]
    assert send("waiting") == [waiting.member.user.email]
    assert sorted(send("confirmed")) == sorted(
        [came.member.user.email, absent.member.user.email]
    )
    with pytest.raises(PermissionDenied):
        services.salon_email_group(
            salon=salon, group="confirmed", subject="s", message="m", by=f.user()
        )


@pytest.mark.django_db
def test_an_editor_saving_the_page_keeps_the_live_seat_count(salon, member):
    stale = salon.get_latest_revision_as_object()
    sign_up(salon, member)

    stale.capacity = 12
    stale.save_revision().publish()

    salon = reload(salon)
    assert salon.capacity == 12
    assert salon.taken == 1


@pytest.mark.django_db
def test_check_in_credits_the_salons_study_hours_as_a_salon_record(member):
    from courses.models import StudyRecord

    salon = f.salon(study_hours=Decimal("2.5"))
    registration = sign_up(salon, member)
    f.doors_open(salon)

    services.registration_check_in(
        registration=registration, by=f.organiser(salon.branch)
    )

    record = StudyRecord.objects.get(member=member)
    assert record.mode == "salon"
    assert record.seconds == 150 * 60
    assert record.date <= timezone.localdate()


@pytest.mark.django_db
def test_walk_ins_are_credited_too():
    from courses.models import StudyRecord

    salon = f.doors_open(f.salon())
    walker = f.member()
    services.registration_walk_in(
        salon=salon, member=walker, by=f.organiser(salon.branch)
    )
    assert StudyRecord.objects.filter(member=walker, mode="salon").count() == 1


@pytest.mark.django_db
def test_a_refused_credit_leaves_the_member_unchecked(salon, member, monkeypatch):
    registration = sign_up(salon, member)
    f.doors_open(salon)

    def refuse(**kwargs):
        raise ValidationError({"date": "no"})

    monkeypatch.setattr(services, "study_record_add_offline", refuse)
    with pytest.raises(ValidationError):
        services.registration_check_in(
            registration=registration, by=f.organiser(salon.branch)
        )
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.django_db
def test_a_checked_in_member_cannot_cancel(salon, member, monkeypatch):
    registration = sign_up(salon, member)
    f.the_day_before_it_starts(monkeypatch)
    services.registration_check_in(
        registration=registration, by=f.organiser(salon.branch)
    )
    with pytest.raises(ValidationError, match="已签到"):
        services.registration_cancel(registration=registration, user=member.user)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert reload(salon).taken == 1


@pytest.mark.django_db
def test_seats_added_by_publishing_go_to_the_waiting_list_in_order(
    django_capture_on_commit_callbacks,
):
    salon = f.salon(capacity=1)
    sign_up(salon, f.member())
    first = sign_up(salon, f.member(real_name="李四"))
    second = sign_up(salon, f.member(real_name="王五"))
    third = sign_up(salon, f.member())

    page = reload(salon).get_latest_revision_as_object()
    page.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    for registration in (first, second, third):
        registration.refresh_from_db()
    assert [first.status, second.status] == [Status.CONFIRMED, Status.CONFIRMED]
    assert third.waiting_position() == 1
    assert reload(salon).taken == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.member.user.email, second.member.user.email]
    )
