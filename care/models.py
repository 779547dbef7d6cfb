"""Care visits (三个必访): members in hardship, whose rights were harmed, or who
cannot go home at New Year must be visited, and the branch keeps a record.

A visit or call is recorded by the member's study contact or an organiser of
their branch; what was done and what is still open stay with it. Members not
going home for a Spring Festival are marked per festival year, so that the
organiser can list who of them has not been visited yet.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.members.scope import BranchScopedQuerySet


class Reason(models.TextChoices):
    HARDSHIP = "hardship", _("Hardship in daily life")
    RIGHTS = "rights", _("Legal rights harmed")
    NEW_YEAR = "new_year", _("Not going home at New Year")
    ILLNESS = "illness", _("Illness")
    OTHER = "other", _("Other")


class CareVisit(models.Model):
    """One visit or call to a member, for one reason, with what came of it."""

    class Way(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")

    class Role(models.TextChoices):
        CONTACT = "contact", _("Study contact")
        ORGANISER = "organiser", _("Branch organiser")

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="care_visits",
    )
    visited_on = models.DateField(_("date"))
    way = models.CharField(_("way of contact"), max_length=10, choices=Way.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    done = models.TextField(_("what was done"), max_length=2000)
    still_open = models.TextField(_("what is still open"), max_length=2000, blank=True)
    closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("Nothing is left to do for this visit."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_as = models.CharField(
        _("recorded as"), max_length=10, choices=Role.choices
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    branch_scope = "member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        indexes = [models.Index(fields=["member", "reason", "visited_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(done=""), name="care_visit_says_what_was_done"
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.visited_on} {self.get_reason_display()}"

    @property
    def recorded_by_text(self) -> str:
        profile = getattr(self.recorded_by, "profile", None)
        name = profile.real_name if profile else str(self.recorded_by or "—")
        return f"{name}（{self.get_recorded_as_display()}）"


class NewYearStay(models.Model):
    """A member marked as not going home for the Spring Festival of a year."""

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="new_year_stays",
    )
    festival_year = models.PositiveSmallIntegerField(_("Spring Festival of"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    branch_scope = "member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-festival_year", "member"]
        verbose_name = _("member not going home at New Year")
        verbose_name_plural = _("members not going home at New Year")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "festival_year"],
                name="one_new_year_stay_per_member_and_year",
                violation_error_message=_(
                    "This member is already marked as not going home for this "
                    "Spring Festival."
                ),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.festival_year}"
