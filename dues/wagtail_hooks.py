"""The dues back office: monthly amounts, payments and the year's ledger."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from school.admin_forms import AddAddressMixin
from school.admin_reports import ReportViewSet, with_permission
from school.members.admin_scope import BranchScopedViewSetMixin

from . import admin_views
from .forms import DuesPaymentForm, DuesRateForm
from .models import DuesPayment, DuesRate


def month_text(rate) -> str:
    return f"{rate.applies_from:%Y-%m}"


register_permission_policy(
    DuesPayment, admin_views.DuesPaymentPolicy(DuesPayment), exact_class=True
)


class DuesRateViewSet(AddAddressMixin, BranchScopedViewSetMixin, ModelViewSet):
    model = DuesRate
    name = "dues_rates"
    url_prefix = "dues/amounts"
    icon = "cog"
    menu_label = _("Monthly amounts")
    edit_handler = ObjectList(
        [
            FieldPanel("member"),
            FieldPanel("monthly_amount"),
            FieldPanel("applies_from"),
            FieldPanel("note"),
        ],
        base_form_class=DuesRateForm,
    )
    index_view_class = admin_views.DuesRateIndexView
    add_view_class = admin_views.DuesRateCreateView
    copy_view_enabled = False
    list_display = [
        Column("member", label=_("member")),
        Column("branch", label=_("branch"), accessor="member.branch"),
        "monthly_amount",
        Column("applies_from", label=_("applies from (month)"), accessor=month_text),
        Column("set_by", label=_("set by")),
    ]
    list_filter = ["member__branch"]
    search_fields = ["member__real_name"]
    search_backend_name = None
    ordering = ["member__real_name", "-applies_from"]
    list_export = [
        "member.real_name",
        "member.branch.name",
        "monthly_amount",
        "applies_from",
        "note",
    ]
    export_headings = {
        "member.real_name": _("member"),
        "member.branch.name": _("branch"),
    }
    export_filename = "dues-amounts"


class DuesPaymentViewSet(AddAddressMixin, BranchScopedViewSetMixin, ModelViewSet):
    model = DuesPayment
    name = "dues_payments"
    url_prefix = "dues/payments"
    icon = "doc-full"
    menu_label = _("Dues payments")
    edit_handler = ObjectList(
        [
            FieldPanel("member"),
            FieldPanel("paid_on"),
            FieldPanel("whole_year"),
            FieldPanel("first_month"),
            FieldPanel("months"),
            FieldPanel("amount"),
            FieldPanel("method"),
            FieldPanel("paid_by"),
            FieldPanel("note"),
        ],
        base_form_class=DuesPaymentForm,
    )
    index_view_class = admin_views.DuesPaymentIndexView
    add_view_class = admin_views.DuesPaymentCreateView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column("member", label=_("member")),
        Column("branch", label=_("branch"), accessor="member.branch"),
        DateColumn("paid_on", label=_("date paid")),
        Column("period_label", label=_("months covered")),
        "amount",
        Column("method", label=_("how"), accessor="get_method_display"),
        "paid_by",
    ]
    list_filter = ["method", "whole_year", "paid_on"]
    search_fields = ["member__real_name", "paid_by"]
    search_backend_name = None
    list_export = [
        "member.real_name",
        "member.branch.name",
        "paid_on",
        "period_label",
        "months",
        "amount",
        "get_method_display",
        "paid_by",
        "whole_year",
        "note",
    ]
    export_headings = {
        "member.real_name": _("member"),
        "member.branch.name": _("branch"),
        "period_label": _("months covered"),
        "months": _("Number of months"),
        "get_method_display": _("how"),
    }
    export_filename = "dues-payments"
    inspect_view_fields = [
        "member",
        "paid_on",
        "first_month",
        "months",
        "amount",
        "method",
        "paid_by",
        "whole_year",
        "note",
        "recorded_by",
        "recorded_at",
    ]


class DuesViewSetGroup(ViewSetGroup):
    items = (
        DuesPaymentViewSet,
        DuesRateViewSet,
        ReportViewSet(
            "dues_ledger",
            url_prefix="dues/ledger",
            view_class=admin_views.DuesLedgerView,
            results_url_name="results",
            shown_to=with_permission(admin_views.VIEW_PAYMENTS),
            icon="table",
            menu_label=_("Party dues ledger"),
        ),
    )
    menu_icon = "doc-full"
    menu_label = _("Party dues")
    menu_name = "dues"
    menu_order = 260


@hooks.register("register_admin_viewset")
def register_dues_viewsets():
    return DuesViewSetGroup()
