"""The study contact's care pages under /contact/: a paired member's visits,
recording a visit or call, the New Year mark, closing what was left open.

As on the other contact pages, everything starts from the signed-in
contact's active pairing with the member: without one the answer is 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.pairing.selectors import active_pairing
from school.members.decorators import confirmed_member_required

from . import selectors, services
from .forms import CareVisitForm, NewYearStayForm
from .models import CareVisit
from .spring_festival import coming_festival_year, festival_date


def _member_or_404(request, member_id):
    pairing = active_pairing(request.user, member_id)
    if pairing is None:
        raise Http404
    return pairing.member


@require_http_methods(["GET", "POST"])
@confirmed_member_required
def member_care(request, member_id):
    member = _member_or_404(request, member_id)
    form = CareVisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.care_visit_record(member=member, by=request.user, **data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(way)s with %(name)s on %(date)s recorded.")
                % {
                    "way": visit.get_way_display(),
                    "name": member.real_name,
                    "date": f"{visit.visited_on:%Y-%m-%d}",
                },
            )
            return redirect("care:contact_care", member.pk)
    year = coming_festival_year(timezone.localdate())
    return render(
        request,
        "care/contact_care.html",
        {
            "member": member,
            "form": form,
            "visits": selectors.member_visits(member),
            "festival_year": year,
            "festival": festival_date(year),
            "staying": selectors.is_staying(member, year),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@confirmed_member_required
def new_year_stay(request, member_id):
    member = _member_or_404(request, member_id)
    form = NewYearStayForm(request.POST)
    form.is_valid()
    year = coming_festival_year(timezone.localdate())
    try:
        if form.cleaned_data.get("staying"):
            services.new_year_stay_mark(
                member=member, festival_year=year, by=request.user
            )
            text = _(
                "%(name)s is marked as not going home for the Spring Festival %(year)s."
            )
        else:
            services.new_year_stay_unmark(
                member=member, festival_year=year, by=request.user
            )
            text = _("%(name)s is going home for the Spring Festival %(year)s.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text % {"name": member.real_name, "year": year})
    return redirect("care:contact_care", member.pk)


@require_POST
@confirmed_member_required
def close_visit(request, member_id, visit_id):
    member = _member_or_404(request, member_id)
    visit = get_object_or_404(CareVisit, pk=visit_id, member=member)
    try:
        services.care_visit_close(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The visit is closed: nothing is left to do."))
    return redirect("care:contact_care", member.pk)
