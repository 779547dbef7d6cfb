"""The organisers' dues back office: amounts, payments and the year's ledger.

Rows are limited to the branches the user organises by the one branch scope
(`school.members.admin_scope`); writes go through `dues.services`.
"""

from typing import NamedTuple

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from school.admin_forms import ServiceFormMixin
from school.admin_reports import RowsExportMixin
from school.members import scope
from school.members.admin_scope import BranchScopedFilterSet
from school.members.models import Branch, MemberProfile

from . import selectors, services
from .selectors import State

VIEW_PAYMENTS = "dues.view_duespayment"
MONTH_NAMES = [f"{n}月" for n in range(1, 13)]


class DuesPaymentPolicy(ModelPermissionPolicy):
    """A payment is recorded, or deleted when entered by mistake; never edited
    (its months would no longer match its amount)."""

    def user_has_permission(self, user, action):
        if action == "change":
            return False
        return super().user_has_permission(user, action)


class DuesRateCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.dues_rate_set(
            member=data["member"],
            monthly_amount=data["monthly_amount"],
            applies_from=data["applies_from"],
            note=data["note"],
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _("%(name)s owes %(amount)s yuan a month from %(month)s.") % {
            "name": instance.member.real_name,
            "amount": instance.monthly_amount,
            "month": f"{instance.applies_from:%Y-%m}",
        }


class DuesRateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member__branch", "set_by")


class DuesPaymentIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super().get_base_queryset().select_related("member__branch", "recorded_by")
        )

    def get_edit_url(self, instance):
        return None


class DuesPaymentCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.dues_payment_record(
            member=data["member"],
            paid_on=data["paid_on"],
            first_month=data["first_month"],
            months=data["months"],
            amount=data["amount"],
            method=data["method"],
            paid_by=data["paid_by"],
            whole_year=data["whole_year"],
            note=data["note"],
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _("%(amount)s yuan from %(name)s recorded for %(period)s.") % {
            "amount": instance.amount,
            "name": instance.member.real_name,
            "period": instance.period_label,
        }


# --- The year's ledger ----------


def year_choices(today):
    return [(str(y), f"{y}年") for y in range(today.year + 1, today.year - 4, -1)]


class LedgerFilterSet(BranchScopedFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), method="filter_nothing", empty_label=None
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.all()
    )
    owing = django_filters.ChoiceFilter(
        label=gettext_lazy("Dues"),
        method="filter_nothing",
        choices=[("owing", gettext_lazy("Only members who owe dues"))],
        empty_label=gettext_lazy("Every member"),
    )

    class Meta:
        model = MemberProfile
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = year_choices(timezone.localdate())
        self.filters["year"].extra["choices"] = choices
        self.form.fields["year"].choices = choices

    def filter_nothing(self, queryset, name, value):
        # The year and "owing" are read by the view: they need the dues rows.
        return queryset


class LedgerRow(NamedTuple):
    """One member's line of the ledger: what the page and the export show."""

    pk: int
    real_name: str
    branch_name: str
    dues: selectors.YearDues


class DuesLedgerView(RowsExportMixin, ReportView):
    """党费台账: one row per confirmed member, their twelve months, totals.

    Every listed member's year is read at once (the totals and the unpaid
    list need them all); the page shows a hundred of them as one plain grid
    and the export writes them all as plain rows."""

    page_title = gettext_lazy("Party dues ledger")
    header_icon = "table"
    template_name = "dues/admin/ledger.html"
    results_template_name = "dues/admin/ledger_results.html"
    index_url_name = "dues_ledger:index"
    index_results_url_name = "dues_ledger:results"
    filterset_class = LedgerFilterSet
    paginate_by = 100
    export_filename = "dues-ledger"

    list_export = [
        "real_name",
        "branch.name",
        *[f"month_{n}" for n in range(1, 13)],
        "due_to_date",
        "paid_total",
        "owed_total",
        "owed_months",
    ]

    @cached_property
    def export_headings(self):
        headings = {
            "real_name": _("Name"),
            "branch.name": _("Branch"),
            "due_to_date": _("Due to date (yuan)"),
            "paid_total": _("Paid in the year (yuan)"),
            "owed_total": _("Owed (yuan)"),
            "owed_months": _("Months owed"),
        }
        headings.update({f"month_{n}": MONTH_NAMES[n - 1] for n in range(1, 13)})
        return headings

    @cached_property
    def state_texts(self) -> dict[str, str]:
        """What a month's cell says; nothing for a month not yet due or
        without an amount."""
        texts = dict.fromkeys((State.NOT_YET_DUE, State.NO_AMOUNT), "")
        texts.update(
            {
                State.PAID: _("Paid"),
                State.OWED: _("Owed"),
                State.EXCUSED: _("Excused"),
            }
        )
        return texts

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PAYMENTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def user_has_permission(self, permission):
        return self.request.user.has_perm(VIEW_PAYMENTS)

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def year(self) -> int:
        try:
            year = int(self.request.GET.get("year") or self.today.year)
        except ValueError:
            year = self.today.year
        valid = [int(value) for value, _label in year_choices(self.today)]
        return year if year in valid else self.today.year

    @cached_property
    def owing_only(self) -> bool:
        return self.request.GET.get("owing") == "owing"

    def get_filename(self):
        return f"{self.export_filename}-{self.year}"

    def get_base_queryset(self):
        return scope.visible(
            MemberProfile.objects.confirmed(), self.request.user
        ).order_by("branch__code", "real_name", "pk")

    @cached_property
    def all_rows(self) -> list[LedgerRow]:
        """Every listed member's line, in order (two queries for their years
        however many there are): the totals, the unpaid list and the export
        read them."""
        # get_queryset() has applied the filters already (Wagtail's listing).
        members = self.get_queryset()
        dues = selectors.dues_years(members.order_by(), self.year, self.today)
        return [
            LedgerRow(pk, name, branch, dues[pk])
            for pk, name, branch in members.values_list(
                "pk", "real_name", "branch__name"
            )
        ]

    def get_filtered_queryset(self):
        if self.owing_only:
            return [row for row in self.all_rows if row.dues.owed_count]
        return self.all_rows

    def decorate_paginated_queryset(self, object_list):
        if self.is_export:
            return object_list  # export_rows() reads the rows themselves
        texts = self.state_texts
        return [
            (row, [(state, texts[state]) for state in row.dues.states])
            for row in object_list
        ]

    def export_rows(self, object_list):
        texts = self.state_texts
        for row in object_list:
            dues = row.dues
            yield [
                row.real_name,
                row.branch_name,
                *[texts[state] for state in dues.states],
                dues.due_to_date,
                dues.paid_total,
                dues.owed_total,
                dues.owed_count,
            ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            years = [row.dues for row in self.all_rows]
            context.update(
                year=self.year,
                headings=[self.export_headings[f] for f in self.list_export],
                members=len(years),
                due_total=sum((d.due_to_date for d in years), selectors.ZERO),
                paid_total=sum((d.paid_total for d in years), selectors.ZERO),
                owed_total=sum((d.owed_total for d in years), selectors.ZERO),
                owing_count=sum(1 for d in years if d.owed_count),
            )
        return context
