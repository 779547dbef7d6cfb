from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

import school.converters  # noqa: F401  (registers <id:…>)
from school.admin_reports import ShownToViewSet

from . import admin_views


class BranchMessageViewSet(ShownToViewSet):
    def get_urlpatterns(self):
        return [
            path("", admin_views.branch_message_list, name="index"),
            path("new/", admin_views.branch_message_new, name="new"),
            path("<id:pk>/", admin_views.branch_message_detail, name="detail"),
        ]


@hooks.register("register_admin_viewset")
def register_branch_messages():
    return BranchMessageViewSet(
        "branch_messages",
        shown_to=admin_views.may_message_branches,
        icon="mail",
        menu_label=_("Message to members"),
        menu_order=290,
    )
