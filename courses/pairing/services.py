"""The rules of "1+1" paired study in one place: pairing and ending a pairing,
logging a contact (a home-delivered session credits study through the study
services), and the monthly report to the branch.

Views, the Wagtail admin, the reminder command and the demo data call these;
each runs in one transaction and refuses bad input with ValidationError.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.members import scope
from school.members.models import MemberProfile

from .. import services as study_services
from ..models import ContactLog, MonthlyReport, Pairing, StudyRecord
from . import selectors

NOTE_MAX_LENGTH = 2000


def _organises(user, member: MemberProfile) -> bool:
    return scope.can_see(user, member)


def _clean_day(value, field: str, *, label: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({field: label})
    return value


# --- Pairings ----------


def _pairing_errors(*, contact, member, by) -> list[str]:
    """Why `by` may not pair `contact` with `member` (empty when they may)."""
    errors = []
    if contact is None or not contact.is_confirmed:
        errors.append(_("The study contact must be a confirmed member."))
    if member is None or not member.is_confirmed:
        name = member.real_name if member else ""
        errors.append(
            _("%(name)s is not a confirmed member and cannot be paired.")
            % {"name": name}
        )
    if errors:
        return errors
    if contact.pk == member.pk:
        return [_("Nobody can be their own study contact.")]
    if contact.branch_id != member.branch_id:
        errors.append(
            _(
                "%(member)s and %(contact)s belong to different branches; a "
                "contact is paired with members of their own branch."
            )
            % {"member": member.real_name, "contact": contact.real_name}
        )
    elif not _organises(by, member):
        errors.append(
            _("%(name)s is not a member of a branch you organise.")
            % {"name": member.real_name}
        )
    current = Pairing.objects.active().filter(member=member).select_related("contact")
    current = current.first()
    if current is not None:
        errors.append(
            _("%(name)s already has a study contact: %(contact)s.")
            % {"name": member.real_name, "contact": current.contact.real_name}
        )
    return errors


def pairing_create(
    *,
    contact: MemberProfile,
    member: MemberProfile,
    by,
    started_on: datetime.date | None = None,
) -> Pairing:
    """Pair a study contact with one member of the same branch, organised by
    `by`. A member has at most one active contact (a unique constraint backs
    this against two organisers saving at once); nobody is their own contact."""
    return pairing_create_many(
        contact=contact, members=[member], by=by, started_on=started_on
    )[0]


def pairing_create_many(
    *,
    contact: MemberProfile,
    members: Iterable[MemberProfile],
    by,
    started_on: datetime.date | None = None,
) -> list[Pairing]:
    """Pair a contact with several members at once: all of them or none."""
    members = list(members)
    if not members:
        raise ValidationError({"members": _("Choose at least one member to pair.")})
    started_on = _clean_day(
        started_on or timezone.localdate(),
        "started_on",
        label=_("The start date cannot be in the future."),
    )
    errors = []
    for member in members:
        errors.extend(
            error
            for error in _pairing_errors(contact=contact, member=member, by=by)
            if error not in errors
        )
    if errors:
        raise ValidationError({"members": errors})
    pairings = []
    try:
        with transaction.atomic():
            for member in members:
                pairings.append(
                    Pairing.objects.create(
                        contact=contact,
                        member=member,
                        started_on=started_on,
                        created_by=by if getattr(by, "pk", None) else None,
                    )
                )
    except IntegrityError as exc:
        # Another organiser paired one of them between our check and our save.
        raise ValidationError(
            {
                "members": _(
                    "Someone else has just given one of these members a study "
                    "contact. Reload the page to see the current pairings."
                )
            }
        ) from exc
    return pairings


def pairing_end(
    *, pairing: Pairing, by, ended_on: datetime.date | None = None
) -> Pairing:
    """End a pairing, keeping it (and its logs and reports) as history."""
    if not _organises(by, pairing.member):
        raise ValidationError(
            _("%(name)s is not a member of a branch you organise.")
            % {"name": pairing.member.real_name}
        )
    ended_on = _clean_day(
        ended_on or timezone.localdate(),
        "ended_on",
        label=_("The end date cannot be in the future."),
    )
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it starts.")})
    with transaction.atomic():
        # Conditional update: of two organisers ending it at once, one does.
        ended = Pairing.objects.filter(pk=pairing.pk, ended_on__isnull=True).update(
            ended_on=ended_on, ended_by=by if getattr(by, "pk", None) else None
        )
    if not ended:
        raise ValidationError(_("This pairing has already ended."))
    pairing.refresh_from_db()
    return pairing


def pairings_end_for_contact(*, contact: MemberProfile, by=None) -> int:
    """End every active pairing of a contact who can no longer help (left the
    branch, deleted their account): their members show as unpaired again."""
    return (
        Pairing.objects.active()
        .filter(contact=contact)
        .update(ended_on=timezone.localdate(), ended_by=by)
    )


def pairings_end_for_leaver(*, profile: MemberProfile, by=None) -> int:
    """Someone marked as having left the branch: their active pairings end
    today, saying why. A contact's members count as without a contact again
    (until paired anew); a member who left leaves their contact's dashboard,
    the weekly digest and the month's report ledger."""
    Reason = Pairing.EndReason
    by = by if getattr(by, "pk", None) else None
    today = timezone.localdate()
    ended = 0
    with transaction.atomic():
        for field, reason in (
            ("member", Reason.MEMBER_LEFT),
            ("contact", Reason.CONTACT_LEFT),
        ):
            ended += (
                Pairing.objects.active()
                .filter(**{field: profile})
                .update(ended_on=today, ended_by=by, end_reason=reason)
            )
    return ended


# --- Contact logs ----------


def _pairing_of(by, member: MemberProfile) -> Pairing:
    pairing = selectors.active_pairing(by, member.pk)
    if pairing is None:
        raise ValidationError(_("You are not this member's study contact."))
    return pairing


def contact_log_create(
    *,
    member: MemberProfile,
    by,
    kind: str,
    date: datetime.date | None = None,
    note: str = "",
    minutes: int | None = None,
    lessons: Iterable = (),
    topic: str = "",
) -> ContactLog:
    """The member's active contact logs a contact with them.

    A home-delivered session (送学上门) also credits `minutes` of offline study
    (with the lessons or topic studied) through the study service, in the same
    transaction: both are saved or neither. Notices and thinking reports need
    a note.
    """
    pairing = _pairing_of(by, member)
    note = (note or "").strip()
    errors = {}
    try:
        date = _clean_day(
            date or timezone.localdate(),
            "date",
            label=_("The date cannot be in the future."),
        )
        if date < pairing.started_on:
            errors["date"] = [
                _("The date is before your pairing started (%(date)s).")
                % {"date": pairing.started_on}
            ]
    except ValidationError as error:
        errors.update(error.message_dict)
    if kind not in ContactLog.Kind.values:
        errors["kind"] = [_("Choose the kind of contact.")]
    elif kind in ContactLog.NOTE_REQUIRED and not note:
        errors["note"] = [
            _("Write the requirements you passed on.")
            if kind == ContactLog.Kind.NOTICE
            else _("Write what you report on the member's thinking and study.")
        ]
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("Keep the note under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = None
        if kind == ContactLog.Kind.HOME_DELIVERED:
            record = study_services.study_record_add_offline(
                member=member,
                date=date,
                minutes=minutes,
                mode=StudyRecord.Mode.HOME_DELIVERED,
                recorded_by=by,
                topic=topic,
                lessons=lessons,
                note=note,
            )
        return ContactLog.objects.create(
            pairing=pairing,
            date=date,
            kind=kind,
            note=note,
            study_record=record,
            created_by=by,
        )


# --- Monthly reports ----------


def monthly_report_submit(
    *, member: MemberProfile, by, month: datetime.date, note: str
) -> MonthlyReport:
    """The contact's report to the branch on one member for one month: the study
    summary is taken from the records at submission; the note is the contact's.
    One report per pairing and month (unique); submitting again revises it."""
    pairing = _pairing_of(by, member)
    today = timezone.localdate()
    note = (note or "").strip()
    errors = {}
    if not isinstance(month, datetime.date):
        errors["month"] = [_("Choose the month.")]
    else:
        month = selectors.month_start(month)
        if month not in selectors.reportable_months(pairing, today):
            errors["month"] = [
                _("Reports are for this month or last month while you are paired.")
            ]
    if not note:
        errors["note"] = [
            _("Write a few words on the member's thinking and situation.")
        ]
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("Keep the note under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    summary = selectors.month_summary(member, month, today)
    values = {
        "minutes": summary.minutes,
        "study_days": summary.study_days,
        "lessons_completed": summary.lessons_completed,
        "summary": summary.text(),
        "note": note,
        "submitted_by": by,
        "submitted_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            report, _created = MonthlyReport.objects.update_or_create(
                pairing=pairing, month=month, defaults=values
            )
    except IntegrityError:
        # The same report submitted twice at once: the second revises the first.
        with transaction.atomic():
            report, _created = MonthlyReport.objects.update_or_create(
                pairing=pairing, month=month, defaults=values
            )
    return report
