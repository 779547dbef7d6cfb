"""A member's own pages under /me/: profile, consent, data download, deletion."""

import json
import time

from allauth.account.forms import SetPasswordForm
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.account.internal.flows.password_change import finalize_password_set
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import (
    ConsentForm,
    DeleteAccountForm,
    MyProfileForm,
    ProfileForm,
    add_service_errors,
)
from .models import MemberProfile

DRAFT_KEY = "members:profile_draft"


def _profile_of(user):
    return MemberProfile.objects.select_related("branch").filter(user=user).first()


@login_required
@require_http_methods(["GET", "POST"])
def profile_complete(request):
    """Step 1 of 2 after sign-up: the member file. Nothing is stored yet: the
    values wait in the session until the member consents (step 2)."""
    if _profile_of(request.user):
        return redirect("members:profile")
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            request.session[DRAFT_KEY] = ProfileForm.draft_from(request.POST)
            return redirect("members:consent")
    elif draft := request.session.get(DRAFT_KEY):
        # Back from the consent step: show what was typed, and what went
        # wrong with it if anything changed meanwhile (a card number taken).
        form = ProfileForm(draft)
    else:
        # The number the member signed up with is the profile's too.
        form = ProfileForm(initial={"mobile": request.user.mobile})
    return render(request, "members/profile_complete.html", {"form": form})


def _consent_template():
    version = settings.SCHOOL_CONSENT_VERSION
    return select_template([f"members/consent/{version}.html"]).template.name


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    """Step 2 of 2: explicit, separate consent to processing the member's
    personal information, recorded with its time and the text's version. A
    member who already has a profile can read what they agreed to, and agree
    to a newer version of the text."""
    version = settings.SCHOOL_CONSENT_VERSION
    profile = _profile_of(request.user)
    draft = request.session.get(DRAFT_KEY)
    if profile is None and not draft:
        return redirect("members:profile_complete")
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if profile is not None:
            services.profile_consent(profile=profile, consent_version=version)
            messages.success(request, _("Thank you: your consent has been recorded."))
            return redirect("members:profile")
        profile_form = ProfileForm(draft)
        if not profile_form.is_valid():
            # The draft became invalid meanwhile (e.g. the card number was taken).
            return redirect("members:profile_complete")
        try:
            services.profile_create(
                user=request.user,
                data=profile_form.profile_data(),
                consent_version=version,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("members:profile_complete")
        del request.session[DRAFT_KEY]
        messages.success(
            request,
            _(
                "Your profile has been submitted. Your branch will confirm it; "
                "we will tell you under My notices."
            ),
        )
        return redirect("members:profile")
    return render(
        request,
        "members/consent.html",
        {
            "form": form,
            "profile": profile,
            "consent_version": version,
            "consent_template": _consent_template(),
            "up_to_date": profile is not None and profile.consent_version == version,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The member's own profile: its status and an edit form."""
    profile = _profile_of(request.user)
    if profile is None:
        return redirect("members:profile_complete")
    if profile.anonymised_at:
        raise Http404
    if request.method == "POST":
        form = MyProfileForm(request.POST, instance=_profile_of(request.user))
        if form.is_valid():
            try:
                back_to_branch = services.profile_update(
                    profile=profile, data=form.profile_data()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if back_to_branch:
                    messages.success(
                        request,
                        _(
                            "Your profile has been saved and sent to your branch "
                            "for confirmation."
                        ),
                    )
                else:
                    messages.success(request, _("Your profile has been saved."))
                return redirect("members:profile")
    else:
        form = MyProfileForm(instance=profile)
    return render(
        request,
        "members/profile.html",
        {
            "profile": profile,
            "form": form,
            "consent_outdated": profile.consent_version
            != settings.SCHOOL_CONSENT_VERSION,
        },
    )


@login_required
def profile_by_number(request, pk):
    """/me/profile/<n>/ is only ever the member's own profile."""
    profile = _profile_of(request.user)
    if profile is None or profile.pk != pk:
        raise Http404
    return redirect("members:profile")


@login_required
def data_export(request):
    """The member's own data, from every app, as a JSON download."""
    data = {
        "exported_at": timezone.now(),
        **services.user_data_export(user=request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete one's own account after confirming the password."""
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account has been deleted. Your personal information "
                    "has been removed."
                ),
            )
            return redirect("/")
    return render(request, "members/account_delete.html", {"form": form})


# A login by SMS code counts for choosing a new password this long after it.
CODE_LOGIN_GRACE_SECONDS = 10 * 60


@login_required
@require_http_methods(["GET", "POST"])
def password_new(request):
    """忘记密码 by phone: right after logging in by an SMS code, a new password
    without the old one (allauth resets passwords by e-mail only)."""
    records = get_authentication_records(request, request.user)
    last = records[-1] if records else {}
    if last.get("method") != "code" or (
        time.time() - last.get("at", 0) > CODE_LOGIN_GRACE_SECONDS
    ):
        return redirect(f"{reverse('account_request_login_code')}?next={request.path}")
    form = SetPasswordForm(
        user=request.user, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        finalize_password_set(request, request.user)
        # Used once: a second visit needs a fresh code.
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records[:-1]
        return redirect("members:profile")
    return render(request, "members/password_new.html", {"form": form})


@login_required
@require_POST
def elderly_mode(request):
    """The header's 长辈模式 switch, remembered for the account (each device
    also keeps it, school/static/js/mode.js)."""
    services.user_set_elderly_mode(
        user=request.user, on=request.POST.get("elderly") == "1"
    )
    return HttpResponse(status=204)
