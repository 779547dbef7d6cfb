"""Salon rules: seats, the waiting list, check-in and the organisers' e-mail.

Seats are counted on the salon row (`SalonPage.taken`). A seat is taken by a
conditional UPDATE that succeeds only while one is left, so concurrent sign-ups
never overbook; every path that looks at the waiting list (joining it,
cancelling, promoting, walk-ins) first locks the salon row, so a freed seat
always goes to the first in line. On SQLite the row lock is a no-op, but
IMMEDIATE transactions serialise writers there (settings.DATABASES).
"""

import datetime
import logging

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.services import study_record_add_offline
from school import pagecache
from school.members.models import MemberProfile
from school.notices.services import notify, notify_many
from school.site import absolute_url

from .models import (
    Registration,
    SalonPage,
    TopicSuggestion,
    quarter_label,
    quarters_after,
    shift_by_quarters,
)

logger = logging.getLogger(__name__)

CHECK_IN_SALT = "salon.check-in"

Status = Registration.Status


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _take_seat(salon_id: int) -> bool:
    """Take one seat if one is left; False when the salon is full."""
    taken = bool(
        SalonPage.objects.filter(pk=salon_id, taken__lt=F("capacity")).update(
            taken=F("taken") + 1
        )
    )
    if taken:
        # Seats left show on the salon's page, the index and the home page.
        pagecache.clear()
    return taken


def _lock_salon(salon_id: int) -> SalonPage:
    return (
        SalonPage.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=salon_id)
    )


def _require_organiser(salon: SalonPage, user) -> None:
    if not salon.is_organised_by(user):
        raise PermissionDenied(_("Only the salon's organisers may do this."))


def registration_create(*, salon: SalonPage, user) -> Registration:
    """Give a confirmed member a seat while one is left, else a waiting-list place."""
    member = user.confirmed_profile if user.is_authenticated else None
    if member is None:
        raise ValidationError(
            _("Only members whose branch has confirmed their profile can sign up."),
            code="not_confirmed",
        )
    with transaction.atomic():
        salon = SalonPage.objects.get(pk=salon.pk)
        now = timezone.now()
        if now >= salon.starts_at:
            raise ValidationError(_("This salon has already taken place."), code="past")
        if now < salon.signup_opens_at:
            raise ValidationError(
                _("Sign-up opens at %(time)s.")
                % {"time": _local(salon.signup_opens_at)},
                code="not_open",
            )
        if now >= salon.signup_closes_at:
            raise ValidationError(
                _("Sign-up for this salon has closed."), code="closed"
            )
        if Registration.objects.active().filter(salon=salon, member=member).exists():
            raise ValidationError(
                _("You are already signed up for this salon."), code="duplicate"
            )
        if _take_seat(salon.pk):
            status = Status.CONFIRMED
        else:
            if not salon.waiting_list:
                raise ValidationError(_("All seats are taken."), code="full")
            # A cancellation may have freed a seat since the update above: look
            # again under the salon lock that cancellations also take.
            _lock_salon(salon.pk)
            status = Status.CONFIRMED if _take_seat(salon.pk) else Status.WAITING
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    salon=salon,
                    member=member,
                    status=status,
                    queued_at=now,
                    confirmed_at=now if status == Status.CONFIRMED else None,
                )
        except IntegrityError:
            # The same member signing up twice at once: the unique constraint
            # keeps one; this transaction (and its seat) rolls back.
            raise ValidationError(
                _("You are already signed up for this salon."), code="duplicate"
            ) from None


def registration_cancel(*, registration: Registration, user) -> Registration:
    """Give up a seat or a waiting-list place before the salon starts.

    A freed seat goes at once to the first on the waiting list, who is told
    (school.notices).
    """
    with transaction.atomic():
        salon = _lock_salon(registration.salon_id)
        registration = Registration.objects.select_related("member").get(
            pk=registration.pk
        )
        if registration.member.user_id != user.pk:
            raise PermissionDenied
        if registration.status == Status.CANCELLED:
            raise ValidationError(
                _("This registration is already cancelled."), code="cancelled"
            )
        if timezone.now() >= salon.starts_at:
            raise ValidationError(
                _(
                    "The salon has started: "
                    "the registration can no longer be cancelled."
                ),
                code="started",
            )
        if registration.checked_in_at is not None:
            raise ValidationError(
                _("You are checked in: the registration can no longer be cancelled."),
                code="checked_in",
            )
        was_confirmed = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            promoted = _waiting_in_order(salon).first()
            if promoted is None:
                SalonPage.objects.filter(pk=salon.pk).update(taken=F("taken") - 1)
                pagecache.clear()
            else:
                _promote(promoted, salon)
        return registration


def _waiting_in_order(salon: SalonPage):
    return (
        Registration.objects.filter(salon_id=salon.pk)
        .waiting_in_order()
        .select_related("member__user")
    )


def _promote(registration: Registration, salon: SalonPage) -> None:
    """Confirm a waiting registration whose seat is already counted as taken."""
    registration.status = Status.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    _tell_promoted(registration, salon)


def salon_fill_from_waiting_list(*, salon: SalonPage) -> int:
    """Seats added to a salon go to the waiting list in order; how many moved up."""
    with transaction.atomic():
        salon = _lock_salon(salon.pk)
        if salon.has_started:
            return 0
        promoted = 0
        for registration in _waiting_in_order(salon):
            if not _take_seat(salon.pk):
                break
            _promote(registration, salon)
            promoted += 1
        return promoted


def _tell_promoted(registration: Registration, salon: SalonPage) -> None:
    """Sent once the promotion commits; the seat shows on the member's page
    whatever becomes of the SMS or e-mail."""
    notify(
        registration.member.user,
        "salon_promoted",
        {
            "member": registration.member,
            "salon": salon,
            "starts_at": timezone.localtime(salon.starts_at),
            "my_salons_url": absolute_url(reverse("salon:my_salons")),
            "url": reverse("salon:my_salons"),
        },
    )


def salon_deletion_refusal(page) -> str | None:
    """Why a page cannot be deleted: it is, or holds, a salon with sign-ups.

    Deleting would take the registrations (and who came) with it; cancelling
    the salon by unpublishing it keeps them and tells the registrants.
    """
    count = Registration.objects.filter(
        salon__in=SalonPage.objects.descendant_of(page, inclusive=True)
    ).count()
    if not count:
        return None
    return _(
        "This salon has %(count)s registrations, so it cannot be deleted. To "
        "call it off, unpublish it instead: everyone signed up is told."
    ) % {"count": count}


def salon_cancelled_notify(*, salon: SalonPage) -> int:
    """Tell everyone with a seat or a waiting place that the salon is off."""
    registrations = (
        salon.registrations.active().select_related("member__user").order_by("pk")
    )
    context = {
        "salon": salon,
        "starts_at": timezone.localtime(salon.starts_at),
        "url": reverse("salon:my_salons"),
    }
    people = [registration.member.user for registration in registrations]
    return len(notify_many(people, "salon_cancelled", context))


def check_in_token(registration: Registration) -> str:
    # No timestamp: the printed or saved code stays valid until it is used.
    return signing.Signer(salt=CHECK_IN_SALT).sign_object(
        {"r": registration.pk, "s": registration.salon_id}
    )


def check_in_url(registration: Registration) -> str:
    return reverse("salon:check_in_link", args=[check_in_token(registration)])


def registration_from_token(token: str) -> Registration:
    """The registration a signed check-in link points to; forged links are refused."""
    try:
        data = signing.Signer(salt=CHECK_IN_SALT).unsign_object(token)
        registration = Registration.objects.select_related(
            "salon", "member", "checked_in_by"
        ).get(pk=data["r"], salon_id=data["s"])
    except (
        signing.BadSignature,
        KeyError,
        TypeError,
        ValueError,
        Registration.DoesNotExist,
    ):
        raise ValidationError(
            _("This check-in link is not valid."), code="invalid_link"
        ) from None
    return registration


def _credit_study(registration: Registration, by):
    """The salon's study hours, as an offline study record of mode "salon"
    dated on the salon's day (a correction made later is still that day's)."""
    salon = registration.salon
    if salon.study_minutes <= 0:
        return None
    return study_record_add_offline(
        member=registration.member,
        date=salon.days[0],
        minutes=salon.study_minutes,
        mode="salon",
        recorded_by=by,
        topic=salon.theme or salon.title,
        note=salon.title,
        # The caller has checked that `by` organises the salon; the member may
        # come from another branch (mobile members join the nearest salon).
        check_permission=False,
    )


def _mark_checked_in(registration: Registration, by) -> None:
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = by
    registration.study_record = _credit_study(registration, by)
    registration.save(update_fields=["checked_in_at", "checked_in_by", "study_record"])


def _day(day) -> str:
    return date_format(day, "DATE_FORMAT")


def check_the_day(salon: SalonPage, *, correction: bool = False) -> None:
    """Members are checked in on the salon's day; afterwards an organiser may
    still record one who came (a correction from the check-in list), never
    before the day (nobody can have come yet)."""
    period = salon.check_in_period
    if period == "before":
        raise ValidationError(
            _(
                "This salon takes place on %(day)s: members can be checked in "
                "only on that day."
            )
            % {"day": _day(salon.days[0])},
            code="not_the_day",
        )
    if period == "after" and not correction:
        raise ValidationError(
            _(
                "This salon took place on %(day)s: check-in at the door has "
                "closed. To record a member who came, use “Record attendance” "
                "on the check-in list."
            )
            % {"day": _day(salon.days[0])},
            code="day_over",
        )


def registration_check_in(
    *, registration: Registration, by, correction: bool = False
) -> Registration:
    """Mark a member with a confirmed seat as present and credit the study
    hours: on the salon's day, or later as a `correction`."""
    with transaction.atomic():
        salon = _lock_salon(registration.salon_id)
        _require_organiser(salon, by)
        check_the_day(salon, correction=correction)
        registration = Registration.objects.select_related("member").get(
            pk=registration.pk
        )
        registration.salon = salon
        if registration.checked_in_at is not None:
            raise ValidationError(
                _("%(name)s was already checked in at %(time)s.")
                % {
                    "name": registration.member.real_name,
                    "time": _local(registration.checked_in_at),
                },
                code="already_checked_in",
            )
        if registration.status != Status.CONFIRMED:
            raise ValidationError(
                _("%(name)s has no confirmed seat (%(status)s).")
                % {
                    "name": registration.member.real_name,
                    "status": registration.get_status_display(),
                },
                code="not_confirmed",
            )
        _mark_checked_in(registration, by)
        return registration


def registration_walk_in(
    *, salon: SalonPage, member: MemberProfile, by, correction: bool = False
) -> Registration:
    """Admit and check in a member who did not register, if a seat is left
    (on the salon's day, or later as a `correction`)."""
    with transaction.atomic():
        salon = _lock_salon(salon.pk)
        _require_organiser(salon, by)
        check_the_day(salon, correction=correction)
        member = MemberProfile.objects.get(pk=member.pk)
        if not member.is_confirmed:
            raise ValidationError(
                _("Only confirmed members can be checked in."), code="not_confirmed"
            )
        registration = (
            Registration.objects.active().filter(salon=salon, member=member).first()
        )
        if registration is not None and registration.status == Status.CONFIRMED:
            registration.salon = salon
            if registration.checked_in_at is not None:
                raise ValidationError(
                    _("%(name)s was already checked in at %(time)s.")
                    % {
                        "name": member.real_name,
                        "time": _local(registration.checked_in_at),
                    },
                    code="already_checked_in",
                )
            _mark_checked_in(registration, by)
            return registration
        if not _take_seat(salon.pk):
            raise ValidationError(_("No seats are left for walk-ins."), code="full")
        now = timezone.now()
        if registration is None:
            registration = Registration(
                salon=salon, member=member, queued_at=now, walk_in=True
            )
        registration.salon = salon
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save()
        _mark_checked_in(registration, by)
        return registration


def registration_check_in_undo(*, registration: Registration, by) -> Registration:
    """Take back a mistaken check-in (on the day or later): the member counts
    as not come and the study hours it credited are withdrawn; a walk-in,
    admitted only for that check-in, gives the seat back."""
    from courses.models import StudyRecord

    with transaction.atomic():
        salon = _lock_salon(registration.salon_id)
        _require_organiser(salon, by)
        registration = Registration.objects.select_related("member").get(
            pk=registration.pk
        )
        registration.salon = salon
        if registration.checked_in_at is None:
            raise ValidationError(
                _("%(name)s is not checked in.")
                % {"name": registration.member.real_name},
                code="not_checked_in",
            )
        if registration.study_record_id:
            StudyRecord.objects.filter(pk=registration.study_record_id).delete()
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.study_record = None
        fields = ["checked_in_at", "checked_in_by", "study_record"]
        if registration.walk_in:
            registration.status = Status.CANCELLED
            registration.cancelled_at = timezone.now()
            fields += ["status", "cancelled_at"]
        registration.save(update_fields=fields)
        if registration.walk_in:
            SalonPage.objects.filter(pk=salon.pk).update(taken=F("taken") - 1)
            pagecache.clear()
        logger.info(
            "Check-in undone: registration %s of salon %s by user %s",
            registration.pk,
            salon.pk,
            by.pk,
        )
        return registration


def salon_changes_notify(*, salon: SalonPage) -> int:
    """Tell everyone with a seat or a waiting place, once, when the salon is
    published with another time, place or online room; how many were told.

    The salon keeps what they were last told (`announced`), compared and
    replaced under the salon's lock: other edits, a second publish of the
    same change, or two publishes at once tell nobody again. The first publish
    only records it; a salon that is over tells nobody.
    """
    with transaction.atomic():
        salon = _lock_salon(salon.pk)
        before, now = salon.announced or {}, salon.time_and_place()
        if before == now:
            return 0
        SalonPage.objects.filter(pk=salon.pk).update(announced=now)
        if not before or not salon.live:
            return 0
        ended_before = datetime.datetime.fromisoformat(before["ends_at"])
        if salon.has_ended and ended_before <= timezone.now():
            return 0
        changed = {name for name, value in now.items() if before.get(name) != value}
        registrations = (
            salon.registrations.active().select_related("member__user").order_by("pk")
        )
        context = {
            "salon": salon,
            "starts_at": timezone.localtime(salon.starts_at),
            "ends_at": timezone.localtime(salon.ends_at),
            "time_changed": bool(changed & {"starts_at", "ends_at"}),
            "place_changed": "place" in changed,
            "room_changed": "online_link" in changed,
            "my_salons_url": absolute_url(reverse("salon:my_salons")),
            "url": reverse("salon:my_salons"),
        }
        people = [registration.member.user for registration in registrations]
        return len(notify_many(people, "salon_changed", context))


# --- Copying a salon to another quarter ----------

COPY_QUARTERS_AHEAD = 8


def salon_free_quarters(*, salon: SalonPage) -> list[tuple[int, int]]:
    """The quarters after the salon's (two years ahead) in which its branch
    has no salon yet: where a copy can go."""
    taken = set(
        SalonPage.objects.filter(branch_id=salon.branch_id).values_list(
            "year", "quarter"
        )
    )
    return [
        pair
        for pair in quarters_after(salon.year, salon.quarter, COPY_QUARTERS_AHEAD)
        if pair not in taken
    ]


def salon_copy(
    *,
    salon: SalonPage,
    year: int,
    quarter: int,
    title: str,
    slug: str,
    user,
    publish: bool = False,
) -> SalonPage:
    """Next quarter's salon from this one: the same page in another quarter
    of the branch, its times moved by whole quarters, no seat taken and no
    registration or suggested topic (those belong to the salon copied).

    A branch has one salon a quarter: a quarter already taken is refused with
    a message, never a server error.
    """
    from wagtail.actions.copy_page import CopyPageAction

    taken_message = _("%(branch)s already has a salon in %(quarter)s.") % {
        "branch": salon.branch.name,
        "quarter": quarter_label(year, quarter),
    }
    if SalonPage.objects.filter(
        branch_id=salon.branch_id, year=year, quarter=quarter
    ).exists():
        raise ValidationError({"quarter": taken_message})
    shift = (year * 4 + quarter) - (salon.year * 4 + salon.quarter)
    times = ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at")
    attrs = {
        "title": title,
        "slug": slug,
        "year": year,
        "quarter": quarter,
        "taken": 0,
        "announced": {},
        **{name: shift_by_quarters(getattr(salon, name), shift) for name in times},
    }
    try:
        with transaction.atomic():
            copy = CopyPageAction(
                page=salon,
                to=salon.get_parent(),
                update_attrs=attrs,
                keep_live=publish and salon.live,
                user=user,
            ).execute()
    except IntegrityError:
        # Another organiser took the quarter between our check and the save.
        raise ValidationError({"quarter": taken_message}) from None
    return copy.specific


def topic_suggestion_create(*, salon: SalonPage, user, text: str) -> TopicSuggestion:
    """A confirmed member proposes a topic or question before the salon starts."""
    member = user.confirmed_profile if user.is_authenticated else None
    if member is None:
        raise ValidationError(
            _(
                "Only members whose branch has confirmed their profile "
                "can suggest topics."
            ),
            code="not_confirmed",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a topic or a question.")})
    if len(text) > 1000:
        raise ValidationError({"text": _("Keep it under 1000 characters.")})
    if timezone.now() >= salon.starts_at:
        raise ValidationError(
            _("The salon has started: topics can no longer be suggested."),
            code="started",
        )
    with transaction.atomic():
        return TopicSuggestion.objects.create(salon=salon, member=member, text=text)


class Group:
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"


def group_choices():
    return [
        (Group.CONFIRMED, _("Confirmed seats")),
        (Group.WAITING, _("Waiting list")),
        (Group.CHECKED_IN, _("Checked in")),
        (Group.NO_SHOW, _("No-shows")),
    ]


def salon_group(*, salon: SalonPage, group: str):
    """Registrations of one group of a salon."""
    registrations = Registration.objects.filter(salon=salon)
    if group == Group.CONFIRMED:
        return registrations.filter(status=Status.CONFIRMED)
    if group == Group.WAITING:
        return registrations.filter(status=Status.WAITING)
    if group == Group.CHECKED_IN:
        return registrations.filter(checked_in_at__isnull=False)
    if group == Group.NO_SHOW:
        return registrations.filter(status=Status.CONFIRMED, checked_in_at__isnull=True)
    raise ValidationError({"group": _("Choose a group.")})


def salon_group_check(*, salon: SalonPage, group: str) -> None:
    """Nobody has missed (未到场) a salon that has not begun."""
    if group == Group.NO_SHOW and not salon.has_started:
        raise ValidationError(
            {
                "group": _(
                    "The salon has not taken place yet: nobody can have missed it."
                )
            },
            code="not_yet",
        )


def salon_group_recipients(*, salon: SalonPage, group: str) -> int:
    """How many members a message to the group would reach."""
    salon_group_check(salon=salon, group=group)
    return salon_group(salon=salon, group=group).values("member_id").distinct().count()


def salon_email_group(
    *, salon: SalonPage, group: str, subject: str, message: str, by
) -> int:
    """Send one group of a salon's members a message, each by their channels
    (always under their notices on the site); the number of members told."""
    _require_organiser(salon, by)
    subject, message = (subject or "").strip(), (message or "").strip()
    salon_group_check(salon=salon, group=group)
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    if not message:
        errors["message"] = _("Write a message.")
    if errors:
        raise ValidationError(errors)
    members = MemberProfile.objects.filter(
        pk__in=salon_group(salon=salon, group=group).values("member_id")
    ).select_related("user")
    notices = notify_many(
        [member.user for member in members],
        "salon_message",
        {"salon": salon, "subject": subject, "message": message, "url": salon.url},
    )
    return len(notices)
