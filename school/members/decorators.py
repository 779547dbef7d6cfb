"""Guards for member-only actions, for the apps above (courses, salon).

    from school.members.decorators import confirmed_member_required

    @confirmed_member_required
    def salon_sign_up(request, pk): ...

Anonymous visitors are sent to the login page; signed-in people whose branch
has not confirmed them (pending, rejected, left, or staff without a profile)
get a 403 page that says why and links to their profile.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def confirmed_member_required(view_func):
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.confirmed_profile is None:
            return render(
                request,
                "members/confirmed_member_required.html",
                {"profile": getattr(user, "profile", None)},
                status=403,
            )
        return view_func(request, *args, **kwargs)

    return wrapper


class ConfirmedMemberRequiredMixin:
    """The same guard for class-based views."""

    def dispatch(self, request, *args, **kwargs):
        guarded = confirmed_member_required(super().dispatch)
        return guarded(request, *args, **kwargs)
