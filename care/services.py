"""Recording care visits (三个必访) and who is not going home at New Year.

Who may write about a member: their active study contact, or an organiser of
their branches (with the model permission). Everything is checked here, for
the contact's page, the admin and seed_demo alike.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Pairing
from school.members import scope

from .models import CareVisit, NewYearStay, Reason
from .spring_festival import (
    FIRST_YEAR,
    LAST_YEAR,
    SPRING_FESTIVAL,
    coming_festival_year,
)

ADD_VISIT = "care.add_carevisit"
CHANGE_VISIT = "care.change_carevisit"
MARK_STAY = "care.add_newyearstay"


def is_contact_of(user, member) -> bool:
    return Pairing.objects.of_contact_user(user).filter(member=member).exists()


def is_organiser_of(user, member, permission: str) -> bool:
    return user.has_perm(permission) and scope.can_see(user, member)


def writer_role(user, member, permission: str = ADD_VISIT) -> str:
    """The role in which `user` writes about `member`, or a refusal."""
    if getattr(member, "pk", None) is None:
        raise ValidationError({"member": _("Choose a member.")})
    if is_organiser_of(user, member, permission):
        return CareVisit.Role.ORGANISER
    if is_contact_of(user, member):
        return CareVisit.Role.CONTACT
    raise ValidationError(
        {
            "member": _(
                "%(name)s is neither one of your paired members nor in a branch "
                "you organise."
            )
            % {"name": member.real_name}
        }
    )


def visit_errors(*, visited_on, way, reason, done, today) -> dict:
    """What is wrong with a visit's fields, by field (empty when all is well)."""
    errors = {}
    if visited_on is None:
        errors["visited_on"] = _("Enter the date of the visit or call.")
    elif visited_on > today:
        errors["visited_on"] = _(
            "The date cannot be in the future: record a visit once it has taken place."
        )
    if way not in CareVisit.Way.values:
        errors["way"] = _("Say whether it was a visit or a phone call.")
    if reason not in Reason.values:
        errors["reason"] = _("Choose the reason for the visit.")
    if not (done or "").strip():
        errors["done"] = _("Say what was done on the visit or call.")
    return errors


def _check_visit(member, **fields) -> None:
    if not member.is_confirmed:
        raise ValidationError(
            {"member": _("Care visits are kept for confirmed members only.")}
        )
    errors = visit_errors(today=timezone.localdate(), **fields)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def care_visit_record(
    *,
    member,
    visited_on: datetime.date,
    way: str,
    reason: str,
    done: str,
    by,
    still_open: str = "",
    closed: bool = False,
) -> CareVisit:
    """Record a visit or call by the member's contact or branch organiser; no
    future date, and what was done is always said."""
    role = writer_role(by, member)
    _check_visit(member, visited_on=visited_on, way=way, reason=reason, done=done)
    return CareVisit.objects.create(
        member=member,
        visited_on=visited_on,
        way=way,
        reason=reason,
        done=done.strip(),
        still_open=(still_open or "").strip(),
        closed=closed,
        recorded_by=by,
        recorded_as=role,
    )


@transaction.atomic
def care_visit_update(
    *,
    visit: CareVisit,
    by,
    member=None,
    visited_on: datetime.date,
    way: str,
    reason: str,
    done: str,
    still_open: str = "",
    closed: bool = False,
) -> CareVisit:
    """Correct a visit, or record that what was open is now closed. An
    organiser may change any visit of their branches, a contact their own."""
    member = member or visit.member
    current = CareVisit.objects.select_related("member").get(pk=visit.pk)
    if not _may_change(by, current) or not _may_change(by, current, member):
        raise ValidationError(
            {"member": _("You may change only visits to members you look after.")}
        )
    _check_visit(member, visited_on=visited_on, way=way, reason=reason, done=done)
    visit.member = member
    visit.visited_on = visited_on
    visit.way = way
    visit.reason = reason
    visit.done = done.strip()
    visit.still_open = (still_open or "").strip()
    visit.closed = closed
    visit.save()
    return visit


def _may_change(user, visit, member=None) -> bool:
    member = member or visit.member
    if is_organiser_of(user, member, CHANGE_VISIT):
        return True
    return visit.recorded_by_id == user.pk and is_contact_of(user, member)


@transaction.atomic
def care_visit_close(*, visit: CareVisit, by) -> CareVisit:
    """Mark what a visit left open as done."""
    if not _may_change(by, visit):
        raise ValidationError(
            _("You may change only visits to members you look after.")
        )
    visit.closed = True
    visit.save(update_fields=["closed"])
    return visit


def _check_year(festival_year, today) -> None:
    if festival_year not in SPRING_FESTIVAL:
        raise ValidationError(
            {
                "festival_year": _(
                    "The school knows the Spring Festival from %(first)s to "
                    "%(last)s only."
                )
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    if festival_year < coming_festival_year(today):
        raise ValidationError(
            {
                "festival_year": _("The Spring Festival of %(year)s is past.")
                % {"year": festival_year}
            }
        )


@transaction.atomic
def new_year_stay_mark(
    *, member, festival_year: int, by, note: str = ""
) -> NewYearStay:
    """Mark a member as not going home for a coming Spring Festival (once)."""
    writer_role(by, member, MARK_STAY)
    _check_year(festival_year, timezone.localdate())
    existing = NewYearStay.objects.filter(
        member=member, festival_year=festival_year
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return NewYearStay.objects.create(
                member=member,
                festival_year=festival_year,
                note=(note or "").strip(),
                marked_by=by,
            )
    except IntegrityError:
        # Marked by someone else at the same moment: the same fact.
        return NewYearStay.objects.get(member=member, festival_year=festival_year)


@transaction.atomic
def new_year_stay_unmark(*, member, festival_year: int, by) -> int:
    """The member is going home after all: remove the mark."""
    writer_role(by, member, "care.delete_newyearstay")
    deleted, _rows = NewYearStay.objects.filter(
        member=member, festival_year=festival_year
    ).delete()
    return deleted
