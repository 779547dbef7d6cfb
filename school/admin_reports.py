"""Admin pages that only some users find in the menu: the organisers' and
staff's reports (an index with its results URL) and their plain pages.

Hiding the menu item is for tidiness only; each view checks access itself.
"""

import csv
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.mixins import Echo
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


class RowsExportMixin:
    """For a ReportView whose spreadsheet is written from plain rows.

    `export_rows(object_list)` yields one list of values (str, int, Decimal,
    date or None) per row, in the order of `list_export`, headed by
    `export_headings`. Wagtail's own export looks every cell up by its dotted
    name and picks a conversion for it, which costs seconds for a ledger of
    thousands of members; this writes each row as it comes.
    """

    # Amounts in yuan show their two decimals in the spreadsheet too.
    decimal_format = "0.00"

    def export_rows(self, object_list):
        raise NotImplementedError

    def export_heading_row(self) -> list[str]:
        return [force_str(self.export_headings.get(f, f)) for f in self.list_export]

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True, iso_dates=True)
        sheet = workbook.create_sheet(title="Sheet1")
        sheet.append(self.export_heading_row())

        def cell(value):
            if value.__class__ is str:
                if not value.startswith("="):
                    return value
                # A name typed as "=…" stays text, never a formula (as Wagtail's).
                text = WriteOnlyCell(sheet, value)
                text.data_type = "s"
                return text
            if value.__class__ is Decimal and self.decimal_format:
                amount = WriteOnlyCell(sheet, value)
                amount.number_format = self.decimal_format
                return amount
            return value

        for row in self.export_rows(queryset):
            sheet.append([cell(v) for v in row])
        workbook.save(output)

    def stream_csv(self, queryset):
        writer = csv.writer(Echo())
        yield writer.writerow(self.export_heading_row())
        for row in self.export_rows(queryset):
            yield writer.writerow(row)
