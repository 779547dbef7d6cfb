from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from school.admin_reports import ReportViewSet, ShownToViewSet
from school.members.admin_scope import BranchScopedViewSetMixin

from . import admin_views, services
from .models import Registration, SalonPage, TopicSuggestion

register_permission_policy(
    Registration, admin_views.OrganiserReadOnlyPolicy(Registration)
)
register_permission_policy(
    TopicSuggestion, admin_views.OrganiserReadOnlyPolicy(TopicSuggestion)
)


class RegistrationViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = Registration
    icon = "list-ul"
    menu_label = _("Registrations")
    index_view_class = admin_views.RegistrationIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]
    filterset_class = admin_views.RegistrationFilterSet
    search_fields = ["member__real_name"]
    search_backend_name = None
    list_per_page = 100
    list_display = [
        "member",
        Column("branch", label=_("branch"), accessor="member.branch"),
        Column("mobile", label=_("mobile phone"), accessor="shown_mobile"),
        Column("salon", label=_("salon")),
        Column("status", label=_("status"), accessor="get_status_display"),
        Column(
            "checked_in_at",
            label=_("checked in at"),
            accessor=lambda row: admin_views.local_time(row.checked_in_at),
        ),
        Column(
            "walk_in",
            label=_("walk-in"),
            accessor=lambda row: admin_views.yes_or_blank(row.walk_in),
        ),
    ]
    list_export = [
        "member.real_name",
        "member.branch.name",
        "shown_mobile",
        "salon.title",
        "get_status_display",
        "checked_in_at",
        "walk_in",
        "queued_at",
    ]
    export_headings = {
        "member.real_name": _("member"),
        "member.branch.name": _("branch"),
        "shown_mobile": _("mobile phone"),
        "salon.title": _("salon"),
        "get_status_display": _("status"),
        "checked_in_at": _("checked in at"),
        "walk_in": _("walk-in"),
        "queued_at": _("signed up at"),
    }
    export_filename = "salon-registrations"


class TopicSuggestionViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = TopicSuggestion
    icon = "help"
    menu_label = _("Suggested topics")
    index_view_class = admin_views.OrganiserIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["text"]
    filterset_class = admin_views.TopicFilterSet
    search_fields = ["text", "member__real_name"]
    search_backend_name = None
    list_display = [
        "text",
        Column("member", label=_("member")),
        Column("salon", label=_("salon")),
        Column(
            "created_at",
            label=_("suggested at"),
            accessor=lambda row: admin_views.local_time(row.created_at),
        ),
    ]
    list_export = ["text", "member.real_name", "salon.title", "created_at"]
    export_headings = {
        "text": _("topic or question"),
        "member.real_name": _("member"),
        "salon.title": _("salon"),
        "created_at": _("suggested at"),
    }
    export_filename = "salon-topics"


class GroupEmailViewSet(ShownToViewSet):
    def get_urlpatterns(self):
        return [path("", admin_views.group_email, name="index")]


class SalonViewSetGroup(ViewSetGroup):
    menu_label = _("Red salon")
    menu_icon = "group"
    menu_order = 310
    items = (
        RegistrationViewSet("salon_registrations"),
        TopicSuggestionViewSet("salon_topics"),
        ReportViewSet(
            "salon_attendance",
            view_class=admin_views.AttendanceReportView,
            shown_to=admin_views.is_salon_organiser,
            icon="table",
            menu_label=_("Attendance"),
        ),
        GroupEmailViewSet(
            "salon_email",
            shown_to=admin_views.is_salon_organiser,
            icon="mail",
            menu_label=_("E-mail a group"),
        ),
    )


@hooks.register("register_admin_viewset")
def register_salon_viewsets():
    return SalonViewSetGroup()


# Runs after the other before_copy_page hooks (the branch-permission check).
@hooks.register("before_copy_page", order=100)
def copy_salon_to_a_free_quarter(request, page):
    # Wagtail's own copy would keep the quarter the branch already holds (a
    # server error on save): salons get a form that asks for a free quarter.
    if page.specific_class is SalonPage:
        return admin_views.salon_copy(request, page.specific)


@hooks.register("before_delete_page")
def refuse_deleting_salons_with_registrations(request, page):
    if refusal := services.salon_deletion_refusal(page):
        messages.error(request, refusal)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_salons_with_registrations(
    request, action_type, objects, action_class_instance
):
    if action_type != "delete" or action_class_instance.model is not Page:
        return None
    for page in objects:
        if refusal := services.salon_deletion_refusal(page):
            messages.error(request, f"{page.title}: {refusal}")
            return redirect(action_class_instance.next_url)
    return None
