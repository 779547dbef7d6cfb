"""The organisational-life back office: meetings, requirements, ledgers."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from school.admin_forms import AddAddressMixin
from school.admin_reports import ReportViewSet, with_permission
from school.members.admin_scope import BranchScopedViewSetMixin

from . import admin_views
from .forms import MeetingForm
from .models import Meeting, MeetingRequirement


class AttendanceLinkColumn(TitleColumn):
    """Who took part, linking to the meeting's attendance sheet."""

    def get_value(self, instance):
        return _("%(present)s present, %(leave)s on leave") % {
            "present": instance.present_count,
            "leave": instance.leave_count,
        }


class MeetingViewSet(AddAddressMixin, BranchScopedViewSetMixin, ModelViewSet):
    model = Meeting
    name = "orglife_meetings"
    url_prefix = "orglife/meetings"
    icon = "group"
    menu_label = _("Meetings")
    index_view_class = admin_views.MeetingIndexView
    add_view_class = admin_views.MeetingCreateView
    edit_view_class = admin_views.MeetingEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("branch"),
            FieldPanel("kind"),
            FieldPanel("held_on"),
            FieldPanel("topic"),
            FieldPanel("place"),
            FieldPanel("online"),
            FieldPanel("minutes"),
        ],
        base_form_class=MeetingForm,
    )
    list_display = [
        "topic",
        Column("kind", label=_("kind"), accessor="get_kind_display"),
        DateColumn("held_on", label=_("date")),
        Column("branch", label=_("branch")),
        AttendanceLinkColumn(
            "attendance",
            label=_("Who took part"),
            url_name="orglife_meetings:attendance",
        ),
    ]
    list_filter = ["kind", "branch", "held_on"]
    search_fields = ["topic"]
    search_backend_name = None
    list_export = [
        "held_on",
        "get_kind_display",
        "topic",
        "branch.name",
        "place",
        "online",
        "present_count",
        "leave_count",
    ]
    export_headings = {
        "get_kind_display": _("kind"),
        "branch.name": _("branch"),
        "present_count": _("Present"),
        "leave_count": _("On leave"),
    }
    export_filename = "meetings"

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/attendance/",
                admin_views.attendance_view,
                name="attendance",
            ),
        ]


class MeetingRequirementViewSet(
    AddAddressMixin, BranchScopedViewSetMixin, ModelViewSet
):
    model = MeetingRequirement
    name = "orglife_requirements"
    url_prefix = "orglife/requirements"
    icon = "cog"
    menu_label = _("Meeting requirements")
    copy_view_enabled = False
    form_fields = ["branch", "kind", "frequency"]
    list_display = [
        Column("branch", label=_("branch")),
        Column("kind", label=_("kind"), accessor="get_kind_display"),
        Column("frequency", label=_("how often"), accessor="get_frequency_display"),
    ]
    list_filter = ["branch", "kind"]


class OrglifeViewSetGroup(ViewSetGroup):
    items = (
        MeetingViewSet,
        ReportViewSet(
            "orglife_ledger",
            url_prefix="orglife/ledger",
            view_class=admin_views.MeetingLedgerView,
            results_url_name="results",
            shown_to=with_permission(admin_views.VIEW_MEETINGS),
            icon="table",
            menu_label=_("Organisational life ledger"),
        ),
        ReportViewSet(
            "orglife_participation",
            url_prefix="orglife/participation",
            view_class=admin_views.ParticipationLedgerView,
            results_url_name="results",
            shown_to=with_permission(admin_views.VIEW_MEETINGS),
            icon="table",
            menu_label=_("Participation ledger"),
        ),
        MeetingRequirementViewSet,
    )
    menu_icon = "group"
    menu_label = _("Organisational life")
    menu_name = "orglife"
    menu_order = 270


@hooks.register("register_admin_viewset")
def register_orglife_viewsets():
    return OrglifeViewSetGroup()
