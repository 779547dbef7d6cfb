"""流向台账: where the branch's mobile members are now, grouped by city, with
the spreadsheet export (an admin report for organisers and superusers).

Rows are the confirmed members of the user's branches, by the one branch
scope; every export is written to the profile access log.
"""

import itertools
from dataclasses import dataclass

import django_filters
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, Table, TitleColumn
from wagtail.admin.views.reports import ReportView

from school.admin_reports import PermissionReportMixin

from . import scope, selectors
from .admin_exports import LoggedProfileExportMixin
from .admin_scope import BranchScopedFilterSet
from .models import Branch, MemberProfile

VIEW_PROFILE = "members.view_memberprofile"


class WhereaboutsFilterSet(BranchScopedFilterSet):
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.all()
    )
    current_city = django_filters.CharFilter(
        label=gettext_lazy("Current city"), lookup_expr="icontains"
    )

    class Meta:
        model = MemberProfile
        fields = []


@dataclass
class CityGroup:
    city: str
    count: int
    table: Table

    @property
    def label(self) -> str:
        return self.city or _("City not given")


def _local_date(value):
    return timezone.localdate(value) if value is not None else None


class WhereaboutsLedgerView(
    LoggedProfileExportMixin, PermissionReportMixin, ReportView
):
    """One row per confirmed member: the six facts of where they are, when
    they left and why, and when their whereabouts last changed."""

    page_title = gettext_lazy("Whereabouts ledger (流向台账)")
    header_icon = "site"
    results_template_name = "members/admin/whereabouts_ledger_results.html"
    index_url_name = "members_whereabouts:index"
    index_results_url_name = "members_whereabouts:results"
    filterset_class = WhereaboutsFilterSet
    paginate_by = 100
    export_filename = "whereabouts-ledger"
    permission = VIEW_PROFILE
    list_export = [
        "current_city",
        "real_name",
        "branch.name",
        "current_address",
        "employer",
        "mobile",
        "moved_out_on",
        "get_move_reason_display",
        "last_change_on",
    ]

    @cached_property
    def export_headings(self):
        return {
            "current_city": _("Current city"),
            "real_name": _("Name"),
            "branch.name": _("Branch"),
            "current_address": _("Current address"),
            "employer": _("Employer or work"),
            "mobile": _("Mobile"),
            "moved_out_on": _("Left on"),
            "get_move_reason_display": _("Why they left"),
            "last_change_on": _("Whereabouts last changed"),
        }

    @cached_property
    def columns(self):
        h = self.export_headings
        return [
            TitleColumn(
                "real_name",
                label=h["real_name"],
                url_name="member_profiles:file",
            ),
            Column("branch", label=h["branch.name"], accessor="branch.name"),
            Column("current_address", label=h["current_address"]),
            Column("employer", label=h["employer"]),
            Column("mobile", label=h["mobile"]),
            DateColumn("moved_out_on", label=h["moved_out_on"]),
            Column(
                "move_reason",
                label=h["get_move_reason_display"],
                accessor="get_move_reason_display",
            ),
            DateColumn("last_change_on", label=h["last_change_on"]),
        ]

    def get_base_queryset(self):
        members = scope.visible(MemberProfile.objects.confirmed(), self.request.user)
        return selectors.by_city(
            selectors.with_last_whereabouts_change(members.select_related("branch"))
        )

    def get_filtered_queryset(self):
        # Wagtail's listing has applied the filters in get_queryset().
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.last_change_on = _local_date(row.last_whereabouts_change)
        return rows

    @cached_property
    def city_counts(self) -> dict[str, int]:
        return dict(selectors.city_counts(self.get_queryset()))

    export_log_name = "whereabouts ledger"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.is_export:
            return context
        rows = self.decorate_paginated_queryset(context["object_list"])
        counts = self.city_counts
        context["city_groups"] = [
            CityGroup(city, counts.get(city, 0), self.get_table(list(group)))
            for city, group in itertools.groupby(rows, key=lambda r: r.current_city)
        ]
        context["city_summary"] = [
            (city or _("City not given"), count) for city, count in counts.items()
        ]
        context["member_count"] = sum(counts.values())
        return context
