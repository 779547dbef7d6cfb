"""Reads for the contact's dashboard, the monthly reports, the reminders and the
organisers' overview, each in a fixed number of queries whatever the number of
members. Study figures come from `courses.selectors`."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from school.members.models import MemberProfile

from .. import selectors as study
from ..models import ContactLog, LessonProgress, Pairing, StudyPlan, StudyRecord

# A member is flagged red after this many days without counted study …
NO_STUDY_DAYS = 14
# … and amber when their contact has logged no contact for this many days.
NO_CONTACT_DAYS = 30
# Plans due longer ago than this no longer make a member "overdue": the branch
# has moved on to newer plans by then.
OVERDUE_LOOKBACK_DAYS = 365

RED = "red"
AMBER = "amber"


# --- Study plans: progress and overdue items ----------


@dataclass
class PlanStatus:
    done: int = 0  # items done in the current plans
    required: int = 0  # items in the current plans
    # (plan, [titles of the items not done]) for plans past their due date.
    overdue: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return study.percent_of(self.done, self.required)

    @property
    def overdue_items(self) -> int:
        return sum(len(missing) for _plan, missing in self.overdue)


def _item_title(item) -> str:
    return (item.course or item.lesson).title


def plans_for(members, today: datetime.date) -> list[StudyPlan]:
    """The plans that matter to members today: those of their branches that are
    current (period or due date not past) or were due in the lookback."""
    since = today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS)
    return list(
        StudyPlan.objects.filter(
            branch_id__in={member.branch_id for member in members},
            starts_on__lte=today,
        )
        .filter(Q(ends_on__gte=today) | Q(due_date__gte=since))
        .order_by("due_date", "pk")
    )


def plan_status(members, today: datetime.date) -> dict[int, PlanStatus]:
    """{member_id: PlanStatus} for members (profiles with `branch_id`).

    Current plans (period or due date not yet past) give the progress; plans
    due before today whose items are not all done give the overdue items.
    Four queries at most (plans, items, course lessons, completions).
    """
    members = list(members)
    result = {member.pk: PlanStatus() for member in members}
    if not members:
        return result
    plans = plans_for(members, today)
    if not plans:
        return result
    by_plan, course_lessons, done = study.plans_progress(
        plans, [member.pk for member in members]
    )
    plans_by_branch = defaultdict(list)
    for plan in plans:
        plans_by_branch[plan.branch_id].append(plan)
    for member in members:
        status = result[member.pk]
        for plan in plans_by_branch.get(member.branch_id, ()):
            progress = study.progress_for(
                plan, member.pk, by_plan, course_lessons, done
            )
            if plan.ends_on >= today or plan.due_date >= today:
                status.done += progress.done
                status.required += progress.required
            if plan.due_date < today:
                missing = [
                    _item_title(item)
                    for item, item_done, _percent in progress.items
                    if not item_done
                ]
                if missing:
                    status.overdue.append((plan, missing))
    return result


# --- The contact's dashboard ----------


@dataclass
class Card:
    """One paired member on the contact's dashboard."""

    pairing: Pairing
    today: datetime.date
    month_seconds: int = 0
    last_study: datetime.date | None = None
    last_contact: datetime.date | None = None
    plan: PlanStatus = field(default_factory=PlanStatus)
    url_patterns: dict = field(default_factory=dict, repr=False)

    @property
    def member(self) -> MemberProfile:
        return self.pairing.member

    @property
    def month_minutes(self) -> str:
        return study.minutes_label(self.month_seconds)

    @property
    def days_without_study(self) -> int | None:
        return None if self.last_study is None else (self.today - self.last_study).days

    @property
    def days_without_contact(self) -> int:
        """Since the last contact logged, or since the pairing began: a pairing
        made today is not yet overdue for its first contact."""
        since = self.last_contact or self.pairing.started_on
        return (self.today - since).days

    @property
    def no_study(self) -> bool:
        days = self.days_without_study
        return days is None or days >= NO_STUDY_DAYS

    @property
    def no_contact(self) -> bool:
        return self.days_without_contact >= NO_CONTACT_DAYS

    @cached_property
    def flag(self) -> str:
        if self.no_study or self.plan.overdue:
            return RED
        if self.no_contact:
            return AMBER
        return ""

    @cached_property
    def reasons(self) -> list[str]:
        """Why the card is flagged, in words for the contact."""
        reasons = []
        if self.no_study:
            if self.last_study is None:
                reasons.append(_("No study recorded yet"))
            else:
                reasons.append(
                    _("No study for %(days)s days") % {"days": self.days_without_study}
                )
        if self.plan.overdue:
            reasons.append(
                _("%(count)s overdue plan items") % {"count": self.plan.overdue_items}
            )
        if self.no_contact:
            if self.last_contact is None:
                reasons.append(_("Not contacted yet"))
            else:
                reasons.append(
                    _("No contact for %(days)s days")
                    % {"days": self.days_without_contact}
                )
        return reasons

    @cached_property
    def urls(self) -> dict:
        """The card's links, reversed once per page (see `_member_urls`)."""
        return {
            name: pattern.replace("/0/", f"/{self.member.pk}/", 1)
            for name, pattern in (self.url_patterns or _member_urls()).items()
        }

    @property
    def sort_key(self):
        """Red, amber, then the rest; within each, longest without study first
        (never studied before all), then by name."""
        order = {RED: 0, AMBER: 1}.get(self.flag, 2)
        days = self.days_without_study
        idle = -(days if days is not None else 10**6)
        return (order, idle, self.member.real_name, self.member.pk)


def _member_urls() -> dict:
    """The URL patterns of a member's pages, reversed for a placeholder id:
    fifty cards with four links each would otherwise reverse 200 URLs."""
    return {
        name: reverse(f"courses:contact_{name}", args=[0])
        for name in ("member", "log", "home_study", "report")
    }


def cards_for(pairings, today: datetime.date) -> list[Card]:
    """Dashboard cards for pairings (with `member` loaded), red first, then
    amber, then the rest; seven queries whatever their number."""
    pairings = list(pairings)
    if not pairings:
        return []
    member_ids = [pairing.member_id for pairing in pairings]
    month = study.Period.of(StudyPlan.Period.MONTH, today)
    figures = {
        row["member_id"]: row
        for row in StudyRecord.objects.counted()
        .filter(member_id__in=member_ids)
        .values("member_id")
        .annotate(
            last=Max("date"),
            month=Sum("seconds", filter=Q(date__gte=month.start, date__lte=today)),
        )
        .order_by()
    }
    last_contacts = dict(
        ContactLog.objects.filter(pairing__in=[p.pk for p in pairings])
        .values("pairing_id")
        .annotate(last=Max("date"))
        .order_by()
        .values_list("pairing_id", "last")
    )
    plans = plan_status([pairing.member for pairing in pairings], today)
    url_patterns = _member_urls()
    cards = []
    for pairing in pairings:
        row = figures.get(pairing.member_id, {})
        cards.append(
            Card(
                pairing=pairing,
                today=today,
                month_seconds=row.get("month") or 0,
                last_study=row.get("last"),
                last_contact=last_contacts.get(pairing.pk),
                plan=plans[pairing.member_id],
                url_patterns=url_patterns,
            )
        )
    cards.sort(key=lambda card: card.sort_key)
    return cards


def contact_pairings(user):
    """The active pairings of `user` as a study contact, members loaded."""
    return Pairing.objects.of_contact_user(user).select_related(
        "member__branch", "member__user"
    )


def dashboard(user, today: datetime.date) -> list[Card]:
    return cards_for(contact_pairings(user), today)


def active_pairing(user, member_id) -> Pairing | None:
    """The active pairing of `user` (as contact) with the member, or None."""
    return contact_pairings(user).filter(member_id=member_id).first()


def is_contact(user) -> bool:
    loaded = getattr(user, "_is_study_contact", None)  # by the auth backend
    if loaded is not None:
        return loaded
    return Pairing.objects.of_contact_user(user).exists()


def contact_user_exists():
    """`is_contact` for the user row of an outer query (the auth backend's)."""
    return Exists(Pairing.objects.standing().filter(contact__user=OuterRef("pk")))


# --- Monthly reports ----------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - datetime.timedelta(days=1))


def month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
        days=1
    )


@dataclass
class MonthSummary:
    month: datetime.date
    seconds: int = 0
    online_seconds: int = 0
    offline_seconds: int = 0
    study_days: int = 0
    home_sessions: int = 0
    lessons_completed: int = 0
    plan: PlanStatus = field(default_factory=PlanStatus)

    @property
    def minutes(self) -> int:
        return (self.seconds + 30) // 60

    def text(self) -> str:
        """The summary as the branch reads it in the ledger."""
        parts = [
            _(
                "Studied %(minutes)s minutes on %(days)s days "
                "(online %(online)s, offline %(offline)s)."
            )
            % {
                "minutes": self.minutes,
                "days": self.study_days,
                "online": study.minutes_label(self.online_seconds),
                "offline": study.minutes_label(self.offline_seconds),
            },
            _("Completed %(count)s lessons.") % {"count": self.lessons_completed},
        ]
        if self.home_sessions:
            parts.append(
                _("%(count)s home-delivered sessions.") % {"count": self.home_sessions}
            )
        if self.plan.required:
            parts.append(
                _("Study plan: %(done)s of %(required)s items done.")
                % {"done": self.plan.done, "required": self.plan.required}
            )
        if self.plan.overdue:
            parts.append(
                _("Overdue: %(items)s.")
                % {
                    "items": "、".join(
                        title
                        for _plan, missing in self.plan.overdue
                        for title in missing
                    )
                }
            )
        return " ".join(parts)


def month_summary(member: MemberProfile, first: datetime.date, today) -> MonthSummary:
    """The member's study in a month, from the ledger (four to eight queries)."""
    last = min(month_end(first), today)
    counted = StudyRecord.objects.counted().filter(
        member=member, date__gte=first, date__lte=last
    )
    sums = counted.aggregate(
        total=Sum("seconds"),
        online=Sum("seconds", filter=Q(source=StudyRecord.Source.ONLINE)),
        offline=Sum("seconds", filter=Q(source=StudyRecord.Source.OFFLINE)),
        days=Count("date", distinct=True),
        home=Count("pk", filter=Q(mode=StudyRecord.Mode.HOME_DELIVERED)),
    )
    lessons = LessonProgress.objects.filter(
        member=member, completed_at__date__gte=first, completed_at__date__lte=last
    ).count()
    return MonthSummary(
        month=first,
        seconds=sums["total"] or 0,
        online_seconds=sums["online"] or 0,
        offline_seconds=sums["offline"] or 0,
        study_days=sums["days"] or 0,
        home_sessions=sums["home"] or 0,
        lessons_completed=lessons,
        plan=plan_status([member], last)[member.pk],
    )


def reportable_months(pairing: Pairing, today: datetime.date) -> list[datetime.date]:
    """Months a contact may report on: this month and the last, from the
    pairing's start."""
    months = [month_start(today), previous_month(today)]
    return [m for m in months if month_end(m) >= pairing.started_on]


def expected_reports(branch_ids, first: datetime.date):
    """Pairings that owe a report for the month: active at some point in it,
    in the given branches, unless they ended that month because someone left."""
    last = month_end(first)
    return (
        Pairing.objects.filter(member__branch_id__in=branch_ids, started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        # Someone left the branch that month: no report is owed for it.
        .exclude(end_reason__in=Pairing.LEFT_REASONS, ended_on__lte=last)
        .select_related("member__branch", "contact")
        .order_by("member__branch__code", "contact__real_name", "member__real_name")
    )


# --- The organisers' overview ----------


def coverage(branch_ids) -> dict:
    """Share of the branches' confirmed members with an active contact."""
    members = MemberProfile.objects.confirmed().filter(branch_id__in=branch_ids)
    total = members.count()
    # A subquery, not a join: through a join, members without any pairing
    # would match `ended_on IS NULL` too.
    covered = (
        members.filter(pk__in=Pairing.objects.active().values("member_id")).count()
        if total
        else 0
    )
    return {
        "members": total,
        "covered": covered,
        "uncovered": total - covered,
        "percent": study.percent_of(covered, total) if total else 0,
    }


def contact_loads(branch_ids):
    """Contacts of the branches with their number of active pairings."""
    return (
        MemberProfile.objects.filter(
            pairings_as_contact__ended_on__isnull=True,
            pairings_as_contact__member__branch_id__in=branch_ids,
        )
        .annotate(load=Count("pairings_as_contact"))
        .select_related("branch")
        .order_by("-load", "real_name")
    )


def unpaired_members(branch_ids):
    """Confirmed members of the branches without an active contact."""
    return (
        MemberProfile.objects.confirmed()
        .filter(branch_id__in=branch_ids)
        .exclude(pk__in=Pairing.objects.active().values("member_id"))
        .select_related("branch", "user")
        .order_by("branch__code", "real_name", "pk")
    )
