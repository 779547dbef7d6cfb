"""Member-facing study actions: heartbeats, completing a lesson, the study page."""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import DeclarationForm
from .models import LessonPage


def _live_lesson(lesson_id):
    return LessonPage.objects.live().public().filter(pk=lesson_id).first()


def _refused(reason: str, status: int) -> JsonResponse:
    # A refused beat gets a small JSON answer, never an error page: the page's
    # script just carries on (or stops) without crediting anything.
    return JsonResponse(
        {"accepted": False, "credited": 0, "reason": reason}, status=status
    )


def _beat_guard(request, lesson_id):
    """(member, lesson, None) for a valid beat, else (None, None, refusal)."""
    # CSRF is checked here rather than by the middleware so that a forged
    # beat gets a JSON refusal instead of Django's HTML 403 page.
    if CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}):
        return None, None, _refused("csrf", 403)
    member = selectors.member_of(request.user)
    if member is None:
        return None, None, _refused("member", 403)
    lesson = _live_lesson(lesson_id)
    if lesson is None:
        return None, None, _refused("lesson", 404)
    if not selectors.beat_token_valid(
        request.POST.get("token", ""), member.pk, lesson.pk
    ):
        return None, None, _refused("token", 400)
    return member, lesson, None


def _progress_data(lesson, progress, **extra) -> dict:
    return {
        "credited_seconds": progress.credited_seconds,
        "credited_minutes": selectors.minutes_label(progress.credited_seconds),
        "required_seconds": lesson.required_seconds,
        "percent": selectors.percent_of(
            progress.credited_seconds, lesson.required_seconds
        ),
        "media_finished": progress.media_finished,
        "complete": progress.completed_at is not None,
        **extra,
    }


def _progress_json(lesson, progress, **extra):
    return JsonResponse(_progress_data(lesson, progress, **extra))


@csrf_exempt
@require_POST
def lesson_beat(request, lesson_id):
    """A visible, active lesson page says "still here". The body may claim
    anything; only the server's clock decides the credit."""
    member, lesson, refusal = _beat_guard(request, lesson_id)
    if refusal:
        return refusal
    result = services.lesson_progress_beat(
        member=member, lesson=lesson, start=request.POST.get("kind") == "start"
    )
    return _progress_json(
        lesson, result.progress, accepted=result.accepted, credited=result.credited
    )


@csrf_exempt
@require_POST
def lesson_media_ended(request, lesson_id):
    member, lesson, refusal = _beat_guard(request, lesson_id)
    if refusal:
        return refusal
    progress = services.lesson_progress_media_finished(member=member, lesson=lesson)
    return _progress_json(
        lesson, progress, accepted=progress.media_finished, credited=0
    )


OFFLINE_RECORDS_PER_REQUEST = 50


@csrf_exempt
@require_POST
def offline_study(request):
    """Study noted on the phone while offline arrives once it is back online.
    Every record is settled (credited or refused) with a JSON answer, never
    an error page: the phone then forgets it."""
    if CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}):
        return _refused("csrf", 403)
    member = selectors.member_of(request.user)
    if member is None:
        return _refused("member", 403)
    try:
        records = json.loads(request.body or b"{}").get("records", [])
    except (ValueError, AttributeError):
        records = None
    if not isinstance(records, list):
        return _refused("invalid", 400)
    settled, lessons, credited = [], {}, 0
    for record in records[:OFFLINE_RECORDS_PER_REQUEST]:
        if not isinstance(record, dict):
            continue
        result = services.lesson_progress_offline(member=member, record=record)
        settled.append(result.record_id)
        credited += result.credited
        if result.progress is not None:
            progress = result.progress
            lessons[str(progress.lesson_id)] = _progress_data(
                progress.lesson, progress, credited=result.credited
            )
    return JsonResponse(
        {"settled": settled, "credited_seconds": credited, "lessons": lessons}
    )


def _member_or_response(request):
    """The confirmed member, or the response for someone who is not one."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    member = request.user.confirmed_profile
    if member is None:
        profile = getattr(request.user, "profile", None)
        return None, render(
            request, "courses/not_a_member.html", {"profile": profile}, status=403
        )
    return member, None


def lesson_complete(request, lesson_id):
    """The member presses "I have finished this lesson"."""
    lesson = _live_lesson(lesson_id)
    if lesson is None:
        raise Http404
    if request.method != "POST":
        # Back from logging in after the session ran out: show the lesson.
        return redirect(lesson.url + "#study")
    member, response = _member_or_response(request)
    if response:
        return response
    answer = request.POST.get("answer")
    answer = int(answer) if answer and answer.isdigit() else None
    try:
        services.lesson_progress_complete(member=member, lesson=lesson, answer=answer)
    except ValidationError as error:
        messages.error(
            request,
            _("The lesson is not complete yet: %(missing)s")
            % {"missing": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("Well done: you have completed this lesson."))
    return redirect(lesson.url + "#study")


@require_GET
def my_study(request):
    member, response = _member_or_response(request)
    if response:
        return response
    return _render_my_study(request, member, DeclarationForm())


def declare(request):
    """The member declares offline study of their own for confirmation."""
    if request.method != "POST":
        # Back from logging in after the session ran out: show the form.
        return redirect(reverse("courses:my_study") + "#declare")
    member, response = _member_or_response(request)
    if response:
        return response
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.study_record_declare(member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _(
                    "Your study has been declared; it counts once your branch "
                    "confirms it."
                ),
            )
            return redirect("courses:my_study")
    return _render_my_study(request, member, form, status=400)


def _render_my_study(request, member, form, status=200):
    today = timezone.localdate()
    history = selectors.history_page(
        member, viewer=request.user, number=request.GET.get("page")
    )
    context = selectors.my_study_context(member, today)
    context.update(history=history, form=form, member=member)
    return render(request, "courses/my_study.html", context, status=status)
