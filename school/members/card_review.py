"""The yearly review of the mobile member activity card (流动党员活动证年度审验):
the one rule for when a card is due, used by the organisers' task list, the
form that records a review and the member file.

- A card is held by a confirmed member with an activity card number.
- Its review is due one calendar year after the last review (a review on
  29 February falls due on 28 February).
- 已逾期 (overdue): the due date has passed, i.e. more than one year since the
  last review; also a card with no review recorded at all, which is the most
  overdue of all (it sorts first, with no due date or days overdue).
- 即将到期 (due soon): due today or within the next `DUE_SOON_DAYS` days.
- Otherwise the card is current and not on the task list.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

DUE_SOON_DAYS = 30
ONE_DAY = datetime.timedelta(days=1)


class Status(models.TextChoices):
    OVERDUE = "overdue", _("Review overdue")
    DUE_SOON = "due_soon", _("Review due soon")
    CURRENT = "current", _("Review current")
    NO_CARD = "no_card", _("No activity card")


def due_on(reviewed_on: datetime.date) -> datetime.date:
    """The day the next review falls due after a review on `reviewed_on`."""
    try:
        return reviewed_on.replace(year=reviewed_on.year + 1)
    except ValueError:  # 29 February
        return reviewed_on.replace(year=reviewed_on.year + 1, day=28)


def last_review_due_by(day: datetime.date) -> datetime.date:
    """The latest review date whose next review is due on or before `day`:
    a card reviewed on or before it is due by then (the inverse of `due_on`,
    for filtering in the database)."""
    try:
        candidate = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        candidate = day.replace(year=day.year - 1, day=28)
    while due_on(candidate + ONE_DAY) <= day:
        candidate += ONE_DAY
    while due_on(candidate) > day:
        candidate -= ONE_DAY
    return candidate


def holds_card(member) -> bool:
    return bool(member.activity_card_number) and member.is_confirmed


@dataclass(frozen=True)
class CardReview:
    """A card's review state on a day."""

    status: str
    due_on: datetime.date | None = None
    days_overdue: int | None = None
    days_left: int | None = None

    @property
    def label(self):
        return Status(self.status).label

    @property
    def on_task_list(self) -> bool:
        return self.status in (Status.OVERDUE, Status.DUE_SOON)


def review_state(reviewed_on: datetime.date | None, today: datetime.date) -> CardReview:
    """The state of a card last reviewed on `reviewed_on` (None: never)."""
    if reviewed_on is None:
        return CardReview(Status.OVERDUE)
    due = due_on(reviewed_on)
    if due < today:
        return CardReview(Status.OVERDUE, due, days_overdue=(today - due).days)
    days_left = (due - today).days
    status = Status.DUE_SOON if days_left <= DUE_SOON_DAYS else Status.CURRENT
    return CardReview(status, due, days_left=days_left)


def card_review(member, today: datetime.date) -> CardReview:
    """The state of `member`'s card on `today` (NO_CARD if they hold none)."""
    if not holds_card(member):
        return CardReview(Status.NO_CARD)
    return review_state(member.card_reviewed_on, today)


def review_tasks(members, today: datetime.date):
    """Of `members` (a MemberProfile queryset), the confirmed card holders whose
    review is overdue or due soon, most overdue first, annotated with
    `card_review_status`. A fixed single query, whatever the number of rows."""
    overdue_before = last_review_due_by(today - ONE_DAY)
    due_by = last_review_due_by(today + datetime.timedelta(days=DUE_SOON_DAYS))
    never = Q(card_reviewed_on__isnull=True)
    return (
        members.confirmed()
        .exclude(activity_card_number="")
        .filter(never | Q(card_reviewed_on__lte=due_by))
        .annotate(
            card_review_status=Case(
                When(
                    never | Q(card_reviewed_on__lte=overdue_before),
                    then=Value(Status.OVERDUE.value),
                ),
                default=Value(Status.DUE_SOON.value),
                output_field=models.CharField(),
            )
        )
        .order_by(F("card_reviewed_on").asc(nulls_first=True), "real_name", "pk")
    )
