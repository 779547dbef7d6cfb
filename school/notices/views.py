"""A person's own notices (消息): the list, one notice, its short link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferencesForm
from .models import Notice


@login_required
def notice_list(request):
    """Newest first; unread ones stand out until opened."""
    page = Paginator(
        Notice.objects.filter(user=request.user), settings.SITE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notices/notice_list.html", {"page_obj": page})


@login_required
def notice_detail(request, pk):
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    services.notice_open(notice=notice, user=request.user)
    return render(request, "notices/notice_detail.html", {"notice": notice})


@login_required
def notice_open(request, pk):
    """The short link in an SMS and the list: read now, then where it leads."""
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    services.notice_open(notice=notice, user=request.user)
    if notice.url and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host(), services.site_host()}
    ):
        return redirect(notice.url)
    return redirect("notices:detail", pk=notice.pk)


@login_required
@require_POST
def mark_all_read(request):
    services.notices_mark_all_read(user=request.user)
    messages.success(request, _("All notices are marked as read."))
    return redirect("notices:list")


@login_required
def preferences(request):
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.choices())
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})
