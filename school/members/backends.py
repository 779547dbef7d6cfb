"""The authentication backends: Django's and allauth's, loading with the
signed-in user, in the one query that fetches them on every request, what
each page's header asks about them — their member profile, whether they may
enter the admin, and what other apps register (whether they are a study
contact). Apps above `members` add theirs from `AppConfig.ready()`:

    from school.members.backends import register_user_annotation

    register_user_annotation("_is_study_contact", lambda: Exists(...))

The factory returns an expression over the user's row (`OuterRef("pk")`);
the value lands on the user object under that name, for the request.
"""

from collections.abc import Callable

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

_annotations: dict[str, Callable] = {}


def register_user_annotation(name: str, factory: Callable) -> None:
    if not name.startswith("_"):
        raise ValueError("User annotations are private names (start with '_').")
    _annotations[name] = factory


def may_access_admin():
    grants = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    return Exists(grants.filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))))


register_user_annotation("_can_access_admin", may_access_admin)


class HeaderFactsMixin:
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile")
        users = users.annotate(
            **{name: factory() for name, factory in _annotations.items()}
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(HeaderFactsMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(HeaderFactsMixin, AllauthBackend):
    pass
