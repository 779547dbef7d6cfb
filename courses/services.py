"""Study rules in one place: crediting online study, recording offline study,
confirming declarations, completing lessons and announcing study plans.

Views, the Wagtail admin, management commands and other apps (the salon's
check-in, pairings) call these functions; none of them writes study data itself.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from school.members import scope
from school.members.models import MemberProfile
from school.notices.services import notify_many

from . import selectors
from .models import (
    MAX_SECONDS_PER_DAY,
    LessonPage,
    LessonProgress,
    OfflineStudy,
    Pairing,
    StudyPlan,
    StudyRecord,
)

MIN_REFLECTION_LENGTH = 15


# --- Who may record or confirm study for whom ----------


def can_record_for(user, member: MemberProfile) -> bool:
    """Whether `user` may record or confirm offline study for `member`.

    Organisers may for the members of their branches (sub-branches included).
    The pairings of issue 5 extend this rule: a member's active study contact
    may too. Keep every such rule here so that views and services agree.
    """
    if user is None or not user.is_authenticated:
        return False
    if scope.can_see(user, member):
        return True
    return Pairing.objects.of_contact_user(user).filter(member=member).exists()


def members_recordable_by(user):
    """Confirmed members `user` may record study for: the members of the
    branches they organise and the members they are the active contact of."""
    paired = Pairing.objects.of_contact_user(user).values("member_id")
    return MemberProfile.objects.confirmed().filter(
        Q(pk__in=MemberProfile.objects.visible_to(user)) | Q(pk__in=paired)
    )


# --- Offline study ----------


def _clean_minutes(minutes) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError(
            {"minutes": _("Enter the minutes as a whole number.")}
        ) from None
    if minutes <= 0:
        raise ValidationError({"minutes": _("The minutes must be more than zero.")})
    if minutes > MAX_SECONDS_PER_DAY // 60:
        raise ValidationError(
            {"minutes": _("Nobody studies more than 24 hours in one day.")}
        )
    return minutes


def _clean_date(date) -> datetime.date:
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": _("Enter a valid date.")})
    if isinstance(date, datetime.datetime):
        date = date.date()
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    return date


def _clean_lessons(lessons) -> list[LessonPage]:
    lessons = list(lessons or ())
    ids = [getattr(lesson, "pk", lesson) for lesson in lessons]
    found = list(LessonPage.objects.live().filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"lessons": _("Choose published lessons only.")})
    return found


def _day_seconds_left(member: MemberProfile, date) -> int:
    """Seconds still creditable to a member on a day; pending declarations are
    reserved too so that confirming them cannot exceed the day."""
    used = (
        StudyRecord.objects.filter(member=member, date=date)
        .exclude(status=StudyRecord.Status.REJECTED)
        .aggregate(total=Sum("seconds"))["total"]
        or 0
    )
    return MAX_SECONDS_PER_DAY - used


def _lock_member(member: MemberProfile) -> MemberProfile:
    # Serialises writers for one member so the 24-hour rule holds under
    # concurrent saves (PostgreSQL; SQLite's IMMEDIATE transactions already do).
    return MemberProfile.objects.select_for_update().get(pk=member.pk)


def _check_day(member: MemberProfile, date, seconds: int) -> None:
    left = _day_seconds_left(member, date)
    if seconds > left:
        raise ValidationError(
            {
                "minutes": _(
                    "%(name)s would have more than 24 hours of study on "
                    "%(date)s (%(left)s minutes left that day)."
                )
                % {"name": member.real_name, "date": date, "left": max(left, 0) // 60}
            }
        )


def _mark_lessons_done(member: MemberProfile, lessons: list[LessonPage], when):
    """Lessons studied offline count as done for the member's study plan."""
    if not lessons:
        return
    existing = set(
        LessonProgress.objects.filter(member=member, lesson__in=lessons).values_list(
            "lesson_id", flat=True
        )
    )
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(member=member, lesson=lesson, updated_at=when)
            for lesson in lessons
            if lesson.pk not in existing
        ],
        ignore_conflicts=True,
    )
    LessonProgress.objects.filter(
        member=member, lesson__in=lessons, completed_at__isnull=True
    ).update(completed_at=when, completed_offline=True, updated_at=when)


def _validate_offline(
    *, member, date, minutes, mode, recorded_by, topic, lessons, modes, check
):
    errors = {}
    cleaned = {}
    for key, fn, value in (
        ("minutes", _clean_minutes, minutes),
        ("date", _clean_date, date),
        ("lessons", _clean_lessons, lessons),
    ):
        try:
            cleaned[key] = fn(value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if mode not in modes:
        errors["mode"] = [_("Choose a valid mode of study.")]
    if (
        not (topic or "").strip()
        and not cleaned.get("lessons")
        and "lessons" not in errors
    ):
        errors["topic"] = [_("Give the lessons studied or a topic.")]
    if member is None or not member.is_confirmed:
        errors["member"] = [_("Only confirmed members of a branch can be credited.")]
    elif check and not can_record_for(recorded_by, member):
        errors["member"] = [
            _("%(name)s is not a member of a branch you organise.")
            % {"name": member.real_name}
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned["date"], cleaned["minutes"], cleaned["lessons"]


def study_record_add_offline(
    *,
    member: MemberProfile,
    date: datetime.date,
    minutes: int,
    mode: str,
    recorded_by,
    topic: str = "",
    lessons: Iterable = (),
    note: str = "",
    check_permission: bool = True,
) -> StudyRecord:
    """Credit offline study to a member, recorded (and so confirmed) by an
    organiser, a study contact or a salon check-in.

    Refuses future dates, zero minutes, more than 24 hours in the member's day,
    unconfirmed members and members outside the recorder's branches. Callers
    that have already checked the recorder's right (the salon's check-in for
    the salon's organisers) may pass `check_permission=False`.
    """
    modes = (*StudyRecord.RECORDABLE_MODES, StudyRecord.Mode.SALON)
    date, minutes, lessons = _validate_offline(
        member=member,
        date=date,
        minutes=minutes,
        mode=mode,
        recorded_by=recorded_by,
        topic=topic,
        lessons=lessons,
        modes=modes,
        check=check_permission,
    )
    with transaction.atomic():
        member = _lock_member(member)
        _check_day(member, date, minutes * 60)
        return _create_offline(
            member=member,
            date=date,
            minutes=minutes,
            mode=mode,
            recorded_by=recorded_by,
            topic=topic,
            lessons=lessons,
            note=note,
        )


def _create_offline(*, member, date, minutes, mode, recorded_by, topic, lessons, note):
    now = timezone.now()
    record = StudyRecord.objects.create(
        member=member,
        date=date,
        seconds=minutes * 60,
        source=StudyRecord.Source.OFFLINE,
        mode=mode,
        status=StudyRecord.Status.CONFIRMED,
        topic=(topic or "").strip(),
        note=note or "",
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        confirmed_by=recorded_by if getattr(recorded_by, "pk", None) else None,
        confirmed_at=now,
    )
    if lessons:
        record.lessons.set(lessons)
        _mark_lessons_done(member, lessons, now)
    return record


def study_record_add_group(
    *,
    members: Iterable[MemberProfile],
    date: datetime.date,
    minutes: int,
    mode: str,
    recorded_by,
    topic: str = "",
    lessons: Iterable = (),
    note: str = "",
) -> list[StudyRecord]:
    """Credit one session to everyone present: all of them or, if any one is
    refused, none of them."""
    members = list(members)
    if not members:
        raise ValidationError({"members": _("Tick at least one member present.")})
    lessons = list(lessons or ())
    refused = [m.real_name for m in members if not can_record_for(recorded_by, m)]
    if refused:
        raise ValidationError(
            {
                "members": _("Not members of a branch you organise: %(names)s.")
                % {"names": "、".join(refused)}
            }
        )
    records = []
    with transaction.atomic():
        for member in members:
            records.append(
                study_record_add_offline(
                    member=member,
                    date=date,
                    minutes=minutes,
                    mode=mode,
                    recorded_by=recorded_by,
                    topic=topic,
                    lessons=lessons,
                    note=note,
                )
            )
    return records


def study_record_declare(
    *,
    member: MemberProfile,
    date: datetime.date,
    minutes: int,
    mode: str,
    topic: str,
    note: str,
    lessons: Iterable = (),
) -> StudyRecord:
    """A member declares their own gap-time, periodic or nearest-branch study;
    it counts once an organiser (or their study contact) confirms it."""
    errors = {}
    if len((note or "").strip()) < MIN_REFLECTION_LENGTH:
        errors["note"] = [_("Write two or three sentences about what you learned.")]
    try:
        date, minutes, lessons = _validate_offline(
            member=member,
            date=date,
            minutes=minutes,
            mode=mode,
            recorded_by=None,
            topic=topic,
            lessons=lessons,
            modes=StudyRecord.DECLARABLE_MODES,
            check=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = _lock_member(member)
        _check_day(member, date, minutes * 60)
        record = StudyRecord.objects.create(
            member=member,
            date=date,
            seconds=minutes * 60,
            source=StudyRecord.Source.OFFLINE,
            mode=mode,
            status=StudyRecord.Status.PENDING,
            topic=(topic or "").strip(),
            note=note.strip(),
            recorded_by=member.user,
        )
        if lessons:
            record.lessons.set(lessons)
    return record


def _pending_for(record: StudyRecord, by) -> StudyRecord:
    record = StudyRecord.objects.select_for_update().get(pk=record.pk)
    if not can_record_for(by, record.member):
        raise ValidationError(_("You may not decide on this member's study."))
    if record.status != StudyRecord.Status.PENDING:
        raise ValidationError(_("This declaration has already been decided."))
    return record


def study_record_confirm(*, record: StudyRecord, by) -> StudyRecord:
    """Confirm a member's declaration: from now on it counts in every total."""
    with transaction.atomic():
        record = _pending_for(record, by)
        record.status = StudyRecord.Status.CONFIRMED
        record.confirmed_by = by
        record.confirmed_at = timezone.now()
        record.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        _mark_lessons_done(record.member, list(record.lessons.all()), timezone.now())
    return record


def study_record_reject(*, record: StudyRecord, by, reason: str) -> StudyRecord:
    """Reject a declaration with a reason the member sees on their study page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"rejection_reason": _("Tell the member why it is rejected.")}
        )
    with transaction.atomic():
        record = _pending_for(record, by)
        record.status = StudyRecord.Status.REJECTED
        record.rejection_reason = reason
        record.confirmed_by = by
        record.confirmed_at = timezone.now()
        record.save(
            update_fields=["status", "rejection_reason", "confirmed_by", "confirmed_at"]
        )
    return record


# --- Online study ----------


@dataclass
class BeatResult:
    accepted: bool
    credited: int
    progress: LessonProgress | None


def beat_interval() -> int:
    return int(settings.SCHOOL_STUDY_BEAT_SECONDS)


def beat_most_seconds() -> int:
    """The most one beat earns: a beat's interval and some slack."""
    return beat_interval() + int(settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS)


def beat_credit(gap: float, *, start: bool = False) -> int | None:
    """Seconds a beat earns `gap` seconds after the previous one, or None for
    a beat too soon to count (it moves no clock): at most one interval and
    slack, and nothing for the pause before a `start` beat."""
    if gap < beat_interval() / 2:
        return None
    if start and gap > beat_most_seconds():
        return 0
    return int(min(gap, beat_most_seconds()))


def lesson_progress_beat(
    *,
    member: MemberProfile,
    lesson: LessonPage,
    start: bool = False,
    now: datetime.datetime | None = None,
) -> BeatResult:
    """Credit the time since the member's previous accepted beat on a lesson.

    The server alone measures time: a beat earns `min(now - last accepted
    beat, interval + slack)`, a beat sooner than half an interval earns nothing
    and moves no clock, and a lesson never earns more than its cap. All tabs of
    a member share one clock per lesson, moved by a conditional UPDATE, so
    concurrent beats are credited once. A `start` beat (page opened or shown
    again) only restarts the clock after a pause; it never earns the pause.
    """
    now = now or timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        member=member, lesson=lesson
    )
    last = progress.last_beat_at
    credit = 0
    if last is not None:
        credit = beat_credit((now - last).total_seconds(), start=start)
        if credit is None:
            return BeatResult(False, 0, progress)
    credit = max(0, min(credit, lesson.cap_seconds - progress.credited_seconds))

    with transaction.atomic():
        clock = LessonProgress.objects.filter(pk=progress.pk)
        clock = (
            clock.filter(last_beat_at__isnull=True)
            if last is None
            else clock.filter(last_beat_at=last)
        )
        won = clock.update(
            last_beat_at=now,
            credited_seconds=F("credited_seconds") + credit,
            updated_at=now,
        )
        if not won:
            # Another tab's beat moved the clock first: that one is credited.
            return BeatResult(False, 0, progress)
        if credit:
            _add_online_seconds(member, lesson, timezone.localdate(now), credit)
    progress.last_beat_at = now
    progress.credited_seconds += credit
    progress.updated_at = now
    return BeatResult(True, credit, progress)


def _add_online_seconds(member, lesson, date, seconds):
    rows = StudyRecord.objects.filter(
        member=member, lesson=lesson, date=date, source=StudyRecord.Source.ONLINE
    )
    if rows.update(seconds=F("seconds") + seconds):
        return
    try:
        with transaction.atomic():
            StudyRecord.objects.create(
                member=member,
                lesson=lesson,
                date=date,
                seconds=seconds,
                source=StudyRecord.Source.ONLINE,
                mode=StudyRecord.Mode.ONLINE,
                status=StudyRecord.Status.CONFIRMED,
            )
    except IntegrityError:
        rows.update(seconds=F("seconds") + seconds)


def lesson_progress_media_finished(
    *, member: MemberProfile, lesson: LessonPage
) -> LessonProgress:
    """The member's browser says the lesson's audio or video played to its end.

    Taken only when the time the server has credited on the lesson covers the
    media's length, less a slack of one beat (the last beat may not have
    landed yet) but never more than a tenth of the media: a mark sent without
    playing is ignored (`media_finished` stays False), even for a clip shorter
    than one beat, and the page sends it again after its next beat.
    """
    progress, _created = LessonProgress.objects.get_or_create(
        member=member, lesson=lesson
    )
    needed = min(lesson.media_seconds, lesson.cap_seconds)
    slack = min(beat_most_seconds(), needed // 10)
    if progress.credited_seconds + slack < needed:
        return progress
    if lesson.has_media and not progress.media_finished:
        LessonProgress.objects.filter(pk=progress.pk).update(
            media_finished=True, updated_at=timezone.now()
        )
        progress.media_finished = True
    return progress


# --- Study noted offline ----------

OFFLINE_RECORD_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# A phone's clock may run a little ahead of the server's.
OFFLINE_CLOCK_SKEW = datetime.timedelta(minutes=2)


@dataclass
class OfflineResult:
    record_id: str
    # Settled: taken (credited or refused for good); the phone may forget it.
    settled: bool
    credited: int
    progress: LessonProgress | None = None
    refused: str = ""


def offline_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=int(settings.SCHOOL_STUDY_OFFLINE_MAX_AGE_DAYS))


def _offline_moments(values) -> list[datetime.datetime] | None:
    try:
        moments = sorted({int(value) for value in values})
    except (TypeError, ValueError):
        return None
    try:
        return [
            datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)
            for ms in moments
        ]
    except (OverflowError, OSError, ValueError):
        return None


def _offline_refusal(*, member, lesson, issued_at, beats, now) -> str:
    """Why an offline record earns nothing, or "" when it may be credited."""
    if len(beats) < 2:
        return "empty"
    first, last = beats[0], beats[-1]
    if first < issued_at - OFFLINE_CLOCK_SKEW or last > now + OFFLINE_CLOCK_SKEW:
        # Before the page was given to the member, or in the future.
        return "forged"
    if last < now - offline_max_age():
        return "too_old"
    # No time is credited twice: not alongside other offline study, nor
    # while a live beat of any lesson was credited.
    others = OfflineStudy.objects.filter(
        member=member, credited_seconds__gt=0, started_at__lt=last, ended_at__gt=first
    )
    live = LessonProgress.objects.filter(
        member=member, last_beat_at__gt=first, last_beat_at__lt=last
    )
    if others.exists() or live.exists():
        return "overlap"
    return ""


def lesson_progress_offline(
    *, member: MemberProfile, record: dict, now: datetime.datetime | None = None
) -> OfflineResult:
    """Credit study noted on the phone while offline, by the live beats' rules.

    The record names the lesson, carries the page's signed beat token (proof
    that the page was rendered for this member and lesson, and when) and the
    moments of the beats the page could not send. The server replays those
    beats through `beat_credit` and the lesson's cap; a record made before
    its page, in the future, older than SCHOOL_STUDY_OFFLINE_MAX_AGE_DAYS or
    overlapping other credited time earns nothing, and each record is taken
    once.
    """
    now = now or timezone.now()
    record_id = str(record.get("id", ""))[:64]
    if not OFFLINE_RECORD_ID.match(record_id):
        return OfflineResult(record_id, True, 0, refused="invalid")
    try:
        lesson_id = int(record.get("lesson"))
    except (TypeError, ValueError):
        return OfflineResult(record_id, True, 0, refused="invalid")
    lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
    issued_at = lesson and selectors.beat_token_issued_at(
        str(record.get("token", "")),
        member.pk,
        lesson.pk,
        max_age=offline_max_age() + datetime.timedelta(days=30),
    )
    if not issued_at:
        return OfflineResult(record_id, True, 0, refused="token")
    beats = _offline_moments(record.get("beats") or [])
    starts = set(_offline_moments(record.get("starts") or []) or [])
    if beats is None or len(beats) > lesson.cap_seconds:
        return OfflineResult(record_id, True, 0, refused="invalid")

    with transaction.atomic():
        progress, _created = LessonProgress.objects.get_or_create(
            member=member, lesson=lesson
        )
        # One record at a time per lesson, so the cap holds.
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
        progress.lesson = lesson
        if OfflineStudy.objects.filter(member=member, record_id=record_id).exists():
            return OfflineResult(record_id, True, 0, progress, refused="seen")
        refused = _offline_refusal(
            member=member, lesson=lesson, issued_at=issued_at, beats=beats, now=now
        )
        credit = 0
        if not refused:
            for previous, beat in zip(beats, beats[1:], strict=False):
                earned = beat_credit(
                    (beat - previous).total_seconds(), start=beat in starts
                )
                credit += earned or 0
            credit = max(0, min(credit, lesson.cap_seconds - progress.credited_seconds))
        OfflineStudy.objects.create(
            member=member,
            lesson=lesson,
            record_id=record_id,
            started_at=beats[0] if beats else None,
            ended_at=beats[-1] if beats else None,
            credited_seconds=credit,
            refused=refused or ("" if credit else "cap"),
        )
        if credit:
            LessonProgress.objects.filter(pk=progress.pk).update(
                credited_seconds=F("credited_seconds") + credit, updated_at=now
            )
            progress.credited_seconds += credit
            _add_online_seconds(member, lesson, timezone.localdate(beats[-1]), credit)
    if record.get("media_ended") is True and refused not in ("forged", "too_old"):
        # Played to the end on this member's own page; a replay changes nothing.
        progress = lesson_progress_media_finished(member=member, lesson=lesson)
    return OfflineResult(record_id, True, credit, progress, refused=refused)


def lesson_missing_requirements(lesson: LessonPage, progress: LessonProgress):
    """What a member still has to do before the lesson can be completed."""
    missing = []
    if progress.credited_seconds < lesson.required_seconds:
        missing.append(
            _(
                "Study on this page for at least %(required)s minutes; "
                "%(credited)s minutes are credited so far."
            )
            % {
                "required": _minutes_label(lesson.required_seconds),
                "credited": _minutes_label(progress.credited_seconds),
            }
        )
    if lesson.has_media and not progress.media_finished:
        missing.append(_("Play the lesson's audio or video to the end."))
    if lesson.has_check_question and not progress.answered_correctly:
        if progress.last_answer is None:
            missing.append(_("Answer the check question."))
        else:
            missing.append(_("The answer to the check question is not right yet."))
    return missing


def _minutes_label(seconds: int) -> str:
    minutes = seconds / 60
    return f"{minutes:.1f}".rstrip("0").rstrip(".")


def lesson_progress_complete(
    *, member: MemberProfile, lesson: LessonPage, answer: int | None = None
) -> LessonProgress:
    """The member presses "I have finished": the lesson is complete only when
    enough time is credited, the media played to the end and the check
    question answered right. Otherwise raises ValidationError saying what is
    missing (the answer given is kept either way)."""
    with transaction.atomic():
        progress, _created = LessonProgress.objects.get_or_create(
            member=member, lesson=lesson
        )
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
        if progress.completed_at:
            return progress
        if lesson.has_check_question and answer is not None:
            progress.last_answer = answer
            progress.answered_correctly = answer == lesson.check_answer
        missing = lesson_missing_requirements(lesson, progress)
        if not missing:
            progress.completed_at = timezone.now()
        progress.updated_at = timezone.now()
        progress.save(
            update_fields=[
                "last_answer",
                "answered_correctly",
                "completed_at",
                "updated_at",
            ]
        )
    if missing:
        raise ValidationError(missing)
    return progress


# --- Study plans ----------


def study_plan_announce(*, plan: StudyPlan) -> int:
    """Tell the branch's confirmed members about the plan; returns how many.

    Sent after the surrounding transaction commits, so a plan that fails to
    save is never announced.
    """
    members = (
        MemberProfile.objects.confirmed()
        .filter(branch_id=plan.branch_id)
        .select_related("user")
    )
    items = list(plan.items.select_related("lesson", "course"))
    StudyPlan.objects.filter(pk=plan.pk).update(announced_at=timezone.now())
    # The plan is saved and shown on the study pages either way; a provider
    # or mail server that is down is the sending task's failure, not the save's.
    notices = notify_many(
        [member.user for member in members],
        "study_plan_announced",
        {
            "plan": plan,
            "items": items,
            "title": plan.title,
            "url": reverse("courses:my_study"),
        },
    )
    return len(notices)
