"""Admin pages that only some users find in the menu: the organisers' and
staff's reports (an index with its results URL) and their plain pages.

Hiding the menu item is for tidiness only; each view checks access itself.
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet


def with_permission(permission):
    """A `shown_to` predicate: the users holding `permission`."""
    return lambda user: user.has_perm(permission)


class ShownToMenuItem(MenuItem):
    """A menu item shown to the users its `shown_to(user)` predicate accepts."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class ShownToViewSet(ViewSet):
    """An admin page in the menu of the users `shown_to(user)` accepts.

    Pass `shown_to=` (and name, icon, menu_label) to the constructor.
    """

    def shown_to(self, user) -> bool:
        raise NotImplementedError

    @property
    def menu_item_class(self):
        return partial(ShownToMenuItem, shown_to=self.shown_to)


class ReportViewSet(ShownToViewSet):
    """A ReportView (`view_class=`) at the prefix, its results at results/."""

    view_class = None
    results_url_name = "index_results"

    def get_urlpatterns(self):
        return [
            path("", self.view_class.as_view(), name="index"),
            path(
                "results/",
                self.view_class.as_view(results_only=True),
                name=self.results_url_name,
            ),
        ]


class PermissionReportMixin:
    """For a ReportView open to the holders of `permission` only (the menu
    item hides it; this refuses the address itself), with `today`."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def user_has_permission(self, permission):
        return self.request.user.has_perm(self.permission)

    @cached_property
    def today(self):
        return timezone.localdate()
