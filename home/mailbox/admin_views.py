"""The staff's mailbox in the Wagtail admin: the queue (overdue first), one
item's page with its actions, and the on-time report."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, DateColumn, StatusFlagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from school.members.models import Branch

from ..exports import LocalTimeExportMixin, yes_no_or_blank
from . import services
from .forms import AnswerForm, AssignForm, FaqForm
from .models import MailboxItem
from .views import serve_attachment


def _require_handler(request):
    if not services.can_handle_mailbox(request.user):
        raise PermissionDenied


def queue(user):
    """The items a staff member handles: overdue first, then by deadline."""
    today = services.today()
    return (
        services.items_for_staff(user)
        .select_related("branch", "assigned_to", "member__profile")
        .annotate(
            current_due=Case(
                When(reopened_at__isnull=False, then=F("reply_due_on")),
                default=F("due_on"),
                output_field=DateField(),
            ),
        )
        .annotate(
            overdue=Case(
                When(status=MailboxItem.Status.OPEN, current_due__lt=today, then=True),
                default=False,
                output_field=BooleanField(),
            ),
            open_first=Case(
                When(status=MailboxItem.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("-overdue", "open_first", "current_due", "arrived_at", "pk")
    )


def _branches(request):
    if services.is_mailbox_staff(request.user):
        return Branch.objects.all()
    return Branch.objects.visible_to(request.user)


class QueueFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("status"), choices=MailboxItem.Status.choices
    )
    category = django_filters.ChoiceFilter(
        label=gettext_lazy("category"), choices=MailboxItem.Category.choices
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("branch"), queryset=_branches
    )
    mine = django_filters.BooleanFilter(
        label=gettext_lazy("Assigned to me"), method="filter_mine"
    )

    class Meta:
        model = MailboxItem
        fields = ["status", "category", "branch"]

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(assigned_to=self.request.user)
        return queryset


def _member_name(item):
    profile = getattr(item.member, "profile", None) if item.member else None
    return profile.real_name if profile else _("(account deleted)")


class QueueView(LocalTimeExportMixin, ReportView):
    page_title = gettext_lazy("Party members' mailbox")
    header_icon = "mail"
    index_url_name = "mailbox_queue:index"
    index_results_url_name = "mailbox_queue:index_results"
    filterset_class = QueueFilterSet
    export_filename = "mailbox"
    paginate_by = 50
    list_export = [
        "pk",
        "get_category_display",
        "branch.name",
        "arrived_at",
        "current_due",
        "get_status_display",
        "answered_at",
        "answered_on_time",
    ]
    export_headings = {
        "pk": gettext_lazy("number"),
        "get_category_display": gettext_lazy("category"),
        "branch.name": gettext_lazy("branch"),
        "arrived_at": gettext_lazy("arrived at"),
        "current_due": gettext_lazy("answer by"),
        "get_status_display": gettext_lazy("status"),
        "answered_at": gettext_lazy("first answered at"),
        "answered_on_time": gettext_lazy("answered within the deadline"),
    }
    custom_field_preprocess = {
        "answered_on_time": {"xlsx": yes_no_or_blank, "csv": yes_no_or_blank},
    }

    def dispatch(self, request, *args, **kwargs):
        _require_handler(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.results_only and services.calendar_needs_filling():
            messages.warning(
                request,
                _(
                    "No public holiday or adjusted working day is entered for the "
                    "next %(days)s days, so deadlines count every Monday to Friday "
                    "as a working day. Enter the coming ones (New Year's Day, the "
                    "Spring Festival…) under “Holidays and working days” in this "
                    "menu."
                )
                % {"days": services.CALENDAR_LOOKAHEAD_DAYS},
            )
        return super().get(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            TitleColumn(
                "summary",
                label=gettext_lazy("Question or suggestion"),
                accessor=lambda item: item.text[:40],
                url_name="mailbox_queue:handle",
            ),
            Column(
                "category",
                label=gettext_lazy("category"),
                accessor="get_category_display",
            ),
            Column("member", label=gettext_lazy("member"), accessor=_member_name),
            Column("branch", label=gettext_lazy("branch"), accessor="branch.name"),
            DateColumn("arrived_at", label=gettext_lazy("arrived at")),
            Column(
                "current_due",
                label=gettext_lazy("answer by"),
                accessor=lambda item: f"{item.current_due:%Y-%m-%d}",
            ),
            StatusFlagColumn(
                "overdue",
                label=gettext_lazy("overdue"),
                true_label=gettext_lazy("Overdue"),
            ),
            Column(
                "status", label=gettext_lazy("status"), accessor="get_status_display"
            ),
            Column(
                "assigned_to",
                label=gettext_lazy("assigned to"),
                accessor=lambda item: (
                    item.assigned_to.email if item.assigned_to else ""
                ),
            ),
        ]

    def get_queryset(self):
        return queue(self.request.user)


def handle(request, pk):
    """One item: read it, assign it, answer it, close it, publish it in the FAQ."""
    _require_handler(request)
    item = get_object_or_404(queue(request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    handlers = services.handlers_for(item)
    assign_form = AssignForm(
        request.POST if action == "assign" else None,
        handlers=handlers,
        initial={"assigned_to": item.assigned_to_id},
    )
    answer_form = AnswerForm(request.POST if action == "answer" else None)
    faq_form = FaqForm(
        request.POST if action == "faq" else None,
        initial=_faq_initial(item),
    )
    forms = {"assign": assign_form, "answer": answer_form, "faq": faq_form}
    if action in forms and forms[action].is_valid() or action == "close":
        data = forms[action].cleaned_data if action in forms else {}
        try:
            if action == "assign":
                services.mailbox_item_assign(
                    item=item, by=request.user, to=data["assigned_to"]
                )
                done = _("The item is assigned.")
            elif action == "answer":
                services.mailbox_item_answer(
                    item=item, by=request.user, text=data["answer"]
                )
                done = _("Your answer was sent to the member.")
            elif action == "close":
                services.mailbox_item_close(item=item, by=request.user)
                done = _("The item is closed.")
            else:
                services.faq_entry_publish(
                    item=item,
                    by=request.user,
                    question=data["question"],
                    answer=data["answer"],
                )
                done = _("The question and its answer are published in the FAQ.")
        except ValidationError as error:
            form = forms.get(action)
            if form is None:
                messages.error(request, " ".join(error.messages))
            elif hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, done)
            return redirect("mailbox_queue:handle", pk=item.pk)
    return TemplateResponse(
        request,
        "home/admin/mailbox_item.html",
        {
            "item": item,
            "member_name": _member_name(item),
            "thread": item.messages.select_related("author"),
            "assign_form": assign_form,
            "answer_form": answer_form,
            "faq_form": faq_form,
            "page_title": _("Mailbox item %(number)s") % {"number": item.pk},
            "header_icon": "mail",
            "can_publish_faq": item.faq_consent
            and item.answered_at is not None
            and item.faq_published_at is None,
        },
    )


def _faq_initial(item):
    if not (item.faq_consent and item.answered_at):
        return {}
    answer = item.messages.filter(from_member=False).order_by("pk").first()
    return {
        "question": services.anonymised(item.text, item),
        "answer": services.anonymised(answer.text if answer else "", item),
    }


def attachment(request, pk):
    _require_handler(request)
    return serve_attachment(
        get_object_or_404(services.items_for_staff(request.user), pk=pk)
    )


# --- Report ------------------------------------------------------------------


class ReportFilterSet(WagtailFilterSet):
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("branch"), queryset=_branches
    )
    arrived_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("arrived between")
    )

    class Meta:
        model = MailboxItem
        fields = ["branch", "arrived_at"]


def _share(row):
    counted = row["answered"] + row["overdue"]
    if not counted:
        return ""
    return f"{100 * row['on_time'] / counted:.0f}%"


class RowPaginator(WagtailPaginator):
    """Counts rows, not mailbox items: each row is a month and a branch."""

    verbose_name = gettext_lazy("row")
    verbose_name_plural = gettext_lazy("rows")


class OnTimeReportView(ReportView):
    """The share answered within two working days, per month and branch.

    The share counts the items whose deadline has come: answered ones, and
    open ones already overdue; items still within their deadline wait.
    """

    page_title = gettext_lazy("Mailbox: answered on time")
    header_icon = "table"
    index_url_name = "mailbox_report:index"
    index_results_url_name = "mailbox_report:index_results"
    filterset_class = ReportFilterSet
    paginator_class = RowPaginator
    export_filename = "mailbox-on-time"
    list_export = [
        "month",
        "branch__name",
        "received",
        "answered",
        "on_time",
        "overdue",
        "share",
    ]
    export_headings = {
        "month": gettext_lazy("month"),
        "branch__name": gettext_lazy("branch"),
        "received": gettext_lazy("received"),
        "answered": gettext_lazy("answered"),
        "on_time": gettext_lazy("answered on time"),
        "overdue": gettext_lazy("overdue, not answered"),
        "share": gettext_lazy("share on time"),
    }

    def dispatch(self, request, *args, **kwargs):
        _require_handler(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            Column(
                "month",
                label=self.export_headings["month"],
                accessor=lambda row: f"{row['month']:%Y-%m}",
            ),
            Column(
                "branch__name",
                label=self.export_headings["branch__name"],
                accessor=lambda row: row["branch__name"],
            ),
            *[
                Column(
                    name,
                    label=self.export_headings[name],
                    accessor=lambda row, name=name: row[name],
                )
                for name in ("received", "answered", "on_time", "overdue")
            ],
            Column("share", label=self.export_headings["share"], accessor=_share),
        ]

    def get_queryset(self):
        today = services.today()
        return (
            services.items_for_staff(self.request.user)
            .annotate(month=TruncMonth("arrived_at"))
            .values("month", "branch__name", "branch__code")
            .annotate(
                received=Count("pk"),
                answered=Count("pk", filter=Q(answered_at__isnull=False)),
                on_time=Count("pk", filter=Q(answered_on_time=True)),
                overdue=Count(
                    "pk", filter=Q(answered_at__isnull=True, due_on__lt=today)
                ),
            )
            .order_by("-month", "branch__code")
        )

    def to_row_dict(self, item):
        row = {field: item.get(field) for field in self.list_export if field != "share"}
        row["month"] = f"{item['month']:%Y-%m}"
        row["share"] = _share(item)
        return row
