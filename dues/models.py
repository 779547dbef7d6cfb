"""Party dues (党费): the monthly amount each member owes and what they paid.

The site takes no money: organisers record what was paid to the branch in
person, by transfer, or on the member's behalf (代缴). Every month a payment
covers becomes a `DuesMonth` row, so that a month can be paid only once (a
database constraint) and the ledger reads one row per member and month.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.members.scope import BranchScopedQuerySet

# Above this a monthly amount is a typing error, not a member's dues.
MAX_MONTHLY_AMOUNT = Decimal("5000.00")
MAX_MONTHS = 12


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


class DuesRate(models.Model):
    """The monthly amount a member owes from a month on, until the next rate.

    Rates are never overwritten by later ones: each change is a new row from
    the month it applies, so the history of amounts stays.
    """

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="dues_rates",
    )
    monthly_amount = models.DecimalField(
        _("monthly amount (yuan)"),
        max_digits=8,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0")),
            MaxValueValidator(MAX_MONTHLY_AMOUNT),
        ],
        help_text=_("0 for a member excused from dues."),
    )
    applies_from = models.DateField(
        _("applies from (month)"),
        help_text=_("The first month this amount is due; it holds until the next."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    branch_scope = "member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-applies_from"]
        verbose_name = _("monthly dues amount")
        verbose_name_plural = _("monthly dues amounts")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "applies_from"],
                name="unique_dues_rate_per_month",
                violation_error_message=_(
                    "This member already has an amount from this month; "
                    "change that one instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(monthly_amount__gte=0)
                & Q(monthly_amount__lte=MAX_MONTHLY_AMOUNT),
                name="dues_rate_amount_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.applies_from:%Y-%m} {self.monthly_amount}"

    def save(self, *args, **kwargs):
        self.applies_from = month_start(self.applies_from)
        super().save(*args, **kwargs)


class DuesPayment(models.Model):
    """Money paid to the branch for a run of whole months of one member."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        TRANSFER = "transfer", _("Bank or mobile transfer")
        ON_BEHALF = "on_behalf", _("Paid on the member's behalf (代缴)")

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    paid_on = models.DateField(_("date paid"))
    first_month = models.DateField(_("first month covered"))
    months = models.PositiveSmallIntegerField(
        _("months covered"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    paid_by = models.CharField(
        _("paid on the member's behalf by"), max_length=100, blank=True
    )
    whole_year = models.BooleanField(
        _("whole year paid at once (年初一次交齐)"), default=False
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    branch_scope = "member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="dues_payment_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=MAX_MONTHS),
                name="dues_payment_months_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(method="on_behalf") | ~Q(paid_by=""),
                name="dues_payment_on_behalf_names_payer",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.period_label} {self.amount}"

    @property
    def last_month(self) -> datetime.date:
        return add_months(self.first_month, self.months - 1)

    @property
    def period_label(self) -> str:
        return month_range_label(self.first_month, self.last_month)


def month_range_label(first: datetime.date, last: datetime.date) -> str:
    if first == last:
        return f"{first.year}年{first.month}月"
    if first.year == last.year:
        return f"{first.year}年{first.month}—{last.month}月"
    return f"{first.year}年{first.month}月—{last.year}年{last.month}月"


class DuesMonth(models.Model):
    """One month of one member's dues, and the payment that covered it."""

    payment = models.ForeignKey(
        DuesPayment,
        verbose_name=_("dues payment"),
        on_delete=models.CASCADE,
        related_name="covered_months",
    )
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="dues_months",
    )
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2)

    branch_scope = "member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member", "month"]
        verbose_name = _("month of dues paid")
        verbose_name_plural = _("months of dues paid")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                name="unique_dues_month",
                violation_error_message=_("This month's dues are already paid."),
            )
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}"
