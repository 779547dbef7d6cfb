from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from .mailbox import admin_views
from .mailbox.models import CalendarDay


class MailboxViewSet(ViewSet):
    """An admin view in the menu for mailbox staff and branch organisers."""

    @cached_property
    def menu_item_class(self):
        return admin_views.MailboxMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))


class QueueViewSet(MailboxViewSet):
    name = "mailbox_queue"
    icon = "mail"
    menu_label = _("Mailbox items")

    def get_urlpatterns(self):
        view = admin_views.QueueView
        return [
            path("", view.as_view(), name="index"),
            path("results/", view.as_view(results_only=True), name="index_results"),
            path("<int:pk>/", admin_views.handle, name="handle"),
            path("<int:pk>/attachment/", admin_views.attachment, name="attachment"),
        ]


class ReportViewSet(MailboxViewSet):
    name = "mailbox_report"
    icon = "table"
    menu_label = _("Answered on time")

    def get_urlpatterns(self):
        view = admin_views.OnTimeReportView
        return [
            path("", view.as_view(), name="index"),
            path("results/", view.as_view(results_only=True), name="index_results"),
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
    items = (QueueViewSet(), ReportViewSet(), CalendarDayViewSet())


@hooks.register("register_admin_viewset")
def register_mailbox_viewsets():
    return MailboxViewSetGroup()
