"""The organisers' organisational-life back office: meetings, who took part,
and the year's ledgers. Scoped by the one branch scope; writes go through
`orglife.services`."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.reports import ReportView

from school.members import scope
from school.members.admin_scope import BranchScopedFilterSet
from school.members.models import Branch, MemberProfile

from . import selectors, services
from .forms import AttendanceFormSet
from .models import Attendance, Kind, Meeting

VIEW_MEETINGS = "orglife.view_meeting"
CHANGE_MEETINGS = "orglife.change_meeting"


class MeetingIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("branch")
            .annotate(**_attendance_counts())
        )


def _attendance_counts():
    from django.db.models import Count, Q

    return {
        "present_count": Count(
            "attendances", filter=Q(attendances__status=Attendance.Status.PRESENT)
        ),
        "leave_count": Count(
            "attendances", filter=Q(attendances__status=Attendance.Status.LEAVE)
        ),
    }


class AttendanceRedirectMixin:
    def get_success_url(self):
        return reverse("orglife_meetings:attendance", args=[self.object.pk])


class MeetingCreateView(AttendanceRedirectMixin, CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()

    def get_success_message(self, instance):
        return _("Meeting saved. Now record who took part.")


class MeetingEditView(EditView):
    pass


def _sheet_members(meeting):
    """The branch's confirmed members, and anyone already on the sheet."""
    members = MemberProfile.objects.filter(branch=meeting.branch).filter(
        status=MemberProfile.Status.CONFIRMED
    ) | MemberProfile.objects.filter(meeting_attendances__meeting=meeting)
    return {m.pk: m for m in members.distinct().order_by("real_name", "pk")}


def attendance_view(request, pk):
    """The attendance sheet of one meeting: a line per member."""
    if not request.user.has_perm(CHANGE_MEETINGS):
        raise PermissionDenied
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("branch"), pk=pk
    )
    members = _sheet_members(meeting)
    rows = {a.member_id: a for a in meeting.attendances.all()}
    initial = [
        {
            "member_id": member.pk,
            "status": getattr(rows.get(member.pk), "status", ""),
            "way": getattr(rows.get(member.pk), "way", "") or Attendance.Way.IN_PERSON,
            "nearby_branch": getattr(rows.get(member.pk), "nearby_branch", ""),
            "leave_reason": getattr(rows.get(member.pk), "leave_reason", ""),
        }
        for member in members.values()
    ]
    formset = AttendanceFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        meeting=meeting,
        members=members,
        prefix="sheet",
    )
    errors = []
    if request.method == "POST" and formset.is_valid():
        entries = [form.cleaned_data for form in formset.forms if form.cleaned_data]
        try:
            services.attendance_record(
                meeting=meeting, entries=entries, by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Who took part in %(meeting)s is saved.") % {"meeting": meeting},
            )
            return redirect("orglife_meetings:index")
    for form in formset.forms:
        member_id = form["member_id"].value()
        try:
            form.member = members.get(int(member_id))
        except (TypeError, ValueError):
            form.member = None
    return TemplateResponse(
        request,
        "orglife/admin/attendance.html",
        {
            "meeting": meeting,
            "formset": formset,
            "errors": errors,
            "future": meeting.held_on > timezone.localdate(),
            "header_title": _("Who took part: %(meeting)s") % {"meeting": meeting},
            "index_url": reverse("orglife_meetings:index"),
            "edit_url": reverse("orglife_meetings:edit", args=[meeting.pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The year's ledgers ----------


def year_choices(today):
    return [(str(y), f"{y}年") for y in range(today.year, today.year - 5, -1)]


class YearFilterSet(BranchScopedFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), method="filter_nothing", empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = year_choices(timezone.localdate())
        self.filters["year"].extra["choices"] = choices
        self.form.fields["year"].choices = choices

    def filter_nothing(self, queryset, name, value):
        return queryset


class BranchLedgerFilterSet(YearFilterSet):
    class Meta:
        model = Branch
        fields = []


class MemberLedgerFilterSet(YearFilterSet):
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.all()
    )

    class Meta:
        model = MemberProfile
        fields = []


class YearReportMixin:
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_MEETINGS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def user_has_permission(self, permission):
        return self.request.user.has_perm(VIEW_MEETINGS)

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def year(self) -> int:
        valid = [int(value) for value, _label in year_choices(self.today)]
        try:
            year = int(self.request.GET.get("year") or self.today.year)
        except ValueError:
            return self.today.year
        return year if year in valid else self.today.year

    def get_filename(self):
        return f"{self.export_filename}-{self.year}"

    def get_filtered_queryset(self):
        # get_queryset() has applied the filters already.
        return self.get_queryset()


class MeetingLedgerView(YearReportMixin, ReportView):
    """组织生活台账: per branch, the meetings held by kind against the rules."""

    page_title = gettext_lazy("Organisational life ledger")
    index_url_name = "orglife_ledger:index"
    index_results_url_name = "orglife_ledger:results"
    filterset_class = BranchLedgerFilterSet
    export_filename = "organisational-life"
    paginate_by = 50

    @cached_property
    def list_export(self):
        fields = ["name"]
        for kind in Kind:
            fields += [f"{kind.value}_held", f"{kind.value}_due", f"{kind.value}_year"]
        return fields

    @cached_property
    def export_headings(self):
        headings = {"name": _("Branch")}
        for kind in Kind:
            headings[f"{kind.value}_held"] = _("%(kind)s held") % {"kind": kind.label}
            headings[f"{kind.value}_due"] = _("%(kind)s expected by now") % {
                "kind": kind.label
            }
            headings[f"{kind.value}_year"] = _("%(kind)s expected in the year") % {
                "kind": kind.label
            }
        return headings

    @cached_property
    def columns(self):
        return [
            Column("name", label=_("Branch")),
            *[
                Column(
                    f"{kind.value}_cell",
                    label=_("%(kind)s held / expected") % {"kind": kind.label},
                )
                for kind in Kind
            ],
        ]

    def get_base_queryset(self):
        return scope.visible(Branch.objects.order_by("code"), self.request.user)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        years = selectors.branch_years([b.pk for b in rows], self.year, self.today)
        for branch in rows:
            for kind, held, by_now, whole in years[branch.pk]:
                setattr(branch, f"{kind.value}_held", held)
                setattr(branch, f"{kind.value}_due", by_now)
                setattr(branch, f"{kind.value}_year", whole)
                cell = f"{held} / {by_now}" if whole else f"{held} / —"
                if whole and held < by_now:
                    cell += " ⚠"
                setattr(branch, f"{kind.value}_cell", cell)
        return rows


class ParticipationLedgerView(YearReportMixin, ReportView):
    """参加情况台账: each member's part in the year's meetings."""

    page_title = gettext_lazy("Participation in organisational life")
    index_url_name = "orglife_participation:index"
    index_results_url_name = "orglife_participation:results"
    filterset_class = MemberLedgerFilterSet
    export_filename = "organisational-life-participation"
    paginate_by = 100
    list_export = [
        "real_name",
        "branch.name",
        "recorded",
        "present",
        "on_leave",
        "absent",
        "online",
        "nearby",
        "rate",
    ]

    @cached_property
    def export_headings(self):
        return {
            "real_name": _("Name"),
            "branch.name": _("Branch"),
            "recorded": _("Meetings recorded"),
            "present": _("Present"),
            "on_leave": _("On leave"),
            "absent": _("Absent"),
            "online": _("Of which online"),
            "nearby": _("Of which at the nearest branch (就近参加)"),
            "rate": _("Participation rate (%)"),
        }

    @cached_property
    def columns(self):
        h = self.export_headings
        return [
            Column(name, label=h[name], accessor=name) for name in self.list_export[:1]
        ] + [
            Column("branch", label=h["branch.name"], accessor="branch.name"),
            *[Column(name, label=h[name]) for name in self.list_export[2:-1]],
            Column("rate_text", label=h["rate"]),
        ]

    def get_base_queryset(self):
        return (
            scope.visible(MemberProfile.objects.confirmed(), self.request.user)
            .select_related("branch")
            .annotate(**selectors.participation_counts(self.year))
            .order_by("branch__code", "real_name", "pk")
        )

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.rate = selectors.rate(row.present, row.recorded)
            row.rate_text = "—" if row.rate is None else f"{row.rate}%"
        return rows
