"""The branch scope in the Wagtail admin, applied once for every view.

- `BranchScopeGuardMiddleware` answers 404 to any admin address that names an
  object hidden from the user: every view of every viewset of a scoped model
  (inspect, edit, delete, history, usage, copy, and views added later) and
  every page view (`/admin/pages/<id>/…`) of a restricted page type. Each
  refusal is logged for the superusers (`ScopeRefusal`).
- `BranchScopedViewSetMixin` scopes a viewset's listing and its exports, and
  narrows the choices of its filters and forms.
- `narrow_choices` does the same for any other form or filter set.

A new model opts in by setting `branch_scope` and giving its viewset the
mixin; nothing else is written per view.
"""

from django.forms import ModelChoiceField
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.models import Page

from .scope import RestrictedPageMixin, branch_ids, can_see, is_scoped, visible
from .services import scope_refusal_record


def narrow_choices(fields, user) -> None:
    """Limit every choice field over a scoped model to what `user` may see."""
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if isinstance(field, ModelChoiceField) and is_scoped(queryset.model):
            field.queryset = visible(queryset, user)


def narrow_filterset(filterset, user) -> None:
    """Limit a filter set's choices over scoped models to what `user` may see."""
    narrow_choices(filterset.form.fields, user)
    for name, field in filterset.form.fields.items():
        if name in filterset.filters and hasattr(field, "queryset"):
            filterset.filters[name].queryset = field.queryset


class BranchScopedFilterSet(WagtailFilterSet):
    """A filter set for report views: its choices are narrowed to the user's
    branches (viewset listings get this from `BranchScopedViewSetMixin`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_filterset(self, self.request.user)


class BranchScopedIndexMixin:
    def get_base_queryset(self):
        return visible(super().get_base_queryset(), self.request.user)

    @cached_property
    def filters(self):
        filterset = super().filters
        if filterset is not None:
            narrow_filterset(filterset, self.request.user)
        return filterset


class BranchScopedFormMixin:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        narrow_choices(form.fields, self.request.user)
        return form


class BranchScopedViewSetMixin:
    """For a ModelViewSet of a scoped model: its listing (with exports) shows
    the user's branches only and its filter and form choices are narrowed.
    Object addresses are guarded by `BranchScopeGuardMiddleware`."""

    def construct_view(self, view_class, **kwargs):
        mixins = []
        if issubclass(view_class, IndexView) and is_scoped(self.model):
            mixins.append(BranchScopedIndexMixin)
        if issubclass(view_class, (CreateView, EditView)):
            mixins.append(BranchScopedFormMixin)
        if mixins:
            view_class = type(view_class.__name__, (*mixins, view_class), {})
        return super().construct_view(view_class, **kwargs)


# --- The guard ----------


def _scoped_viewset_models() -> dict[str, type]:
    from wagtail.admin.viewsets import viewsets

    return {
        viewset.url_namespace: viewset.model
        for viewset in viewsets.viewsets
        if is_scoped(getattr(viewset, "model", None))
    }


# The names Wagtail's admin addresses give a page id (edit, move, explore,
# add under, move to, workflow history…).
PAGE_ID_KWARGS = (
    "page_id",
    "page_pk",
    "page_to_move_id",
    "parent_page_id",
    "destination_id",
)


def _hidden_page(page_id, user):
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not issubclass(page.specific_class, RestrictedPageMixin):
        return None
    page = page.specific
    return page if page.hidden_in_admin_from(user) else None


def _hidden_object(match, user):
    """The object an admin address names, if it is hidden from `user`."""
    kwargs = match.kwargs
    for name in PAGE_ID_KWARGS:
        if name in kwargs and (page := _hidden_page(kwargs[name], user)):
            return page
    model = _scoped_viewset_models().get(match.namespace.rpartition(":")[2])
    if model is None or "pk" not in kwargs or branch_ids(user) is None:
        return None
    try:
        instance = model._default_manager.filter(pk=kwargs["pk"]).first()
    except (ValueError, TypeError):
        return None
    return instance if instance is not None and not can_see(user, instance) else None


class BranchScopeGuardMiddleware:
    """Any admin address naming an object hidden from the user is a 404, logged
    for the superusers: one check in front of every view, so that a view added
    later (or one of Wagtail's own) cannot forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if not view_kwargs or user is None or not user.is_authenticated:
            return None
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        instance = _hidden_object(match, user)
        if instance is None:
            return None
        scope_refusal_record(by=user, instance=instance, path=request.path)
        raise Http404


def check_scoped_viewsets(app_configs=None, **kwargs):
    """System check: every admin viewset of a scoped model uses the mixin, so
    that no listing or export of branch data is left unscoped."""
    from django.core.checks import Error
    from wagtail.admin import urls  # noqa: F401 - registers the viewsets
    from wagtail.admin.viewsets import viewsets

    return [
        Error(
            f"{type(viewset).__name__} lists {viewset.model.__name__}, which "
            "belongs to a branch, without BranchScopedViewSetMixin.",
            id="members.E001",
        )
        for viewset in viewsets.viewsets
        if is_scoped(getattr(viewset, "model", None))
        and not isinstance(viewset, BranchScopedViewSetMixin)
    ]
