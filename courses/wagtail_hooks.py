"""The study back office: records, group sessions, plans and the ledger."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from school.admin_reports import ReportViewSet, with_permission
from school.members.admin_scope import BranchScopedViewSetMixin

from . import admin_views
from .forms import OfflineRecordForm, StudyPlanForm
from .models import StudyPlan, StudyRecord

register_permission_policy(
    StudyRecord, admin_views.StudyRecordPolicy(StudyRecord), exact_class=True
)


class StudyRecordViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = StudyRecord
    name = "study_records"
    url_prefix = "study/records"
    icon = "date"
    menu_label = _("Study records")
    index_view_class = admin_views.StudyRecordIndexView
    add_view_class = admin_views.StudyRecordCreateView
    inspect_view_class = admin_views.StudyRecordInspectView
    delete_view_class = admin_views.StudyRecordDeleteView
    inspect_view_enabled = True
    inspect_template_name = "courses/admin/studyrecord_inspect.html"
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column("member", label=_("member")),
        DateColumn("date", label=_("date")),
        Column("minutes", label=_("Minutes")),
        "mode",
        "source",
        "status",
        Column("recorded_by", label=_("recorded by")),
    ]
    list_filter = ["status", "mode", "source", "date"]
    search_fields = ["member__real_name", "topic"]
    ordering = ["-date", "-pk"]
    list_export = [
        "member",
        "member.branch",
        "date",
        "minutes",
        "mode",
        "source",
        "status",
        "topic",
        "recorded_by",
        "confirmed_by",
    ]
    export_headings = {"member.branch": _("branch"), "minutes": _("Minutes")}
    export_filename = "study-records"
    inspect_view_fields = [
        "member",
        "date",
        "mode",
        "source",
        "status",
        "lesson",
        "topic",
        "note",
        "recorded_by",
        "confirmed_by",
        "confirmed_at",
        "rejection_reason",
        "created_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("member"),
            FieldPanel("date"),
            FieldPanel("minutes"),
            FieldPanel("mode"),
            FieldPanel("topic"),
            FieldPanel("lessons"),
            FieldPanel("note"),
        ],
        base_form_class=OfflineRecordForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("group/", admin_views.group_session_view, name="group"),
            path("confirm/<int:pk>/", admin_views.confirm_view, name="confirm"),
            path("reject/<int:pk>/", admin_views.reject_view, name="reject"),
        ]


class StudyPlanViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = StudyPlan
    name = "study_plans"
    url_prefix = "study/plans"
    icon = "list-ul"
    menu_label = _("Study plans")
    index_view_class = admin_views.StudyPlanIndexView
    add_view_class = admin_views.StudyPlanCreateView
    copy_view_enabled = False
    list_display = [
        "title",
        "branch",
        "period",
        DateColumn("due_date", label=_("due date")),
        "credited_hours",
        DateColumn("announced_at", label=_("announced at")),
    ]
    list_filter = ["branch", "period", "year"]
    search_fields = ["title"]
    ordering = ["-starts_on", "branch__code"]
    edit_handler = ObjectList(StudyPlan.panels, base_form_class=StudyPlanForm)


class PendingDeclarationsPanel(Component):
    """The dashboard tells organisers how many declarations wait for them."""

    name = "pending_study_declarations"
    order = 60
    template_name = "courses/admin/pending_panel.html"

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context=None):
        return {
            "count": self.count,
            "url": reverse("study_records:index") + "?status=pending",
        }


@hooks.register("construct_homepage_panels")
def add_pending_declarations_panel(request, panels):
    if request.user.has_perm(admin_views.ADD_RECORDS):
        count = (
            StudyRecord.objects.visible_to(request.user)
            .filter(status=StudyRecord.Status.PENDING)
            .count()
        )
        panels.append(PendingDeclarationsPanel(count))


class StudyViewSetGroup(ViewSetGroup):
    items = (
        StudyRecordViewSet,
        StudyPlanViewSet,
        ReportViewSet(
            "study_coverage",
            url_prefix="study/coverage",
            view_class=admin_views.CoverageReportView,
            results_url_name="results",
            shown_to=with_permission(admin_views.VIEW_RECORDS),
            icon="table",
            menu_label=_("Study coverage ledger"),
        ),
    )
    menu_icon = "date"
    menu_label = _("Study administration")
    menu_name = "study"
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_study_viewsets():
    return StudyViewSetGroup()


# The "1+1" pairing back office registers its own menu group.
from .pairing import admin as pairing_admin  # noqa: E402, F401
