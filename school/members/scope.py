"""Branch scope: the one rule for which rows a person may see in the back office.

A model owned by a branch says once how it reaches its branch, with a class
attribute holding a lookup path to `Branch` ("" for `Branch` itself)::

    class Registration(models.Model):
        branch_scope = "salon__branch"

`visible(queryset, user)` (or `Model.objects.visible_to(user)` on querysets
built from `BranchScopedQuerySet`) then keeps the rows of the branches the user
organises, sub-branches included; superusers see everything, everyone else
nothing. A model whose rows some staff handle for every branch (the mailbox
group) says so with a `sees_every_branch(user)` class method.

`school.members.admin_scope` applies the rule to every admin address; page
types owned by a branch take `BranchScopedPageMixin`.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Concat, Substr
from wagtail.models import PagePermissionTester

SCOPE_ATTRIBUTE = "branch_scope"


# --- The rule ----------


def scope_path(model) -> str | None:
    """How rows of `model` reach their branch, or None if it has no branch."""
    return getattr(model, SCOPE_ATTRIBUTE, None)


def is_scoped(model) -> bool:
    return scope_path(model) is not None


def branch_ids(user) -> frozenset[int] | None:
    """Branches the user organises, with sub-branches; None means all of them.

    Kept on the user object: a request asks many times.
    """
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if user.is_superuser:
        return None
    if not hasattr(user, "_scope_branch_ids"):
        from .models import Branch

        user._scope_branch_ids = frozenset(
            Branch.objects.organised_by(user).values_list("pk", flat=True)
        )
    return user._scope_branch_ids


def _sees_every_branch(model, user) -> bool:
    sees_every_branch = getattr(model, "sees_every_branch", None)
    return sees_every_branch is not None and sees_every_branch(user)


def visible_branch_ids(user) -> list[int]:
    """The user's branches as a list (every branch for a superuser), for
    reports that aggregate per branch."""
    ids = branch_ids(user)
    if ids is None:
        from .models import Branch

        return list(Branch.objects.values_list("pk", flat=True))
    return sorted(ids)


def visible(queryset, user):
    """The rows of a scoped model's queryset that `user` may see and change."""
    path = scope_path(queryset.model)
    if path is None:
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} does not say how it reaches its branch "
            f"(set {SCOPE_ATTRIBUTE})."
        )
    ids = branch_ids(user)
    if ids is None or _sees_every_branch(queryset.model, user):
        return queryset
    return queryset.filter(**{f"{path}__in" if path else "pk__in": ids})


def can_see(user, instance) -> bool:
    """Whether one object of a scoped model lies in the user's branches."""
    ids = branch_ids(user)
    if ids is None or _sees_every_branch(type(instance), user):
        return True
    path = scope_path(type(instance))
    if path == "":
        return instance.pk in ids
    if "__" not in path:
        # A direct foreign key to the branch: no query needed.
        return getattr(instance, f"{path}_id") in ids
    model = type(instance)._meta.concrete_model
    return visible(model._default_manager.filter(pk=instance.pk), user).exists()


def mobile_shown_to(user, profile) -> str:
    """A member's mobile number as `user` may see it.

    Organisers of the member's branches (and superusers) see it whole. A
    member from another branch who joins a salon nearby (就近参加) shows by name
    and branch, with the number masked: the host branch reaches them through
    the school's own notices, and their own branch keeps their file.
    """
    number = profile.mobile or ""
    if can_see(user, profile) or len(number) < 7:
        return number
    return f"{number[:3]}****{number[-4:]}"


def annotate_mobile_shown(queryset, user, profile_path: str):
    """`mobile_shown_to` in SQL, as `shown_mobile`, for listings and exports."""
    mobile = F(f"{profile_path}__mobile")
    ids = branch_ids(user)
    if ids is None:
        return queryset.annotate(shown_mobile=mobile)
    return queryset.annotate(
        shown_mobile=Case(
            When(**{f"{profile_path}__branch_id__in": ids}, then=mobile),
            default=Concat(Substr(mobile, 1, 3), Value("****"), Substr(mobile, 8, 4)),
            output_field=models.CharField(),
        )
    )


class BranchScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return visible(self, user)


# --- Pages ----------


class RestrictedPageMixin:
    """A page type some staff may not see in the admin at all, whatever their
    page permissions: Wagtail's tester then allows no action on it, the
    explorer and choosers leave it out, and the guard answers 404 to every
    admin address that names it."""

    def hidden_in_admin_from(self, user) -> bool:
        raise NotImplementedError

    @classmethod
    def pages_hidden_in_admin_from(cls, user):
        """The pages of this type hidden from `user` (a queryset)."""
        raise NotImplementedError

    def permissions_for_user(self, user):
        return RestrictedPagePermissionTester(user, self)


class RestrictedPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        self.hidden = page.hidden_in_admin_from(user)


def _unless_hidden(method):
    def check(self, *args, **kwargs):
        return not self.hidden and method(self, *args, **kwargs)

    return check


for _name in dir(PagePermissionTester):
    if _name.startswith("can_"):
        setattr(
            RestrictedPagePermissionTester,
            _name,
            _unless_hidden(getattr(PagePermissionTester, _name)),
        )


class BranchScopedPageMixin(RestrictedPageMixin):
    """A page type owned by a branch (set `branch_scope` too)."""

    def hidden_in_admin_from(self, user) -> bool:
        return not can_see(user, self)

    @classmethod
    def pages_hidden_in_admin_from(cls, user):
        if branch_ids(user) is None:
            return cls.objects.none()
        return cls.objects.exclude(pk__in=visible(cls.objects.all(), user))


def restricted_page_models():
    from wagtail.models import get_page_models

    return [m for m in get_page_models() if issubclass(m, RestrictedPageMixin)]


def hide_restricted_pages(pages, user):
    """A page queryset without the pages hidden from `user` (explorer, chooser)."""
    for model in restricted_page_models():
        pages = pages.exclude(
            pk__in=model.pages_hidden_in_admin_from(user).values("pk")
        )
    return pages
