"""The care back office (三个必访): visits, members not going home at New
Year, and who of them is not visited yet."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from school.admin_forms import AddAddressMixin
from school.admin_reports import ReportViewSet, with_permission
from school.members.admin_scope import BranchScopedViewSetMixin

from . import admin_views
from .forms import CareVisitAdminForm, NewYearStayAdminForm
from .models import CareVisit, NewYearStay


class CareVisitViewSet(AddAddressMixin, BranchScopedViewSetMixin, ModelViewSet):
    model = CareVisit
    name = "care_visits"
    url_prefix = "care/visits"
    icon = "user"
    menu_label = _("Care visits")
    index_view_class = admin_views.CareVisitIndexView
    add_view_class = admin_views.CareVisitCreateView
    edit_view_class = admin_views.CareVisitEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    edit_handler = ObjectList(
        [
            FieldPanel("member"),
            FieldPanel("visited_on"),
            FieldPanel("way"),
            FieldPanel("reason"),
            FieldPanel("done"),
            FieldPanel("still_open"),
            FieldPanel("closed"),
        ],
        base_form_class=CareVisitAdminForm,
    )
    list_display = [
        Column("member", label=_("member")),
        Column("branch", label=_("branch"), accessor="member.branch"),
        DateColumn("visited_on", label=_("date")),
        Column("way", label=_("way of contact"), accessor="get_way_display"),
        Column("reason", label=_("reason"), accessor="get_reason_display"),
        BooleanColumn("closed", label=_("closed")),
        Column("recorded_by", label=_("recorded by"), accessor="recorded_by_text"),
    ]
    list_filter = ["reason", "way", "closed", "visited_on"]
    search_fields = ["member__real_name", "done", "still_open"]
    search_backend_name = None
    list_export = [
        "member.real_name",
        "member.branch.name",
        "visited_on",
        "get_way_display",
        "get_reason_display",
        "done",
        "still_open",
        "closed",
        "recorded_by_text",
    ]
    export_headings = {
        "member.real_name": _("member"),
        "member.branch.name": _("branch"),
        "get_way_display": _("way of contact"),
        "get_reason_display": _("reason"),
        "recorded_by_text": _("recorded by"),
    }
    export_filename = "care-visits"


class NewYearStayViewSet(AddAddressMixin, BranchScopedViewSetMixin, ModelViewSet):
    model = NewYearStay
    name = "care_new_year"
    url_prefix = "care/not-going-home"
    icon = "home"
    menu_label = _("Not going home at New Year")
    index_view_class = admin_views.NewYearStayIndexView
    add_view_class = admin_views.NewYearStayCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    edit_handler = ObjectList(
        [FieldPanel("member"), FieldPanel("festival_year"), FieldPanel("note")],
        base_form_class=NewYearStayAdminForm,
    )
    list_display = [
        Column("member", label=_("member")),
        Column("branch", label=_("branch"), accessor="member.branch"),
        Column("festival_year", label=_("Spring Festival of")),
        "note",
        Column("marked_by", label=_("marked by")),
    ]
    list_filter = ["festival_year"]
    search_fields = ["member__real_name"]
    search_backend_name = None


class CareViewSetGroup(ViewSetGroup):
    items = (
        CareVisitViewSet,
        NewYearStayViewSet,
        ReportViewSet(
            "care_not_visited",
            url_prefix="care/not-visited",
            view_class=admin_views.NotVisitedView,
            results_url_name="results",
            shown_to=with_permission(admin_views.VIEW_VISITS),
            icon="warning",
            menu_label=_("Not visited before the Spring Festival"),
        ),
    )
    menu_icon = "user"
    menu_label = _("Care visits (三个必访)")
    menu_name = "care"
    menu_order = 280


@hooks.register("register_admin_viewset")
def register_care_viewsets():
    return CareViewSetGroup()
