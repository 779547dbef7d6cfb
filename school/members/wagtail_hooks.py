"""The members back office in the Wagtail admin.

Organisers see and manage only the members of the branches they organise
(and their sub-branches), through the one branch scope
(`school.members.admin_scope`): a profile or branch outside it is a 404,
whatever the URL. Every view, edit or export of a profile writes a
`ProfileAccess` entry, readable by superusers only.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from laces.components import Component
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from school.admin_reports import ReportViewSet, ShownToMenuItem, with_permission

from . import ledger, member_file, scope, services
from .adapter import user_display
from .admin_card_reviews import card_review_viewset
from .admin_exports import LoggedProfileExportMixin
from .admin_scope import BranchScopedViewSetMixin
from .forms import ProfileValidationMixin, RejectForm
from .models import Branch, MemberProfile, ProfileAccess, ScopeRefusal, User

CHANGE_PROFILE = "members.change_memberprofile"
VIEW_PROFILE = "members.view_memberprofile"


# Permission policies ---------------------------------------------------------


class MemberProfilePolicy(ModelPermissionPolicy):
    """Profiles are created by members and removed by account deletion
    (anonymised), never added or deleted in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


class BranchPolicy(ModelPermissionPolicy):
    """Branches hold members and study history: they are never deleted."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)


class SuperuserReadOnlyPolicy(ModelPermissionPolicy):
    """The access log: read by superusers, written only by the code."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(is_active=True, is_superuser=True)


class LocalTimeDisplay(Component):
    """A stored time in the school's time zone in every inspect view, as the
    listings show it: Wagtail's inspect view would print the UTC value."""

    def __init__(self, value):
        self.value = value

    def render_html(self, parent_context=None):
        if self.value is None:
            return "—"
        return escape(formats.localize(timezone.localtime(self.value)))


register_display_class(models.DateTimeField, display_class=LocalTimeDisplay)

register_permission_policy(MemberProfile, MemberProfilePolicy(MemberProfile))
register_permission_policy(Branch, BranchPolicy(Branch))
register_permission_policy(ProfileAccess, SuperuserReadOnlyPolicy(ProfileAccess))
register_permission_policy(ScopeRefusal, SuperuserReadOnlyPolicy(ScopeRefusal))


# Member profiles ---------------------------------------------------------------


class MemberProfileAdminForm(ProfileValidationMixin, WagtailAdminModelForm):
    pass


class ProfileIndexView(LoggedProfileExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("branch", "user")

    def get_edit_url(self, instance):
        # A member's name opens the details page (confirm/reject), not the form.
        return None


class ProfileInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        services.access_record(
            by=request.user, profiles=[self.object], action=ProfileAccess.Action.VIEW
        )
        return super().get(request, *args, **kwargs)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_user_display_value(self):
        return self.object.user.email

    def get_decided_by_display_value(self):
        # By name, like the rest of the site; usernames are generated.
        decided_by = self.object.decided_by
        return user_display(decided_by) if decided_by else "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = self.object
        can_decide = self.request.user.has_perm(CHANGE_PROFILE)
        Status = MemberProfile.Status
        context.update(
            profile=profile,
            can_confirm=can_decide
            and profile.status in (Status.PENDING, Status.REJECTED)
            and not profile.anonymised_at,
            can_reject=can_decide and profile.status == Status.PENDING,
            can_mark_left=can_decide and profile.status == Status.CONFIRMED,
            confirm_url=reverse("member_profiles:confirm", args=[profile.pk]),
            reject_url=reverse("member_profiles:reject", args=[profile.pk]),
            left_url=reverse("member_profiles:left", args=[profile.pk]),
            file_url=reverse("member_profiles:file", args=[profile.pk]),
        )
        return context


class ProfileEditView(EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        services.access_record(
            by=request.user,
            profiles=[self.object],
            action=ProfileAccess.Action.VIEW,
            detail="edit form",
        )
        return super().get(request, *args, **kwargs)

    def save_instance(self):
        return services.profile_admin_save(
            profile=self.object, by=self.request.user, save=super().save_instance
        )


class MemberProfileViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = MemberProfile
    name = "member_profiles"
    url_prefix = "members/profiles"
    icon = "user"
    menu_label = gettext_lazy("Member profiles")
    index_view_class = ProfileIndexView
    inspect_view_class = ProfileInspectView
    edit_view_class = ProfileEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    inspect_template_name = "members/admin/memberprofile_inspect.html"
    list_display = [
        "real_name",
        "branch",
        "status",
        DateColumn("created_at", label=gettext_lazy("created at")),
        TitleColumn(
            "member_file",
            label=gettext_lazy("Member file"),
            accessor=lambda profile: gettext_lazy("Member file (一人一档)"),
            url_name="member_profiles:file",
        ),
    ]
    list_filter = ["status", "branch", "move_reason"]
    search_fields = ["real_name", "user__email", "mobile", "activity_card_number"]
    ordering = ["branch__code", "real_name"]
    list_export = [
        "real_name",
        "branch",
        "mobile",
        "status",
        "moved_out_on",
        "move_reason",
        "current_city",
        "current_address",
        "employer",
        "activity_card_number",
        "card_reviewed_on",
        "created_at",
    ]
    export_filename = "member-profiles"
    inspect_view_fields = [
        "real_name",
        "user",
        "branch",
        "mobile",
        "status",
        "rejection_reason",
        "moved_out_on",
        "move_reason",
        "current_city",
        "current_address",
        "employer",
        "activity_card_number",
        "card_reviewed_on",
        "consent_version",
        "consented_at",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel(field) for field in services.PROFILE_FIELDS],
        base_form_class=MemberProfileAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("confirm/<int:pk>/", confirm_view, name="confirm"),
            path("reject/<int:pk>/", reject_view, name="reject"),
            path("left/<int:pk>/", mark_left_view, name="left"),
            path("file/<int:pk>/", member_file_view, name="file"),
        ]


def _decidable_profile(request, pk):
    profile = get_object_or_404(MemberProfile.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm(CHANGE_PROFILE):
        raise PermissionDenied
    return profile


def member_file_view(request, pk):
    """一人一档: the member's whole file on one page, put together from the
    sections the apps register (`school.members.member_file`). Each view is
    written to the access log, as the profile's details page is."""
    if not request.user.has_perm(VIEW_PROFILE):
        raise PermissionDenied
    profile = get_object_or_404(
        MemberProfile.objects.visible_to(request.user).select_related("branch", "user"),
        pk=pk,
    )
    if profile.anonymised_at:
        raise Http404
    services.access_record(
        by=request.user,
        profiles=[profile],
        action=ProfileAccess.Action.VIEW,
        detail="member file",
    )
    today = timezone.localdate()
    facts = member_file.six_facts(profile, today)
    sections = member_file.file_sections(profile, user=request.user, today=today)
    return TemplateResponse(
        request,
        "members/admin/member_file.html",
        {
            "profile": profile,
            "facts": facts,
            "missing": [fact.label for fact in facts if not fact.clear],
            "knowns": sections["knowns"],
            "sections": sections["body"],
            "header_title": _("Member file: %(name)s") % {"name": profile.real_name},
            "inspect_url": reverse("member_profiles:inspect", args=[pk]),
            "edit_url": reverse("member_profiles:edit", args=[pk])
            if request.user.has_perm(CHANGE_PROFILE)
            else None,
        },
    )


def _pending_list_url():
    return reverse("member_profiles:index") + "?status=pending"


@require_POST
def confirm_view(request, pk):
    profile = _decidable_profile(request, pk)
    try:
        services.profile_confirm(profile=profile, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("member_profiles:inspect", pk)
    messages.success(
        request,
        _("%(name)s is now a confirmed member of %(branch)s.")
        % {"name": profile.real_name, "branch": profile.branch.name},
    )
    return redirect(_pending_list_url())


def reject_view(request, pk):
    profile = _decidable_profile(request, pk)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_reject(
                profile=profile, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error.messages)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("member_profiles:inspect", pk)
        else:
            messages.success(
                request,
                _("The profile of %(name)s was not confirmed; they have been told why.")
                % {"name": profile.real_name},
            )
            return redirect(_pending_list_url())
    return TemplateResponse(
        request,
        "members/admin/reject.html",
        {
            "profile": profile,
            "form": form,
            "header_title": _("Reject the profile of %(name)s")
            % {"name": profile.real_name},
            "inspect_url": reverse("member_profiles:inspect", args=[pk]),
        },
    )


@require_POST
def mark_left_view(request, pk):
    profile = _decidable_profile(request, pk)
    try:
        services.profile_mark_left(profile=profile, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is recorded as having left the branch.")
            % {"name": profile.real_name},
        )
    return redirect("member_profiles:inspect", pk)


# Branches ------------------------------------------------------------------------


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes under a box that filters them as one types
    (school/static/js/admin-choice-filter.js): there may be many accounts."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        label = _("Find an account by name or e-mail address")
        search = format_html(
            '<input type="search" class="w-field__input" data-choice-filter="{}" '
            'placeholder="{}" aria-label="{}">',
            (attrs or {}).get("id", ""),
            label,
            label,
        )
        return search + html

    @property
    def media(self):
        return forms.Media(js=["js/admin-choice-filter.js"])


class BranchAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser:
            # Organisers keep their branch's details up to date; who organises
            # which branch, and where it sits, is for superusers.
            for name in ("organisers", "parent"):
                self.fields.pop(name, None)
        if "organisers" in self.fields:
            field = self.fields["organisers"]
            # The widget first: setting the queryset gives it its choices.
            field.widget = SearchableCheckboxes()
            field.queryset = (
                User.objects.filter(is_active=True)
                .select_related("profile")
                .order_by("email")
            )
            field.label_from_instance = _organiser_label
            field.help_text = _(
                "The accounts ticked here organise the branch; they join the "
                "branch organisers group."
            )
        if "parent" in self.fields and self.instance.pk:
            self.fields["parent"].queryset = Branch.objects.exclude(pk=self.instance.pk)

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(
                    _("A branch cannot sit under itself or its own sub-branch.")
                )
            node = node.parent
        return parent


def _organiser_label(user):
    profile = getattr(user, "profile", None)
    name = profile.real_name if profile else user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


class OrganisersSavedMixin:
    def save_instance(self):
        instance = super().save_instance()
        if "organisers" in self.form.cleaned_data:
            services.branch_organisers_grant(branch=instance)
        return instance


class BranchCreateView(OrganisersSavedMixin, CreateView):
    pass


class BranchIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("parent")


class BranchEditView(OrganisersSavedMixin, EditView):
    pass


class BranchViewSet(BranchScopedViewSetMixin, ModelViewSet):
    model = Branch
    name = "branches"
    url_prefix = "members/branches"
    icon = "group"
    menu_label = gettext_lazy("Branches")
    index_view_class = BranchIndexView
    add_view_class = BranchCreateView
    edit_view_class = BranchEditView
    copy_view_enabled = False
    list_display = ["name", "code", "parent", "location"]
    search_fields = ["name", "code", "location"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("code"),
            FieldPanel("parent"),
            FieldPanel("location"),
            FieldPanel("organisers"),
        ],
        base_form_class=BranchAdminForm,
    )


# Access log ------------------------------------------------------------------------


class AccessLogIndexView(IndexView):
    def get_base_queryset(self):
        return ProfileAccess.objects.select_related("profile")


class AccessLogViewSet(ModelViewSet):
    model = ProfileAccess
    index_view_class = AccessLogIndexView
    name = "profile_access_log"
    url_prefix = "members/access-log"
    icon = "history"
    menu_label = gettext_lazy("Profile access log")
    copy_view_enabled = False
    add_to_reference_index = False
    inspect_view_enabled = True
    list_display = [
        DateColumn("accessed_at", label=gettext_lazy("accessed at")),
        "accessed_by_email",
        Column("profile", label=gettext_lazy("member profile")),
        "profile_number",
        "action",
        "detail",
    ]
    list_filter = ["action"]
    search_fields = ["accessed_by_email", "profile__real_name"]
    list_export = [
        "accessed_at",
        "accessed_by_email",
        "profile",
        "profile_number",
        "action",
        "detail",
    ]
    export_filename = "profile-access-log"
    form_fields = []


class ScopeRefusalViewSet(ModelViewSet):
    """Admin addresses refused because they named another branch's object."""

    model = ScopeRefusal
    name = "scope_refusals"
    url_prefix = "members/refused-access"
    icon = "warning"
    menu_label = gettext_lazy("Refused accesses")
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        DateColumn("refused_at", label=gettext_lazy("refused at")),
        "refused_to_email",
        "object_type",
        "object_number",
        "object_label",
        "path",
    ]
    search_fields = ["refused_to_email", "object_label", "path"]
    list_export = [
        "refused_at",
        "refused_to_email",
        "object_type",
        "object_number",
        "object_label",
        "path",
    ]
    export_filename = "refused-accesses"
    form_fields = []


class MembersGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Members")
    menu_icon = "group"
    menu_order = 250
    items = (
        MemberProfileViewSet,
        card_review_viewset(),
        ReportViewSet(
            "members_whereabouts",
            url_prefix="members/whereabouts",
            view_class=ledger.WhereaboutsLedgerView,
            results_url_name="results",
            shown_to=with_permission(ledger.VIEW_PROFILE),
            icon="site",
            menu_label=gettext_lazy("Whereabouts ledger (流向台账)"),
        ),
        BranchViewSet,
        AccessLogViewSet,
        ScopeRefusalViewSet,
    )

    def get_submenu_items(self):
        pending = ShownToMenuItem(
            gettext_lazy("Pending members"),
            url=_pending_list_url(),
            name="pending-members",
            icon_name="warning",
            order=0,
            shown_to=with_permission(CHANGE_PROFILE),
        )
        return [pending, *super().get_submenu_items()]


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    return MembersGroup()


class PendingProfilesPanel(Component):
    """The dashboard tells organisers how many members wait for them."""

    name = "pending_member_profiles"
    order = 50
    template_name = "members/admin/pending_panel.html"

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context=None):
        return {"count": self.count, "url": _pending_list_url()}


@hooks.register("construct_homepage_panels")
def add_pending_panel(request, panels):
    if request.user.has_perm(CHANGE_PROFILE):
        count = (
            MemberProfile.objects.visible_to(request.user)
            .filter(status=MemberProfile.Status.PENDING)
            .count()
        )
        panels.append(PendingProfilesPanel(count))


@hooks.register("construct_explorer_page_queryset")
def hide_restricted_pages_in_explorer(parent_page, pages, request):
    return scope.hide_restricted_pages(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_restricted_pages_in_chooser(pages, request):
    return scope.hide_restricted_pages(pages, request.user)
