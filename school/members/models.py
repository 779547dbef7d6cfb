"""Accounts, branches and member profiles: the base every other app builds on."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scope import BranchScopedQuerySet

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter a valid mainland China mobile number (11 digits starting with 1)."),
)


class User(AbstractUser):
    """An account; people log in with their mobile number or e-mail address.

    The number is stored in E.164 form (+8613800138000), as allauth's phone
    support expects; number and e-mail address are each unique when given.
    """

    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=16, blank=True)
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    # {topic: ["sms", "email"]} for the topics the person has chosen; the
    # rest follow school.notices.kinds.default_channels.
    notice_channels = models.JSONField(_("notice channels"), default=dict, blank=True)
    # Large type, high contrast and read-aloud (长辈模式) on every device.
    elderly_mode = models.BooleanField(_("elderly mode"), default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="unique_user_email",
                violation_error_message=_(
                    "A user is already registered with this email address."
                ),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="unique_user_phone",
                violation_error_message=_(
                    "A user is already registered with this phone number."
                ),
            ),
        ]

    @property
    def mobile(self) -> str:
        """The mainland number without +86, as members write it."""
        return self.phone.removeprefix("+86")

    def __str__(self):
        return self.get_full_name() or self.get_username()

    def get_full_name(self):
        """The member's real name and branch, where the account has a profile.

        Wagtail names people by this (the review queue, a page's owner, the
        history): staff see who wrote or asked, never a generated login name.
        """
        profile = getattr(self, "profile", None) if self.pk else None
        if profile is not None and profile.real_name:
            return _("%(name)s (%(branch)s)") % {
                "name": profile.real_name,
                "branch": profile.branch.name,
            }
        return super().get_full_name()

    @property
    def confirmed_profile(self):
        """The member profile if the branch has confirmed it, else None."""
        profile = getattr(self, "profile", None)
        if profile is not None and profile.status == MemberProfile.Status.CONFIRMED:
            return profile
        return None


class BranchQuerySet(BranchScopedQuerySet):
    def organised_by(self, user):
        """Branches a user organises, with all their sub-branches."""
        if user.is_superuser:
            return self.all()
        roots = list(self.filter(organisers=user).values_list("pk", flat=True))
        ids, frontier = set(roots), roots
        while frontier:
            frontier = list(
                Branch.objects.filter(parent_id__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.update(frontier)
        return self.filter(pk__in=ids)


class Branch(models.Model):
    """A party branch (党支部); branches may nest under a parent branch."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_branches",
    )

    branch_scope = ""
    objects = BranchQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self):
        return self.name


class MemberProfileQuerySet(BranchScopedQuerySet):
    def confirmed(self):
        return self.filter(status=MemberProfile.Status.CONFIRMED)


class MemberProfile(models.Model):
    """A member's file: who they are, their branch, and where they work now."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not approved")
        LEFT = "left", _("Left the branch")

    class MoveReason(models.TextChoices):
        WORK = "work", _("Work")
        BUSINESS = "business", _("Business")
        STUDY = "study", _("Study")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    real_name = models.CharField(_("real name"), max_length=50)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    mobile = models.CharField(
        _("mobile phone"), max_length=11, validators=[mobile_validator]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    moved_out_on = models.DateField(_("date moved out"), null=True, blank=True)
    move_reason = models.CharField(
        _("reason for moving"),
        max_length=10,
        choices=MoveReason.choices,
        blank=True,
    )
    current_city = models.CharField(_("current city"), max_length=60, blank=True)
    current_address = models.CharField(_("current address"), max_length=200, blank=True)
    employer = models.CharField(_("employer or occupation"), max_length=100, blank=True)
    activity_card_number = models.CharField(
        _("mobile member activity card number"), max_length=40, blank=True
    )
    card_reviewed_on = models.DateField(
        _("date of the card's last annual review"), null=True, blank=True
    )
    # Reminder e-mails of the study apps (overdue plans, a contact's digest).
    study_reminders = models.BooleanField(
        _("e-mail me study reminders"),
        default=True,
        help_text=_(
            "Reminders of overdue study and, for study contacts, a weekly digest."
        ),
    )
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consented_at = models.DateTimeField(_("consent given at"))
    decided_at = models.DateTimeField(
        _("confirmed or rejected at"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    anonymised_at = models.DateTimeField(_("account deleted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    branch_scope = "branch"
    objects = MemberProfileQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "real_name"]
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "activity_card_number"],
                condition=~Q(activity_card_number=""),
                name="unique_activity_card_per_branch",
                violation_error_message=_(
                    "This activity card number is already registered in this branch."
                ),
            )
        ]

    def __str__(self):
        return self.real_name

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class ProfileAccess(models.Model):
    """One organiser's view, edit or export of one member's profile.

    Kept for the personal-information audit trail (who saw whose record, when,
    how); only superusers can read it. Snapshots keep an entry meaningful if
    the accounts behind it are later removed.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EDIT = "edit", _("Edited")
        EXPORT = "export", _("Exported")
        DECIDE = "decide", _("Confirmed or rejected")

    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessed_by_email = models.EmailField(_("accessed by (e-mail)"))
    profile = models.ForeignKey(
        MemberProfile,
        verbose_name=_("member profile"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
    )
    profile_number = models.PositiveBigIntegerField(_("profile number"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    accessed_at = models.DateTimeField(
        _("accessed at"), default=timezone.now, db_index=True
    )

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = _("profile access log entry")
        verbose_name_plural = _("profile access log")

    def __str__(self):
        return f"{self.accessed_by_email} {self.action} #{self.profile_number}"


class ScopeRefusal(models.Model):
    """An admin address refused because it names another branch's object.

    Kept, like the profile access log, for the personal-information audit
    trail; only superusers read it.
    """

    refused_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refused to"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refused_to_email = models.CharField(_("refused to (account)"), max_length=254)
    object_type = models.CharField(_("object type"), max_length=100)
    object_number = models.CharField(_("object number"), max_length=40)
    object_label = models.CharField(_("object"), max_length=200)
    path = models.CharField(_("address"), max_length=500)
    refused_at = models.DateTimeField(
        _("refused at"), default=timezone.now, db_index=True
    )

    class Meta:
        ordering = ["-refused_at", "-pk"]
        verbose_name = _("refused access")
        verbose_name_plural = _("refused accesses")

    def __str__(self):
        return f"{self.refused_to_email} {self.object_type} #{self.object_number}"


class WhereaboutsEntry(models.Model):
    """One dated change of where a member is and how to reach them (流向台账).

    Holds the four facts as they stood after the change, and which of them
    changed; written only by `services.whereabouts_record_change`, whoever
    made the change (the member on their profile, an organiser in the admin).
    """

    class Source(models.TextChoices):
        MEMBER = "member", _("The member, on their profile")
        ORGANISER = "organiser", _("An organiser, in the admin")

    # The profile fields whose changes are kept, in the order shown.
    FIELDS = ("current_city", "current_address", "employer", "mobile")

    member = models.ForeignKey(
        MemberProfile,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="whereabouts",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    current_city = models.CharField(_("current city"), max_length=60, blank=True)
    current_address = models.CharField(_("current address"), max_length=200, blank=True)
    employer = models.CharField(_("employer or occupation"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=11, blank=True)
    changed = models.JSONField(_("what changed"), default=list)
    source = models.CharField(_("recorded by whom"), max_length=10, choices=Source)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    branch_scope = "member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("whereabouts entry")
        verbose_name_plural = _("whereabouts history")
        indexes = [
            models.Index(fields=["member", "-recorded_at"], name="whereabouts_member"),
        ]

    def __str__(self):
        return f"{self.member} · {self.recorded_at:%Y-%m-%d}"

    def changed_labels(self) -> list[str]:
        names = {f.name: f.verbose_name for f in self._meta.fields}
        return [str(names[name]) for name in self.changed if name in names]
