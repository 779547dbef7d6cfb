"""The study contact's pages under /contact/: the dashboard of paired members,
one member's study, logging a contact or a home-delivered session, the monthly
report, and deciding the member's own study declarations.

Every page about a member first finds the signed-in contact's *active* pairing
with that member; without one the answer is 404, so an ended pairing or
someone else's member shows nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from school.members.decorators import confirmed_member_required

from .. import selectors as study
from .. import services as study_services
from ..models import ContactLog, MonthlyReport, StudyRecord
from . import selectors, services
from .forms import (
    ContactLogForm,
    HomeStudyForm,
    MonthlyReportForm,
    RejectDeclarationForm,
)


def _pairing_or_404(request, member_id):
    pairing = selectors.active_pairing(request.user, member_id)
    if pairing is None:
        raise Http404
    return pairing


@require_GET
@confirmed_member_required
def dashboard(request):
    today = timezone.localdate()
    cards = selectors.dashboard(request.user, today)
    return render(
        request,
        "courses/contact_dashboard.html",
        {
            "cards": cards,
            "today": today,
            "red_count": sum(1 for card in cards if card.flag == selectors.RED),
            "amber_count": sum(1 for card in cards if card.flag == selectors.AMBER),
            "no_study_days": selectors.NO_STUDY_DAYS,
            "no_contact_days": selectors.NO_CONTACT_DAYS,
        },
    )


@require_GET
@confirmed_member_required
def member_detail(request, member_id):
    """One paired member's study, as their contact sees it."""
    pairing = _pairing_or_404(request, member_id)
    member = pairing.member
    today = timezone.localdate()
    (card,) = selectors.cards_for([pairing], today)
    history = study.history_page(
        member, viewer=request.user, number=request.GET.get("page")
    )
    pending = list(
        StudyRecord.objects.filter(member=member, status=StudyRecord.Status.PENDING)
        .prefetch_related("lessons")
        .order_by("date", "pk")
    )
    for record in pending:
        record.what = study.record_what(record)
    context = study.my_study_context(member, today)
    context.update(
        pairing=pairing,
        member=member,
        card=card,
        history=history,
        pending=pending,
        reject_form=RejectDeclarationForm(),
        # The contact's own logs about this member: thinking reports written by
        # an earlier contact are not theirs to read.
        logs=ContactLog.objects.filter(pairing=pairing).select_related("study_record")[
            :30
        ],
        reports=MonthlyReport.objects.filter(pairing=pairing)[:12],
    )
    return render(request, "courses/contact_member.html", context)


@require_http_methods(["GET", "POST"])
@confirmed_member_required
def log_contact(request, member_id, home=False):
    """Log a contact; `home` is the home-delivered study form (送学上门)."""
    pairing = _pairing_or_404(request, member_id)
    member = pairing.member
    form_class = HomeStudyForm if home else ContactLogForm
    initial = {}
    if not home and request.GET.get("kind") in ContactLog.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = form_class(
        request.POST if request.method == "POST" else None,
        member=member,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            log = services.contact_log_create(
                member=member,
                by=request.user,
                kind=data["kind"],
                date=data["date"],
                note=data["note"],
                minutes=data.get("minutes"),
                lessons=data.get("lessons") or (),
                topic=data.get("topic", ""),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if log.study_record_id:
                messages.success(
                    request,
                    _(
                        "%(minutes)s minutes of home-delivered study credited "
                        "to %(name)s."
                    )
                    % {"minutes": log.study_record.minutes, "name": member.real_name},
                )
            else:
                messages.success(
                    request,
                    _("Contact with %(name)s logged: %(kind)s.")
                    % {"name": member.real_name, "kind": log.get_kind_display()},
                )
            return redirect("courses:contact_dashboard")
    return render(
        request,
        "courses/contact_log_form.html",
        {"form": form, "member": member, "pairing": pairing, "home": home},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@confirmed_member_required
def monthly_report(request, member_id):
    pairing = _pairing_or_404(request, member_id)
    member = pairing.member
    today = timezone.localdate()
    months = selectors.reportable_months(pairing, today)
    form = MonthlyReportForm(
        request.POST if request.method == "POST" else None, months=months
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.monthly_report_submit(
                member=member,
                by=request.user,
                month=form.cleaned_data["month"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Your report on %(name)s for %(month)s is submitted to the branch.")
                % {"name": member.real_name, "month": report.month.strftime("%Y-%m")},
            )
            return redirect("courses:contact_member", member.pk)
    summaries = [selectors.month_summary(member, month, today) for month in months]
    existing = {
        report.month: report
        for report in MonthlyReport.objects.filter(pairing=pairing, month__in=months)
    }
    return render(
        request,
        "courses/contact_report_form.html",
        {
            "form": form,
            "member": member,
            "pairing": pairing,
            "summaries": [
                (summary, existing.get(summary.month)) for summary in summaries
            ],
        },
        status=400 if form.is_bound else 200,
    )


def _pending_record(request, member_id, record_id):
    pairing = _pairing_or_404(request, member_id)
    record = get_object_or_404(
        StudyRecord, pk=record_id, member=pairing.member, source="offline"
    )
    return pairing, record


@require_POST
@confirmed_member_required
def confirm_declaration(request, member_id, record_id):
    pairing, record = _pending_record(request, member_id, record_id)
    try:
        study_services.study_record_confirm(record=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The study of %(name)s is confirmed and now counts.")
            % {"name": pairing.member.real_name},
        )
    return redirect("courses:contact_member", pairing.member_id)


@require_POST
@confirmed_member_required
def reject_declaration(request, member_id, record_id):
    pairing, record = _pending_record(request, member_id, record_id)
    form = RejectDeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell the member why it is rejected."))
        return redirect("courses:contact_member", pairing.member_id)
    try:
        study_services.study_record_reject(
            record=record, by=request.user, reason=form.cleaned_data["rejection_reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The declaration of %(name)s was rejected; they see your reason.")
            % {"name": pairing.member.real_name},
        )
    return redirect("courses:contact_member", pairing.member_id)
