"""Member and organiser actions on salons: form → service → message → redirect."""

import functools

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from school.busy import is_database_busy
from school.members.models import MemberProfile

from . import services
from .calendar import registration_ics
from .forms import TopicSuggestionForm
from .models import Registration, SalonPage

SEARCH_LIMIT = 30


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _salon(pk) -> SalonPage:
    return get_object_or_404(
        SalonPage.objects.live().public().select_related("branch"), pk=pk
    )


def _organised_salon(request, pk) -> SalonPage:
    """The salon if the user organises it; others get a 404, as for a missing one."""
    salon = get_object_or_404(SalonPage.objects.select_related("branch"), pk=pk)
    if not salon.is_organised_by(request.user):
        raise Http404
    return salon


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _post_only(back):
    """POST only; a GET goes to `back(pk)` rather than a bare 405.

    A visitor whose session ran out is sent to log in and comes back here by GET.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if request.method != "POST":
                return redirect(back(pk))
            return view(request, pk, *args, **kwargs)

        return wrapper

    return decorator


def _salon_url(pk) -> str:
    return _salon(pk).url


def _my_salons_url(pk) -> str:
    return reverse("salon:my_salons")


def _check_in_url(pk) -> str:
    return reverse("salon:check_in", args=[pk])


@login_required
@_post_only(_salon_url)
def sign_up(request, pk):
    salon = _salon(pk)
    try:
        registration = services.registration_create(salon=salon, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except OperationalError as error:
        if not is_database_busy(error):
            raise
        messages.error(
            request,
            _(
                "Many members are signing up right now and your seat was not "
                "taken. Please try again in a moment."
            ),
        )
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are signed up: your seat is confirmed."))
        else:
            messages.warning(
                request,
                _(
                    "All seats are taken: you are number %(position)s on the "
                    "waiting list. We will let you know if a seat becomes free."
                )
                % {"position": registration.waiting_position()},
            )
    return redirect(salon.url)


@login_required
@_post_only(_salon_url)
def suggest_topic(request, pk):
    salon = _salon(pk)
    form = TopicSuggestionForm(request.POST)
    if form.is_valid():
        try:
            services.topic_suggestion_create(
                salon=salon, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, _error_text(error))
                return redirect(salon.url)
        else:
            messages.success(request, _("Thank you: your topic has been passed on."))
            return redirect(salon.url)
    # Show the page again with what was typed and the reason it was refused.
    context = salon.get_context(request)
    context["topic_form"] = form
    return TemplateResponse(request, salon.get_template(request), context, status=400)


def _own_registration(request, pk) -> Registration:
    profile = getattr(request.user, "profile", None)
    if profile is None:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("salon", "member"), pk=pk, member=profile
    )


@login_required
@_post_only(_my_salons_url)
def cancel(request, pk):
    registration = _own_registration(request, pk)
    try:
        services.registration_cancel(registration=registration, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if registration.status == Registration.Status.WAITING:
            messages.success(request, _("You have left the waiting list."))
        else:
            messages.success(request, _("Your seat is cancelled."))
    return redirect(_next_url(request, reverse("salon:my_salons")))


@login_required
def calendar_file(request, pk):
    registration = _own_registration(request, pk)
    if not registration.is_active:
        raise Http404
    response = HttpResponse(
        registration_ics(registration, request), content_type="text/calendar"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="salon-{registration.salon_id}.ics"'
    )
    return response


def qr_svg(url: str) -> str:
    # segno writes the SVG itself: no user-supplied markup reaches the page.
    return mark_safe(  # noqa: S308
        segno.make(url, error="m").svg_inline(scale=4, title=_("Check-in code"))
    )


@login_required
def my_salons(request):
    profile = getattr(request.user, "profile", None)
    registrations = []
    if profile is not None:
        registrations = list(
            Registration.objects.filter(member=profile)
            .select_related("salon")
            .order_by("-salon__starts_at", "-queued_at")
        )
    now = timezone.now()
    for registration in registrations:
        registration.can_cancel = (
            registration.is_active
            and registration.checked_in_at is None
            and now < registration.salon.starts_at
        )
        registration.qr = None
        if (
            registration.status == Registration.Status.CONFIRMED
            and registration.checked_in_at is None
            and now < registration.salon.ends_at
        ):
            link = request.build_absolute_uri(services.check_in_url(registration))
            registration.check_in_link = link
            registration.qr = qr_svg(link)
    waiting = [r for r in registrations if r.status == Registration.Status.WAITING]
    positions = _waiting_positions(waiting)
    for registration in waiting:
        registration.position = positions.get(registration.pk)
    return TemplateResponse(
        request,
        "salon/my_salons.html",
        {"registrations": registrations, "profile": profile},
    )


def _waiting_positions(waiting) -> dict[int, int]:
    """Positions of waiting registrations, one query per salon (a member has few)."""
    return {
        registration.pk: registration.waiting_position() for registration in waiting
    }


def _result(request, template_context: dict, status: int) -> TemplateResponse:
    return TemplateResponse(
        request, "salon/check_in_link.html", template_context, status=status
    )


@login_required
def check_in_link(request, token):
    """The page a scanned QR code opens: one tap checks the member in."""
    try:
        registration = services.registration_from_token(token)
    except ValidationError as error:
        return _result(request, {"error": _error_text(error)}, status=400)
    salon = registration.salon
    if not salon.is_organised_by(request.user):
        return _result(
            request,
            {"error": _("Only the salon's organisers can check members in.")},
            status=403,
        )
    context = {"registration": registration, "salon": salon}
    if request.method == "POST":
        try:
            services.registration_check_in(registration=registration, by=request.user)
        except ValidationError as error:
            context["error"] = _error_text(error)
            return _result(request, context, status=409)
        messages.success(
            request,
            _("%(name)s is checked in.") % {"name": registration.member.real_name},
        )
        return redirect("salon:check_in", pk=salon.pk)
    if registration.checked_in_at is None:
        try:
            services.check_the_day(salon)
        except ValidationError as error:
            context["error"] = _error_text(error)
    return _result(request, context, status=200)


def _search_filter(query: str, user, prefix: str = "") -> Q:
    """By name, or by part of the number for the organiser's own members; a
    member of another branch by their whole number only (least data)."""
    own = Q(**{f"{prefix}pk__in": MemberProfile.objects.visible_to(user)})
    return (
        Q(**{f"{prefix}real_name__icontains": query})
        | own & Q(**{f"{prefix}mobile__contains": query})
        | Q(**{f"{prefix}mobile": query})
    )


@login_required
def check_in(request, pk):
    """The organiser's phone page: find a member by name or phone, tap to check in."""
    salon = _organised_salon(request, pk)
    query = request.GET.get("q", "").strip()[:50]
    registrations = (
        Registration.objects.filter(salon=salon)
        .active()
        .select_related("member__branch")
        # Still to check in first, on PostgreSQL too (where NULLs sort last).
        .order_by(F("checked_in_at").asc(nulls_first=True), "member__real_name", "pk")
    )
    walk_ins = []
    if query:
        registrations = registrations.filter(
            _search_filter(query, request.user, "member__")
        )
        registered = Registration.objects.filter(salon=salon).active()
        # Members of the organiser's branches by name or phone; a member of
        # another branch by their exact mobile number only.
        walk_ins = list(
            MemberProfile.objects.confirmed()
            .filter(
                Q(pk__in=MemberProfile.objects.visible_to(request.user))
                & _search_filter(query, request.user)
                | Q(mobile=query)
            )
            .exclude(pk__in=registered.values("member_id"))
            .select_related("branch")
            .order_by("real_name", "pk")[:SEARCH_LIMIT]
        )
    counts = Registration.objects.filter(salon=salon)
    context = {
        "salon": salon,
        "period": salon.check_in_period,
        "salon_day": salon.days[0],
        "salon_last_day": salon.days[1],
        "q": query,
        "registrations": registrations[:SEARCH_LIMIT] if query else registrations,
        "walk_ins": walk_ins,
        "checked_in_count": counts.filter(checked_in_at__isnull=False).count(),
        "waiting_count": counts.filter(status=Registration.Status.WAITING).count(),
    }
    return TemplateResponse(request, "salon/check_in.html", context)


def _back_to_check_in(request, salon) -> str:
    url = reverse("salon:check_in", args=[salon.pk])
    query = request.POST.get("q", "").strip()
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode({"q": query})
    return url


def _on_registration(request, pk, registration_pk, action, done: str):
    """An organiser's tap on one row of the check-in list: the service, then
    its message, back to the list as it was filtered."""
    salon = _organised_salon(request, pk)
    registration = get_object_or_404(
        Registration.objects.select_related("member"), pk=registration_pk, salon=salon
    )
    try:
        action(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done % {"name": registration.member.real_name})
    return redirect(_back_to_check_in(request, salon))


@login_required
@_post_only(_check_in_url)
def check_in_registration(request, pk, registration_pk):
    # The list is where organisers also correct a salon's attendance later.
    return _on_registration(
        request,
        pk,
        registration_pk,
        functools.partial(services.registration_check_in, correction=True),
        _("%(name)s is checked in."),
    )


@login_required
@_post_only(_check_in_url)
def check_in_undo(request, pk, registration_pk):
    return _on_registration(
        request,
        pk,
        registration_pk,
        services.registration_check_in_undo,
        _("%(name)s's check-in is undone."),
    )


@login_required
@_post_only(_check_in_url)
def walk_in(request, pk):
    salon = _organised_salon(request, pk)
    member_id = request.POST.get("member", "")
    member = get_object_or_404(
        MemberProfile, pk=int(member_id) if member_id.isdigit() else 0
    )
    try:
        services.registration_walk_in(
            salon=salon, member=member, by=request.user, correction=True
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is added as a walk-in and checked in.")
            % {"name": member.real_name},
        )
    return redirect(_back_to_check_in(request, salon))


@login_required
def topics(request, pk):
    """The deliberation topics members suggested, for the organisers."""
    salon = _organised_salon(request, pk)
    suggestions = salon.topic_suggestions.select_related("member", "member__branch")
    return TemplateResponse(
        request, "salon/topics.html", {"salon": salon, "suggestions": suggestions}
    )
