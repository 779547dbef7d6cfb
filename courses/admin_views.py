"""The organisers' study back office in the Wagtail admin.

Rows are limited to the branches the user organises (with their
sub-branches) by the one branch scope (`school.members.admin_scope`): a
record, plan or member outside it is a 404 whatever the URL. Writes go
through `courses.services`.
"""

from decimal import ROUND_HALF_UP, Decimal

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
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import (
    CreateView,
    DeleteView,
    IndexView,
    InspectView,
)
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from school.admin_forms import ServiceFormMixin
from school.members import scope
from school.members.admin_scope import BranchScopedFilterSet
from school.members.models import Branch, MemberProfile

from . import selectors, services
from .forms import GroupSessionForm, RejectForm
from .models import StudyRecord

VIEW_RECORDS = "courses.view_studyrecord"
ADD_RECORDS = "courses.add_studyrecord"


# --- Permission policies ----------


class StudyRecordPolicy(ModelPermissionPolicy):
    """The ledger is append-only: records are added (or declarations decided),
    never edited; only offline records entered by mistake may be deleted.
    Online records are measured, so nobody edits or deletes them."""

    def user_has_permission(self, user, action):
        if action == "change":
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.source == StudyRecord.Source.ONLINE:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


# --- Study records ----------


class StudyRecordIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("member__branch", "recorded_by", "lesson")
        )

    def get_edit_url(self, instance):
        # Records are not edited: a row opens its details (and, for a
        # declaration, the confirm/reject buttons).
        return None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(ADD_RECORDS):
            buttons.append(
                HeaderButton(
                    _("Record a group session"),
                    url=reverse("study_records:group"),
                    icon_name="group",
                )
            )
        return buttons


class StudyRecordCreateView(ServiceFormMixin, CreateView):
    """A single offline record, credited through the study service."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.study_record_add_offline(
            member=data["member"],
            date=data["date"],
            minutes=data["minutes"],
            mode=data["mode"],
            recorded_by=self.request.user,
            topic=data["topic"],
            lessons=data["lessons"],
            note=data["note"],
        )

    def get_success_message(self, instance):
        return _("%(minutes)s minutes credited to %(name)s.") % {
            "minutes": instance.minutes,
            "name": instance.member.real_name,
        }


class StudyRecordInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        can_decide = (
            record.status == StudyRecord.Status.PENDING
            and self.request.user.has_perm(ADD_RECORDS)
        )
        context.update(
            record=record,
            can_decide=can_decide,
            confirm_url=reverse("study_records:confirm", args=[record.pk]),
            reject_url=reverse("study_records:reject", args=[record.pk]),
        )
        return context


class StudyRecordDeleteView(DeleteView):
    def get_queryset(self):
        # Online records are measured, never deleted (see StudyRecordPolicy).
        return StudyRecord.objects.filter(source=StudyRecord.Source.OFFLINE)


def _decidable_record(request, pk):
    record = get_object_or_404(StudyRecord.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm(ADD_RECORDS):
        raise PermissionDenied
    return record


def _pending_url():
    return reverse("study_records:index") + "?status=pending"


@require_POST
def confirm_view(request, pk):
    record = _decidable_record(request, pk)
    try:
        services.study_record_confirm(record=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("study_records:inspect", pk)
    messages.success(
        request,
        _("The study of %(name)s is confirmed and now counts.")
        % {"name": record.member.real_name},
    )
    return redirect(_pending_url())


def reject_view(request, pk):
    record = _decidable_record(request, pk)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_record_reject(
                record=record,
                by=request.user,
                reason=form.cleaned_data["rejection_reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("study_records:inspect", pk)
        else:
            messages.success(
                request,
                _("The declaration of %(name)s was rejected; they see your reason.")
                % {"name": record.member.real_name},
            )
            return redirect(_pending_url())
    return TemplateResponse(
        request,
        "courses/admin/reject.html",
        {
            "record": record,
            "form": form,
            "header_title": _("Reject the declaration of %(name)s")
            % {"name": record.member.real_name},
            "inspect_url": reverse("study_records:inspect", args=[pk]),
        },
    )


def group_session_view(request):
    """One form for a group session: tick who was present."""
    if not request.user.has_perm(ADD_RECORDS):
        raise PermissionDenied
    form = GroupSessionForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records = services.study_record_add_group(
                members=data["members"],
                date=data["date"],
                minutes=data["minutes"],
                mode=data["mode"],
                recorded_by=request.user,
                topic=data["topic"],
                lessons=data["lessons"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(minutes)s minutes credited to each of %(count)s members.")
                % {"minutes": data["minutes"], "count": len(records)},
            )
            return redirect("study_records:index")
    return TemplateResponse(
        request,
        "courses/admin/group_session.html",
        {
            "form": form,
            "header_title": _("Record a group session"),
            "index_url": reverse("study_records:index"),
        },
        status=400 if form.is_bound else 200,
    )


# --- Study plans ----------


class StudyPlanIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("branch")


class StudyPlanCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        plan = super().save_instance()
        self.announced_to = services.study_plan_announce(plan=plan)
        return plan

    def get_success_message(self, instance):
        return _("Study plan %(title)s saved and announced to %(count)s members.") % {
            "title": instance.title,
            "count": self.announced_to,
        }


# --- The branch's coverage ledger ----------


def period_choices(today):
    """Months, quarters and years to choose from, newest first."""
    choices = []
    for year in (today.year, today.year - 1):
        choices.append((str(year), _("%(year)s") % {"year": year}))
    for back in range(8):
        quarter = (today.month - 1) // 3 + 1 - back
        year = today.year + (quarter - 1) // 4
        quarter = (quarter - 1) % 4 + 1
        choices.append(
            (
                f"{year}-Q{quarter}",
                _("Q%(number)s %(year)s") % {"year": year, "number": quarter},
            )
        )
    for back in range(24):
        month = today.month - back
        year = today.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        choices.append(
            (
                f"{year}-{month:02d}",
                _("%(month)s/%(year)s") % {"year": year, "month": month},
            )
        )
    return choices


class CoverageFilterSet(BranchScopedFilterSet):
    period = django_filters.ChoiceFilter(
        label=gettext_lazy("Period"), method="filter_nothing", empty_label=None
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        method="filter_status",
        choices=[
            ("complete", gettext_lazy("Plan completed")),
            ("incomplete", gettext_lazy("Plan not completed")),
            ("no_study", gettext_lazy("No study in the period")),
        ],
    )

    class Meta:
        model = MemberProfile
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.filters["period"].extra["choices"] = period_choices(today)
        self.form.fields["period"].choices = period_choices(today)

    def filter_nothing(self, queryset, name, value):
        # The period changes the figures (the view reads it), not the rows.
        return queryset

    def filter_status(self, queryset, name, value):
        period = selectors.Period.parse(self.data.get("period"), timezone.localdate())
        if value == "no_study":
            return queryset.exclude(selectors.studied_in(period))
        complete = selectors.members_with_plan_complete(queryset, period)
        if value == "complete":
            return queryset.filter(pk__in=complete)
        return queryset.exclude(pk__in=complete)


def hours(seconds) -> Decimal:
    return (Decimal(seconds or 0) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


class CoverageReportView(ReportView):
    """学习台账: one row per confirmed member of the organiser's branches."""

    page_title = gettext_lazy("Study coverage ledger")
    header_icon = "table"
    template_name = "courses/admin/coverage_report.html"
    results_template_name = "courses/admin/coverage_report_results.html"
    index_url_name = "study_coverage:index"
    index_results_url_name = "study_coverage:results"
    filterset_class = CoverageFilterSet
    paginate_by = 50
    export_filename = "study-ledger"
    list_export = [
        "real_name",
        "branch.name",
        "online_hours",
        "offline_hours",
        "total_hours",
        "items_done",
        "items_required",
        "plan_status",
        "last_study",
    ]
    export_headings = {
        "real_name": gettext_lazy("Name"),
        "branch.name": gettext_lazy("Branch"),
        "online_hours": gettext_lazy("Online hours"),
        "offline_hours": gettext_lazy("Offline hours"),
        "total_hours": gettext_lazy("Total hours"),
        "items_done": gettext_lazy("Plan items done"),
        "items_required": gettext_lazy("Plan items required"),
        "plan_status": gettext_lazy("Plan"),
        "last_study": gettext_lazy("Last study"),
    }
    columns = [
        Column("real_name", label=gettext_lazy("Name")),
        Column("branch", accessor="branch.name", label=gettext_lazy("Branch")),
        Column("online_hours", label=gettext_lazy("Online hours")),
        Column("offline_hours", label=gettext_lazy("Offline hours")),
        Column("total_hours", label=gettext_lazy("Total hours")),
        Column("plan_items", label=gettext_lazy("Plan items done/required")),
        DateColumn("last_study", label=gettext_lazy("Last study")),
    ]

    def user_has_permission(self, permission):
        return self.request.user.has_perm(VIEW_RECORDS)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_RECORDS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self):
        return selectors.Period.parse(
            self.request.GET.get("period"), timezone.localdate()
        )

    def get_filename(self):
        return f"{self.export_filename}-{self.period.key}"

    def get_base_queryset(self):
        return selectors.ledger_members(scope.visible_branch_ids(self.request.user))

    def get_filtered_queryset(self):
        # BaseListingView.get_queryset() has filtered already; filtering twice
        # would run the plan computation of the status filter twice.
        return self.get_queryset()

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        rows = list(object_list)
        figures = selectors.ledger_figures(
            self.period, member_ids=[row.pk for row in rows]
        )
        page.object_list = self.decorate_rows(rows, figures)
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        if isinstance(object_list, list):
            return object_list  # already decorated when paginated
        # The whole export: figures grouped by branch, not by a list of ids.
        figures = selectors.ledger_figures(
            self.period, branch_ids=scope.visible_branch_ids(self.request.user)
        )
        return self.decorate_rows(list(object_list), figures)

    def decorate_rows(self, rows, figures):
        progress = selectors.ledger_plan_progress(rows, self.period)
        for row in rows:
            done, required = progress.get(row.pk, (0, 0))
            online, offline, row.last_study = figures.get(row.pk, (0, 0, None))
            row.online_hours = hours(online)
            row.offline_hours = hours(offline)
            row.total_hours = hours(online + offline)
            row.items_done, row.items_required = done, required
            row.plan_items = f"{done}/{required}"
            if not required:
                row.plan_status = _("No plan")
            elif done >= required:
                row.plan_status = _("Completed")
            else:
                row.plan_status = _("Not completed")
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            context["coverage"] = selectors.ledger_coverage(
                self.get_base_queryset(), self.branch_filter(), self.period
            )
            context["period"] = self.period
        return context

    def branch_filter(self):
        filters = self.filters
        if filters and filters.is_valid():
            return filters.form.cleaned_data.get("branch")
        return None
