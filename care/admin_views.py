"""The organisers' care back office: visits, who is not going home at New
Year, and the list of those not visited yet before the Spring Festival.

Rows are limited to the organiser's branches by the one branch scope
(`school.members.admin_scope`); writes go through `care.services`.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.reports import ReportView

from school.admin_forms import ServiceFormMixin
from school.admin_reports import PermissionReportMixin
from school.members import scope
from school.members.admin_scope import BranchScopedFilterSet
from school.members.forms import DateInput
from school.members.models import Branch, MemberProfile

from . import selectors, services
from .spring_festival import (
    FIRST_YEAR,
    LAST_YEAR,
    coming_festival_year,
    festival_date,
    visits_count_from,
)

VIEW_VISITS = "care.view_carevisit"


class CareVisitIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("member__branch", "recorded_by__profile")
        )


class CareVisitCreateView(ServiceFormMixin, CreateView):
    def get_initial(self):
        # The member file's "record a care visit" link names the member.
        initial = super().get_initial()
        if (member := self.request.GET.get("member", "")).isdigit():
            initial["member"] = member
        return initial

    def save_instance(self):
        data = dict(self.form.cleaned_data)
        return services.care_visit_record(by=self.request.user, **data)

    def get_success_message(self, instance):
        return _("%(way)s with %(name)s on %(date)s recorded.") % {
            "way": instance.get_way_display(),
            "name": instance.member.real_name,
            "date": f"{instance.visited_on:%Y-%m-%d}",
        }


class CareVisitEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        data = dict(self.form.cleaned_data)
        return services.care_visit_update(
            visit=self.form.instance, by=self.request.user, **data
        )


class NewYearStayIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("member__branch", "marked_by__profile")
        )


class NewYearStayCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.new_year_stay_mark(
            member=data["member"],
            festival_year=data["festival_year"],
            note=data["note"],
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _(
            "%(name)s is marked as not going home for the Spring Festival %(year)s."
        ) % {"name": instance.member.real_name, "year": instance.festival_year}


# --- Not visited yet before the Spring Festival ----------


def festival_choices(today):
    coming = coming_festival_year(today)
    years = range(min(coming + 1, LAST_YEAR), max(coming - 3, FIRST_YEAR) - 1, -1)
    return [
        (
            str(y),
            _("Spring Festival %(year)s (%(date)s)")
            % {"year": y, "date": f"{festival_date(y):%Y-%m-%d}"},
        )
        for y in years
    ]


class NotVisitedFilterSet(BranchScopedFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Spring Festival"), method="filter_nothing", empty_label=None
    )
    since = django_filters.DateFilter(
        label=gettext_lazy("Visits count from"),
        method="filter_nothing",
        widget=DateInput(),
        help_text=gettext_lazy(
            "A New Year visit on or after this day counts; by default 30 days "
            "before the festival."
        ),
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.all()
    )

    class Meta:
        model = MemberProfile
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = festival_choices(timezone.localdate())
        self.filters["year"].extra["choices"] = choices
        self.form.fields["year"].choices = choices
        self.form.fields["since"].error_messages["invalid"] = _(
            "Enter a date such as 2027-01-07."
        )

    def filter_nothing(self, queryset, name, value):
        # The festival and the date are read by the view.
        return queryset


class NotVisitedView(PermissionReportMixin, ReportView):
    """春节前未走访: members of the organiser's branches marked as not going
    home for the festival, with no New Year visit since the chosen day."""

    page_title = gettext_lazy("Not going home at New Year, not visited yet")
    header_icon = "warning"
    template_name = "care/admin/not_visited.html"
    index_url_name = "care_not_visited:index"
    index_results_url_name = "care_not_visited:results"
    filterset_class = NotVisitedFilterSet
    paginate_by = 100
    export_filename = "not-visited"
    permission = VIEW_VISITS
    list_export = [
        "real_name",
        "branch.name",
        "current_city",
        "mobile",
        "contact_name",
        "contact_mobile",
        "last_new_year_visit",
    ]

    @cached_property
    def year(self) -> int:
        valid = [int(value) for value, _label in festival_choices(self.today)]
        try:
            year = int(self.request.GET.get("year") or 0)
        except ValueError:
            year = 0
        return year if year in valid else coming_festival_year(self.today)

    @cached_property
    def since(self) -> datetime.date:
        field = forms.DateField(required=False)
        try:
            since = field.clean(self.request.GET.get("since"))
        except ValidationError:
            since = None
        return since or visits_count_from(self.year)

    @cached_property
    def export_headings(self):
        return {
            "real_name": _("Name"),
            "branch.name": _("Branch"),
            "current_city": _("Current city"),
            "mobile": _("Mobile"),
            "contact_name": _("Study contact"),
            "contact_mobile": _("Contact's mobile"),
            "last_new_year_visit": _("Last New Year visit"),
        }

    @cached_property
    def columns(self):
        h = self.export_headings
        return [
            Column("real_name", label=h["real_name"]),
            Column("branch", label=h["branch.name"], accessor="branch.name"),
            Column("current_city", label=h["current_city"]),
            Column("mobile", label=h["mobile"]),
            Column("contact_text", label=h["contact_name"]),
            DateColumn("last_new_year_visit", label=h["last_new_year_visit"]),
        ]

    def get_filename(self):
        return f"{self.export_filename}-{self.year}"

    def get_base_queryset(self):
        members = scope.visible(MemberProfile.objects.confirmed(), self.request.user)
        return (
            selectors.not_visited(members, self.year, self.since)
            .select_related("branch")
            .order_by("branch__code", "real_name", "pk")
        )

    def get_filtered_queryset(self):
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.contact_text = (
                f"{row.contact_name}（{row.contact_mobile}）"
                if row.contact_name and row.contact_mobile
                else row.contact_name or _("No study contact")
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            festival_year=self.year,
            festival=festival_date(self.year),
            since=self.since,
        )
        return context
