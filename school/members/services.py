"""Business rules for accounts, member profiles and their confirmation.

Called by the member views, the Wagtail admin views, commands and seed_demo
alike; each function runs in one transaction and raises ValidationError.
"""

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from school.notices.services import notify, notify_many

from . import registry, scope
from .card_review import holds_card
from .models import (
    Branch,
    MemberProfile,
    ProfileAccess,
    ScopeRefusal,
    User,
    WhereaboutsEntry,
)
from .roles import ORGANISERS_GROUP

# What a member fills in and may change themselves.
PROFILE_FIELDS = [
    "real_name",
    "branch",
    "mobile",
    "moved_out_on",
    "move_reason",
    "current_city",
    "current_address",
    "employer",
    "activity_card_number",
    "card_reviewed_on",
]
# Changing these on a confirmed profile needs the branch to confirm again.
IDENTITY_FIELDS = {"real_name", "branch"}


def _save_profile(profile: MemberProfile) -> MemberProfile:
    profile.full_clean(exclude=["user"] if profile.user_id is None else None)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        # A concurrent save took the activity card number first.
        raise ValidationError(
            {
                "activity_card_number": _(
                    "This activity card number is already registered in this branch."
                )
            }
        ) from exc
    return profile


def _tell_organisers(profile: MemberProfile) -> None:
    """Organisers of the branch and of every branch above it."""
    ids, node = [], profile.branch
    while node is not None and node.pk not in ids:
        ids.append(node.pk)
        node = node.parent
    organisers = User.objects.filter(organised_branches__in=ids, is_active=True)
    notify_many(
        organisers.distinct(),
        "profile_pending",
        {
            "profile": profile,
            "name": profile.real_name,
            "url": reverse("member_profiles:inspect", args=[profile.pk]),
        },
    )


def _tell_member(profile: MemberProfile, kind: str) -> None:
    notify(
        profile.user,
        kind,
        {"profile": profile, "url": reverse("members:profile")},
    )


@transaction.atomic
def profile_create(
    *, user: User, data: dict[str, Any], consent_version: str
) -> MemberProfile:
    """A member's first profile: pending until the branch confirms, with the
    consent (its text version and time) the member has just given."""
    if MemberProfile.objects.filter(user=user).exists():
        raise ValidationError(_("You have already completed your profile."))
    if not consent_version:
        raise ValidationError(_("Consent is required."))
    profile = MemberProfile(
        user=user,
        status=MemberProfile.Status.PENDING,
        consent_version=consent_version,
        consented_at=timezone.now(),
        **{field: data.get(field, "") for field in PROFILE_FIELDS},
    )
    _fill_blank_dates(profile)
    _save_profile(profile)
    whereabouts_record_change(
        member=profile, previous={}, by=user, source=WhereaboutsEntry.Source.MEMBER
    )
    _tell_organisers(profile)
    return profile


def _fill_blank_dates(profile: MemberProfile) -> None:
    for field in ("moved_out_on", "card_reviewed_on"):
        if getattr(profile, field) == "":
            setattr(profile, field, None)


@transaction.atomic
def profile_update(*, profile: MemberProfile, data: dict[str, Any]) -> bool:
    """A member edits their own profile. Returns True when the change sends the
    profile back to the branch for confirmation: a new branch or name on a
    confirmed profile, or any change to a rejected one (a resubmission)."""
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    previous = whereabouts_of(profile)
    changed = {
        field for field in PROFILE_FIELDS if getattr(profile, field) != data.get(field)
    }
    for field in PROFILE_FIELDS:
        setattr(profile, field, data.get(field, ""))
    if "study_reminders" in data:
        # A setting, not an identity fact: never sends the profile back.
        profile.study_reminders = bool(data["study_reminders"])
    _fill_blank_dates(profile)
    back_to_branch = profile.status == MemberProfile.Status.REJECTED or (
        profile.status in (MemberProfile.Status.CONFIRMED, MemberProfile.Status.LEFT)
        and bool(changed & IDENTITY_FIELDS)
    )
    if back_to_branch:
        profile.status = MemberProfile.Status.PENDING
        profile.decided_at = None
        profile.decided_by = None
        profile.rejection_reason = ""
    _save_profile(profile)
    whereabouts_record_change(
        member=profile,
        previous=previous,
        by=profile.user,
        source=WhereaboutsEntry.Source.MEMBER,
    )
    if back_to_branch:
        _tell_organisers(profile)
    return back_to_branch


@transaction.atomic
def profile_consent(*, profile: MemberProfile, consent_version: str) -> MemberProfile:
    """Record a member's consent to the current version of the consent text."""
    profile.consent_version = consent_version
    profile.consented_at = timezone.now()
    profile.save(update_fields=["consent_version", "consented_at", "updated_at"])
    return profile


def _check_organiser(profile: MemberProfile, by: User) -> None:
    if not scope.can_see(by, profile):
        raise PermissionDenied


@transaction.atomic
def profile_confirm(*, profile: MemberProfile, by: User) -> MemberProfile:
    """The branch confirms that the account belongs to a real member."""
    _check_organiser(profile, by)
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status == MemberProfile.Status.CONFIRMED:
        raise ValidationError(_("This member is already confirmed."))
    if profile.anonymised_at:
        raise ValidationError(_("This account has been deleted."))
    profile.status = MemberProfile.Status.CONFIRMED
    profile.decided_by = by
    profile.decided_at = timezone.now()
    profile.rejection_reason = ""
    profile.save()
    access_record(by=by, profiles=[profile], action=ProfileAccess.Action.DECIDE)
    _tell_member(profile, "profile_confirmed")
    return profile


@transaction.atomic
def profile_reject(*, profile: MemberProfile, by: User, reason: str) -> MemberProfile:
    """The branch does not recognise the account as its member; the reason is
    shown to the member, who may correct the profile and resubmit."""
    _check_organiser(profile, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the member a reason.")})
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != MemberProfile.Status.PENDING:
        raise ValidationError(_("Only a pending profile can be rejected."))
    profile.status = MemberProfile.Status.REJECTED
    profile.decided_by = by
    profile.decided_at = timezone.now()
    profile.rejection_reason = reason
    profile.save()
    access_record(by=by, profiles=[profile], action=ProfileAccess.Action.DECIDE)
    _tell_member(profile, "profile_rejected")
    return profile


@transaction.atomic
def profile_mark_left(*, profile: MemberProfile, by: User) -> MemberProfile:
    """A confirmed member has left the branch: their record no longer counts,
    and what other apps hang on it (pairings) ends with it."""
    _check_organiser(profile, by)
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != MemberProfile.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed member can leave the branch."))
    profile.status = MemberProfile.Status.LEFT
    profile.decided_by = by
    profile.decided_at = timezone.now()
    profile.save()
    access_record(by=by, profiles=[profile], action=ProfileAccess.Action.DECIDE)
    # Their pairings end with it, as member and as study contact (courses).
    registry.handle_leaver(profile, by)
    return profile


def whereabouts_of(profile: MemberProfile) -> dict[str, str]:
    """The facts the whereabouts history keeps, as they stand on `profile`."""
    return {name: getattr(profile, name) or "" for name in WhereaboutsEntry.FIELDS}


def whereabouts_record_change(
    *, member: MemberProfile, previous: dict[str, str], by: User | None, source: str
) -> WhereaboutsEntry | None:
    """Keep a dated entry when the member's city, address, employer or mobile
    now differ from `previous` (their values before the change; `{}` for a new
    profile). The one place every change of those facts is recorded, whoever
    made it; returns None when nothing of them changed."""
    now = whereabouts_of(member)
    changed = [
        name for name in WhereaboutsEntry.FIELDS if now[name] != previous.get(name, "")
    ]
    if not changed:
        return None
    return WhereaboutsEntry.objects.create(
        member=member,
        changed=changed,
        source=source,
        recorded_by=by if by is not None and by.pk else None,
        **now,
    )


@transaction.atomic
def profile_admin_save(*, profile: MemberProfile, by: User, save) -> MemberProfile:
    """An organiser's edit of a profile in the admin: `save()` stores the form
    (Wagtail's own save); the whereabouts history and the access log follow."""
    previous = (
        MemberProfile.objects.filter(pk=profile.pk)
        .values(*WhereaboutsEntry.FIELDS)
        .first()
        or {}
    )
    previous = {name: value or "" for name, value in previous.items()}
    instance = save()
    whereabouts_record_change(
        member=instance,
        previous=previous,
        by=by,
        source=WhereaboutsEntry.Source.ORGANISER,
    )
    access_record(by=by, profiles=[instance], action=ProfileAccess.Action.EDIT)
    return instance


@transaction.atomic
def card_review_record(
    *, member: MemberProfile, reviewed_on, by: User
) -> MemberProfile:
    """An organiser records the yearly review of a member's activity card
    (流动党员活动证审验): only the review date changes, never before the last
    review nor in the future; the access log keeps the edit."""
    _check_organiser(member, by)
    member = MemberProfile.objects.select_for_update().get(pk=member.pk)
    if not holds_card(member):
        raise ValidationError(
            _("This member holds no activity card on record: nothing to review.")
        )
    if reviewed_on is None:
        raise ValidationError({"reviewed_on": _("Enter the date of the review.")})
    if reviewed_on > timezone.localdate():
        raise ValidationError(
            {"reviewed_on": _("The review date cannot be in the future.")}
        )
    previous = member.card_reviewed_on
    if previous is not None and reviewed_on <= previous:
        raise ValidationError(
            {
                "reviewed_on": _(
                    "The card was last reviewed on %(date)s: a new review must "
                    "be dated after it."
                )
                % {"date": f"{previous:%Y-%m-%d}"}
            }
        )
    member.card_reviewed_on = reviewed_on
    member.save(update_fields=["card_reviewed_on", "updated_at"])
    access_record(
        by=by,
        profiles=[member],
        action=ProfileAccess.Action.EDIT,
        detail=f"activity card review {reviewed_on:%Y-%m-%d}",
    )
    return member


def branch_organisers_grant(*, branch: Branch) -> None:
    """Whoever organises a branch is in the organisers group, which lets them
    into the admin with an organiser's permissions."""
    group = Group.objects.get(name=ORGANISERS_GROUP)
    group.user_set.add(*branch.organisers.exclude(groups=group))


def access_record(
    *, by: User, profiles: Iterable[MemberProfile], action: str, detail: str = ""
) -> int:
    """Log that `by` viewed, edited or exported these profiles (PIPL audit)."""
    if isinstance(profiles, QuerySet):
        ids = list(profiles.order_by().values_list("pk", flat=True))
    else:
        ids = [profile.pk for profile in profiles]
    now = timezone.now()
    entries = [
        ProfileAccess(
            accessed_by=by,
            accessed_by_email=by.email,
            profile_id=pk,
            profile_number=pk,
            action=action,
            detail=detail[:200],
            accessed_at=now,
        )
        for pk in ids
    ]
    ProfileAccess.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def scope_refusal_record(*, by: User, instance, path: str) -> ScopeRefusal:
    """Log an admin address refused because it names another branch's object."""
    return ScopeRefusal.objects.create(
        refused_to=by,
        refused_to_email=by.email or by.get_username(),
        object_type=str(instance._meta.verbose_name)[:100],
        object_number=str(instance.pk)[:40],
        object_label=str(instance)[:200],
        path=path[:500],
    )


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything the school holds about a user, gathered from every app."""
    return registry.export_user_data(user)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete an account at its owner's request.

    The account row and the profile row stay (study aggregates point at them
    and keep counting for the branch) but nothing in them identifies the person
    any more, and nobody can log in with them.
    """
    if user.is_superuser:
        raise ValidationError(_("An administrator account cannot be deleted here."))
    registry.anonymise_user_data(user)
    now = timezone.now()
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is not None:
        WhereaboutsEntry.objects.filter(member=profile).delete()
        profile.real_name = _("Deleted member")
        profile.mobile = ""
        profile.moved_out_on = None
        profile.move_reason = ""
        profile.current_city = ""
        profile.current_address = ""
        profile.employer = ""
        profile.activity_card_number = ""
        profile.card_reviewed_on = None
        profile.rejection_reason = ""
        profile.status = MemberProfile.Status.LEFT
        profile.anonymised_at = now
        profile.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.organised_branches.clear()
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{user.pk}"
    user.email = f"deleted-{user.pk}@invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()


def export_account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "username": user.username,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values(
                "email", "verified", "primary"
            )
        ),
    }


def export_profile(user: User) -> dict[str, Any] | None:
    profile = MemberProfile.objects.filter(user=user).select_related("branch").first()
    if profile is None:
        return None
    return {
        "real_name": profile.real_name,
        "branch": {"code": profile.branch.code, "name": profile.branch.name},
        "mobile": profile.mobile,
        "status": profile.status,
        "status_display": str(profile.get_status_display()),
        "rejection_reason": profile.rejection_reason,
        "moved_out_on": profile.moved_out_on,
        "move_reason": profile.move_reason,
        "current_city": profile.current_city,
        "current_address": profile.current_address,
        "employer": profile.employer,
        "activity_card_number": profile.activity_card_number,
        "card_reviewed_on": profile.card_reviewed_on,
        "study_reminders": profile.study_reminders,
        "consent_version": profile.consent_version,
        "consented_at": profile.consented_at,
        "decided_at": profile.decided_at,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def export_whereabouts(user: User) -> list[dict[str, Any]]:
    """The member's whereabouts history, oldest first."""
    entries = WhereaboutsEntry.objects.filter(member__user=user).order_by(
        "recorded_at", "pk"
    )
    return [
        {
            "recorded_at": entry.recorded_at,
            **{name: getattr(entry, name) for name in WhereaboutsEntry.FIELDS},
            "changed": entry.changed,
            "source": entry.source,
        }
        for entry in entries
    ]


def export_organised_branches(user: User) -> list[dict[str, str]]:
    return list(user.organised_branches.values("code", "name"))


def user_set_elderly_mode(*, user: User, on: bool) -> None:
    """Remember the elderly mode (长辈模式) for the account."""
    User.objects.filter(pk=user.pk).update(elderly_mode=on)
    user.elderly_mode = on
