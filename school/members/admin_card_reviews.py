"""The organisers' task list of activity card reviews (流动党员活动证年度审验)
and the form that records one.

Which cards are due is `school.members.card_review`; recording a review is
`services.card_review_record`. Rows are the organiser's branches only (the
one branch scope), and the viewset names `MemberProfile` so that the guard
answers 404 to a record address naming another branch's member.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from school.admin_reports import PermissionReportMixin, ReportViewSet, with_permission

from . import card_review, services
from .admin_exports import LoggedProfileExportMixin
from .admin_scope import BranchScopedFilterSet, BranchScopedViewSetMixin
from .forms import DateInput, ServiceErrorsMixin
from .models import Branch, MemberProfile

CHANGE_PROFILE = "members.change_memberprofile"


class CardReviewFilterSet(BranchScopedFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Review"),
        field_name="card_review_status",
        choices=[
            (card_review.Status.OVERDUE.value, card_review.Status.OVERDUE.label),
            (card_review.Status.DUE_SOON.value, card_review.Status.DUE_SOON.label),
        ],
        empty_label=gettext_lazy("Overdue or due soon"),
    )
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Branch"), queryset=Branch.objects.all()
    )

    class Meta:
        model = MemberProfile
        fields = []


class CardReviewListView(LoggedProfileExportMixin, PermissionReportMixin, ReportView):
    """流动党员活动证审验: cards of the organiser's members whose yearly review
    is overdue or due within 30 days, most overdue first."""

    page_title = gettext_lazy("Activity card reviews")
    header_icon = "date"
    template_name = "members/admin/card_reviews.html"
    index_url_name = "card_reviews:index"
    index_results_url_name = "card_reviews:results"
    filterset_class = CardReviewFilterSet
    paginate_by = 100
    export_filename = "activity-card-reviews"
    permission = CHANGE_PROFILE
    list_export = [
        "real_name",
        "branch.name",
        "activity_card_number",
        "card_reviewed_on",
        "review.due_on",
        "review.label",
        "review.days_overdue",
    ]

    @cached_property
    def export_headings(self):
        return {
            "real_name": _("Name"),
            "branch.name": _("Branch"),
            "activity_card_number": _("Activity card number"),
            "card_reviewed_on": _("Last review"),
            "review.due_on": _("Review due on"),
            "review.label": _("Review"),
            "review.days_overdue": _("Days overdue"),
        }

    @cached_property
    def columns(self):
        h = self.export_headings
        return [
            TitleColumn(
                "real_name", label=h["real_name"], url_name="member_profiles:file"
            ),
            Column("branch", label=h["branch.name"], accessor="branch.name"),
            Column("activity_card_number", label=h["activity_card_number"]),
            DateColumn("card_reviewed_on", label=h["card_reviewed_on"]),
            DateColumn("due_on", label=h["review.due_on"], accessor="review.due_on"),
            Column("status", label=h["review.label"], accessor="review.label"),
            Column("days_overdue", label=h["review.days_overdue"], accessor="overdue"),
            TitleColumn(
                "record",
                label=_("Action"),
                accessor=lambda row: _("Record the review"),
                url_name="card_reviews:record",
            ),
        ]

    def get_base_queryset(self):
        members = MemberProfile.objects.visible_to(self.request.user)
        return card_review.review_tasks(members, self.today).select_related("branch")

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.review = card_review.review_state(row.card_reviewed_on, self.today)
            row.overdue = (
                row.review.days_overdue
                if row.review.days_overdue is not None
                else _("No review recorded")
                if row.card_reviewed_on is None
                else ""
            )
        return rows

    export_log_name = "activity card reviews"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["due_soon_days"] = card_review.DUE_SOON_DAYS
        return context


class CardReviewForm(ServiceErrorsMixin, forms.Form):
    reviewed_on = forms.DateField(
        label=gettext_lazy("Date of the review"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Enter the date of the review."),
            "invalid": gettext_lazy("Enter a date such as 2027-01-07."),
        },
    )


def record_view(request, pk):
    """记录审验: the date of the card's yearly review (today by default)."""
    if not request.user.has_perm(CHANGE_PROFILE):
        raise PermissionDenied
    member = get_object_or_404(
        MemberProfile.objects.visible_to(request.user).select_related("branch"),
        pk=pk,
    )
    today = timezone.localdate()
    form = CardReviewForm(
        request.POST if request.method == "POST" else None,
        initial={"reviewed_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.card_review_record(
                member=member,
                reviewed_on=form.cleaned_data["reviewed_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            review = card_review.review_state(member.card_reviewed_on, today)
            messages.success(
                request,
                _(
                    "The activity card review of %(name)s on %(date)s is "
                    "recorded; the next one is due on %(due)s."
                )
                % {
                    "name": member.real_name,
                    "date": f"{member.card_reviewed_on:%Y-%m-%d}",
                    "due": f"{review.due_on:%Y-%m-%d}",
                },
            )
            return redirect("card_reviews:index")
    return TemplateResponse(
        request,
        "members/admin/card_review_record.html",
        {
            "member": member,
            "review": card_review.card_review(member, today),
            "form": form,
            "header_title": _("Record the activity card review of %(name)s")
            % {"name": member.real_name},
            "list_url": reverse("card_reviews:index"),
            "file_url": reverse("member_profiles:file", args=[member.pk]),
        },
    )


class CardReviewViewSet(BranchScopedViewSetMixin, ReportViewSet):
    """The task list at the prefix, its results, and the record form."""

    model = MemberProfile
    view_class = CardReviewListView
    results_url_name = "results"

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", record_view, name="record"),
        ]


def card_review_viewset():
    return CardReviewViewSet(
        "card_reviews",
        url_prefix="members/card-reviews",
        shown_to=with_permission(CHANGE_PROFILE),
        icon="date",
        menu_label=gettext_lazy("Activity card reviews"),
    )
