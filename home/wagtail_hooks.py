from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from school.admin_reports import ReportViewSet

from .mailbox import admin_views
from .mailbox.models import CalendarDay
from .mailbox.services import can_handle_mailbox


class QueueViewSet(ReportViewSet):
    """The queue report, and each item's page with its attachment."""

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", admin_views.handle, name="handle"),
            path("<int:pk>/attachment/", admin_views.attachment, name="attachment"),
        ]


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("Holidays and working days")
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    ordering = ["-date"]
    copy_view_enabled = False


class MailboxViewSetGroup(ViewSetGroup):
    menu_label = _("Party members' mailbox")
    menu_icon = "mail"
    menu_order = 320
    items = (
        QueueViewSet(
            "mailbox_queue",
            view_class=admin_views.QueueView,
            shown_to=can_handle_mailbox,
            icon="mail",
            menu_label=_("Mailbox items"),
        ),
        ReportViewSet(
            "mailbox_report",
            view_class=admin_views.OnTimeReportView,
            shown_to=can_handle_mailbox,
            icon="table",
            menu_label=_("Answered on time"),
        ),
        CalendarDayViewSet(),
    )


@hooks.register("register_admin_viewset")
def register_mailbox_viewsets():
    return MailboxViewSetGroup()
