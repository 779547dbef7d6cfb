"""The organisers' "1+1" back office in the Wagtail admin: pairings (set up,
end, history), the pairing overview (coverage, contacts' load, members without
a contact), contact logs and the ledger of monthly reports with xlsx export.

Rows are limited to the branches the user organises (sub-branches included)
by the one branch scope (`school.members.admin_scope`): anything outside is a
404 whatever the URL. Writes go through
`courses.pairing.services`.
"""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from school.admin_forms import ServiceFormMixin
from school.admin_reports import ReportViewSet, with_permission
from school.members import scope
from school.members.admin_scope import BranchScopedFilterSet, BranchScopedViewSetMixin
from school.members.models import Branch, MemberProfile

from ..forms import DateInput, ServiceErrorsMixin
from ..models import ContactLog, MonthlyReport, Pairing
from . import selectors, services
from .forms import PairingForm

VIEW_PAIRINGS = "courses.view_pairing"
ADD_PAIRINGS = "courses.add_pairing"
VIEW_REPORTS = "courses.view_monthlyreport"


# --- Permission policies ----------


class PairingPolicy(ModelPermissionPolicy):
    """Pairings are created and ended, never deleted: they are the history of
    who helped whom. "change" means ending one."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)


class ContactLogPolicy(ModelPermissionPolicy):
    """Contacts write their logs on the site; the back office only reads them."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Pairing, PairingPolicy(Pairing), exact_class=True)
register_permission_policy(ContactLog, ContactLogPolicy(ContactLog), exact_class=True)


# --- Pairings ----------


class PairingFilterSet(BranchScopedFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        method="filter_state",
        choices=[("active", gettext_lazy("Active")), ("ended", gettext_lazy("Ended"))],
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"),
        field_name="member__branch",
        queryset=Branch.objects.all(),
    )

    class Meta:
        model = Pairing
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=(value == "active"))


class PairingIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member__branch", "contact")

    def get_edit_url(self, instance):
        # Rows open the pairing's details; "edit" is ending it (below).
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_active and self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("End the pairing"),
                    url=reverse("pairings:edit", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        buttons.append(
            HeaderButton(
                _("Pairing overview"),
                url=reverse("pairing_overview:index"),
                icon_name="table",
            )
        )
        return buttons


class PairingCreateView(ServiceFormMixin, CreateView):
    """Pair a contact with one or more members through the pairing service."""

    page_title = gettext_lazy("Pair members with a study contact")
    submit_button_label = gettext_lazy("Pair")

    def get_initial(self):
        initial = super().get_initial()
        member = self.request.GET.get("member")
        if member and member.isdigit():
            initial["members"] = [int(member)]
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        self.pairings = services.pairing_create_many(
            contact=data["contact"],
            members=data["members"],
            started_on=data["started_on"],
            by=self.request.user,
        )
        return self.pairings[0]

    def get_success_message(self, instance):
        return _("%(names)s paired with the study contact %(contact)s.") % {
            "names": "、".join(p.member.real_name for p in self.pairings),
            "contact": instance.contact.real_name,
        }

    def get_success_buttons(self):
        return []


class PairingEndForm(ServiceErrorsMixin, WagtailAdminModelForm):
    class Meta:
        model = Pairing
        fields = ["ended_on"]
        widgets = {"ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].required = True
        # The instance's empty end date would hide the field's initial value.
        self.initial["ended_on"] = self.initial.get("ended_on") or timezone.localdate()
        self.fields["ended_on"].error_messages["required"] = _("Give the end date.")


class PairingEndView(ServiceFormMixin, EditView):
    """ "Editing" a pairing is ending it: the rest of it is history."""

    page_title = gettext_lazy("End the pairing")
    submit_button_label = gettext_lazy("End the pairing")

    def get_queryset(self):
        return Pairing.objects.active()

    def get_panel(self):
        return ObjectList(
            [FieldPanel("ended_on")], base_form_class=PairingEndForm
        ).bind_to_model(Pairing)

    def get_form_class(self):
        return self.panel.get_form_class()

    def save_instance(self):
        return services.pairing_end(
            pairing=Pairing.objects.get(pk=self.object.pk),
            by=self.request.user,
            ended_on=self.form.cleaned_data["ended_on"],
        )

    def get_success_message(self):
        return _("The pairing of %(member)s with %(contact)s has ended.") % {
            "member": self.object.member.real_name,
            "contact": self.object.contact.real_name,
        }

    def get_success_buttons(self):
        return []


class NoNoneInspectView(InspectView):
    """An empty field reads as a dash, not Python's "None"."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None else value


class PairingInspectView(NoNoneInspectView):
    def get_edit_url(self):
        if self.object.is_active:
            return super().get_edit_url()
        return None

    @cached_property
    def header_buttons(self):
        # The generic "Edit" is this view's "End the pairing", in plain sight.
        buttons = []
        if edit_url := self.get_edit_url():
            buttons.append(
                HeaderButton(_("End the pairing"), url=edit_url, icon_name="cross")
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return []


class PairingViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = Pairing
    name = "pairings"
    url_prefix = "pairings"
    icon = "group"
    menu_label = gettext_lazy("Pairings")
    index_view_class = PairingIndexView
    add_view_class = PairingCreateView
    edit_view_class = PairingEndView
    inspect_view_class = PairingInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = PairingFilterSet
    # The first column, named by field, links each row to its page and
    # carries its actions (including ending the pairing). Dates are shown as
    # dates: Wagtail's DateColumn reads "1 month ago".
    list_display = [
        "member",
        Column("branch", accessor="member.branch.name", label=gettext_lazy("Branch")),
        Column("contact", label=gettext_lazy("study contact")),
        Column("started_on", label=gettext_lazy("start date")),
        Column("ended_on", label=gettext_lazy("end date")),
        Column("state", label=gettext_lazy("State")),
    ]
    search_fields = ["member__real_name", "contact__real_name"]
    ordering = ["-started_on", "-pk"]
    list_export = [
        "member",
        "member.branch",
        "contact",
        "started_on",
        "ended_on",
        "state",
    ]
    export_headings = {
        "member.branch": gettext_lazy("Branch"),
        "state": gettext_lazy("State"),
    }
    export_filename = "pairings"
    inspect_view_fields = [
        "member",
        "contact",
        "started_on",
        "ended_on",
        "end_reason",
        "created_by",
        "ended_by",
        "created_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel("contact"), FieldPanel("members"), FieldPanel("started_on")],
        base_form_class=PairingForm,
    )


# --- Contact logs (read-only) ----------


class ContactLogIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("pairing__member", "pairing__contact", "study_record")
        )


class ContactLogInspectView(NoNoneInspectView):
    pass


class ContactLogViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = ContactLog
    name = "contact_logs"
    url_prefix = "pairings/logs"
    icon = "clipboard-list"
    menu_label = gettext_lazy("Contact logs")
    index_view_class = ContactLogIndexView
    inspect_view_class = ContactLogInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "kind",
        Column("member", accessor="pairing.member", label=gettext_lazy("member")),
        Column(
            "contact", accessor="pairing.contact", label=gettext_lazy("study contact")
        ),
        Column("date", label=gettext_lazy("date")),
        Column("note", label=gettext_lazy("note")),
    ]
    list_filter = ["kind", "date"]
    # Never offered (the policy allows viewing only), but the viewset wants it.
    form_fields = ["note"]
    search_fields = ["pairing__member__real_name", "pairing__contact__real_name"]
    ordering = ["-date", "-pk"]
    list_export = ["date", "kind", "pairing.member", "pairing.contact", "note"]
    export_headings = {
        "pairing.member": gettext_lazy("member"),
        "pairing.contact": gettext_lazy("study contact"),
    }
    export_filename = "contact-logs"
    inspect_view_fields = [
        "pairing",
        "date",
        "kind",
        "note",
        "study_record",
        "created_by",
        "created_at",
    ]


# --- The pairing overview ----------


class OverviewFilterSet(BranchScopedFilterSet):
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.none()
    )

    class Meta:
        model = MemberProfile
        fields = []


class PairingOverviewView(ReportView):
    """Coverage of the branches, contacts with their load, and the members
    still without a contact (the rows, exportable)."""

    page_title = gettext_lazy("Pairing overview")
    header_icon = "group"
    template_name = "courses/admin/pairing_overview.html"
    results_template_name = "courses/admin/pairing_overview_results.html"
    index_url_name = "pairing_overview:index"
    index_results_url_name = "pairing_overview:results"
    filterset_class = OverviewFilterSet
    paginate_by = 50
    export_filename = "members-without-contact"
    list_export = ["real_name", "branch.name", "mobile", "current_city"]
    export_headings = {
        "real_name": gettext_lazy("Name"),
        "branch.name": gettext_lazy("Branch"),
        "mobile": gettext_lazy("Mobile phone"),
        "current_city": gettext_lazy("Current city"),
    }
    columns = [
        Column("real_name", label=gettext_lazy("Name")),
        Column("branch", accessor="branch.name", label=gettext_lazy("Branch")),
        Column("current_city", label=gettext_lazy("Current city")),
        Column("pair", accessor="pair_link", label=gettext_lazy("Pair")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PAIRINGS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.unpaired_members(scope.visible_branch_ids(self.request.user))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        can_add = self.request.user.has_perm(ADD_PAIRINGS)
        add_url = reverse("pairings:add")
        for row in rows:
            row.pair_link = PairLink(f"{add_url}?member={row.pk}") if can_add else ""
        return rows

    def branch_ids(self):
        filters = self.filters
        if filters and filters.is_valid() and filters.form.cleaned_data.get("branch"):
            return [filters.form.cleaned_data["branch"].pk]
        return scope.visible_branch_ids(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.is_export:
            return context
        ids = self.branch_ids()
        context["coverage"] = selectors.coverage(ids)
        context["branch_rows"] = branch_coverage(ids)
        context["contacts"] = list(selectors.contact_loads(ids))
        context["pairings_url"] = reverse("pairings:index")
        return context


class PairLink(str):
    """The "pair" cell: a link to the pairing form with the member chosen."""

    def __html__(self):
        return format_html('<a href="{}">{}</a>', str(self), _("Pair"))


def branch_coverage(branch_ids) -> list[dict]:
    """Per branch: confirmed members and how many have an active contact."""
    active = Exists(
        Pairing.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
    )
    rows = (
        MemberProfile.objects.confirmed()
        .filter(branch_id__in=branch_ids)
        .annotate(covered=active)
        .values("branch_id", "branch__name", "branch__code")
        .annotate(
            members=Count("pk"),
            with_contact=Count("pk", filter=Q(covered=True)),
        )
        .order_by("branch__code")
    )
    return [
        {
            **row,
            "without": row["members"] - row["with_contact"],
            "percent": round(100 * row["with_contact"] / row["members"])
            if row["members"]
            else 0,
        }
        for row in rows
    ]


# --- The ledger of monthly reports ----------


def month_choices(today):
    choices = []
    month = selectors.month_start(today)
    for _n in range(13):
        choices.append((month.strftime("%Y-%m"), month.strftime("%Y-%m")))
        month = selectors.previous_month(month)
    return choices


def parse_month(value, today) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return selectors.month_start(today)


class ReportLedgerFilterSet(BranchScopedFilterSet):
    month = django_filters.ChoiceFilter(
        label=gettext_lazy("Calendar month"), method="filter_nothing", empty_label=None
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"),
        field_name="member__branch",
        queryset=Branch.objects.all(),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        method="filter_status",
        choices=[
            ("submitted", gettext_lazy("Submitted")),
            ("missing", gettext_lazy("Missing")),
        ],
    )

    class Meta:
        model = Pairing
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = month_choices(timezone.localdate())
        self.filters["month"].extra["choices"] = choices
        self.form.fields["month"].choices = choices

    def filter_nothing(self, queryset, name, value):
        # The month chooses the rows in the view (pairings active that month).
        return queryset

    def filter_status(self, queryset, name, value):
        month = parse_month(self.data.get("month"), timezone.localdate())
        submitted = Exists(
            MonthlyReport.objects.filter(pairing=OuterRef("pk"), month=month)
        )
        if value == "submitted":
            return queryset.filter(submitted)
        return queryset.exclude(submitted)


class MonthlyReportLedgerView(ReportView):
    """月度帮学报告台账: one row per pairing that owes a report for the month."""

    page_title = gettext_lazy("Monthly report ledger")
    header_icon = "doc-full"
    template_name = "courses/admin/report_ledger.html"
    results_template_name = "courses/admin/report_ledger_results.html"
    index_url_name = "pairing_reports:index"
    index_results_url_name = "pairing_reports:results"
    filterset_class = ReportLedgerFilterSet
    paginate_by = 50
    export_filename = "monthly-reports"
    list_export = [
        "member.real_name",
        "member.branch.name",
        "contact.real_name",
        "submitted",
        "submitted_at",
        "minutes",
        "summary",
        "note",
    ]
    export_headings = {
        "member.real_name": gettext_lazy("Member"),
        "member.branch.name": gettext_lazy("Branch"),
        "contact.real_name": gettext_lazy("Study contact"),
        "submitted": gettext_lazy("Submitted"),
        "submitted_at": gettext_lazy("Submitted at"),
        "minutes": gettext_lazy("Minutes studied"),
        "summary": gettext_lazy("Study summary"),
        "note": gettext_lazy("Thinking and situation"),
    }
    columns = [
        Column("member", accessor="member.real_name", label=gettext_lazy("Member")),
        Column("branch", accessor="member.branch.name", label=gettext_lazy("Branch")),
        Column(
            "contact", accessor="contact.real_name", label=gettext_lazy("Study contact")
        ),
        Column("submitted", label=gettext_lazy("Submitted")),
        Column("minutes", label=gettext_lazy("Minutes studied")),
        Column("summary", label=gettext_lazy("Study summary")),
        Column("note", label=gettext_lazy("Thinking and situation")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def month(self):
        return parse_month(self.request.GET.get("month"), timezone.localdate())

    def get_filename(self):
        return f"{self.export_filename}-{self.month:%Y-%m}"

    def get_base_queryset(self):
        return selectors.expected_reports(
            scope.visible_branch_ids(self.request.user), self.month
        )

    def get_filtered_queryset(self):
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        reports = {
            report.pairing_id: report
            for report in MonthlyReport.objects.filter(
                pairing__in=[row.pk for row in rows], month=self.month
            )
        }
        for row in rows:
            report = reports.get(row.pk)
            row.report = report
            row.submitted = _("Yes") if report else _("Missing")
            row.submitted_at = (
                timezone.localtime(report.submitted_at).replace(tzinfo=None)
                if report
                else None
            )
            row.minutes = report.minutes if report else ""
            row.summary = report.summary if report else ""
            row.note = report.note if report else ""
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            expected = self.get_base_queryset()
            total = expected.count()
            submitted = MonthlyReport.objects.filter(
                pairing__in=expected.values("pk"), month=self.month
            ).count()
            context["ledger"] = {
                "month": self.month,
                "expected": total,
                "submitted": submitted,
                "missing": total - submitted,
            }
        return context


# --- Menu ----------


class PairingViewSetGroup(ViewSetGroup):
    items = (
        PairingViewSet,
        ReportViewSet(
            "pairing_overview",
            url_prefix="pairings/overview",
            view_class=PairingOverviewView,
            results_url_name="results",
            shown_to=with_permission(VIEW_PAIRINGS),
            icon="table",
            menu_label=gettext_lazy("Pairing overview"),
        ),
        ReportViewSet(
            "pairing_reports",
            url_prefix="pairings/reports",
            view_class=MonthlyReportLedgerView,
            results_url_name="results",
            shown_to=with_permission(VIEW_REPORTS),
            icon="doc-full",
            menu_label=gettext_lazy("Monthly report ledger"),
        ),
        ContactLogViewSet,
    )
    menu_icon = "group"
    menu_label = gettext_lazy('"1+1" paired study')
    menu_name = "pairings"
    menu_order = 260


@hooks.register("register_admin_viewset")
def register_pairing_viewsets():
    return PairingViewSetGroup()
