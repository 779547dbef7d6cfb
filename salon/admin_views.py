"""The organisers' salon views in the Wagtail admin.

Registrations are read-only here (they change through salon.services only);
organisers see the salons of the branches they organise, with sub-branches,
through the one branch scope (`school.members.admin_scope`).
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.base import ModelPermissionPolicy

from home.exports import LocalTimeExportMixin, local_time, yes_or_blank
from school.members import scope
from school.members.admin_scope import BranchScopedFilterSet
from school.members.forms import add_service_errors
from school.members.models import Branch, MemberProfile

from . import services
from .forms import GroupEmailForm, SalonCopyForm
from .models import Registration, SalonPage, TopicSuggestion, quarter_label


def is_salon_organiser(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    # Asked for every menu item and action of a request: once per user object.
    if not hasattr(user, "_is_salon_organiser"):
        user._is_salon_organiser = (
            user.is_superuser or Branch.objects.filter(organisers=user).exists()
        )
    return user._is_salon_organiser


def organised_salons(user):
    return scope.visible(SalonPage.objects.order_by("-starts_at"), user)


class OrganiserReadOnlyPolicy(ModelPermissionPolicy):
    """Organisers may view and export their salons' rows; nobody edits them here.
    Which rows is the branch scope's business."""

    def user_has_permission(self, user, action):
        return action == "view" and is_salon_organiser(user)


class SalonFilterSet(WagtailFilterSet):
    salon = django_filters.ModelChoiceFilter(
        label=gettext_lazy("salon"),
        queryset=SalonPage.objects.order_by("-starts_at"),
    )


class RegistrationFilterSet(SalonFilterSet):
    class Meta:
        model = Registration
        fields = ["salon", "status", "walk_in"]


class TopicFilterSet(SalonFilterSet):
    class Meta:
        model = TopicSuggestion
        fields = ["salon"]


class OrganiserIndexView(LocalTimeExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("salon", "member__branch")


class RegistrationIndexView(OrganiserIndexView):
    custom_field_preprocess = {
        "walk_in": {"xlsx": yes_or_blank, "csv": yes_or_blank},
    }

    def get_base_queryset(self):
        queryset = (
            super().get_base_queryset().order_by("-salon__starts_at", "queued_at")
        )
        # A registrant from another branch (就近参加): name and branch, and
        # the number masked.
        return scope.annotate_mobile_shown(queryset, self.request.user, "member")


def _require_organiser(request):
    if not is_salon_organiser(request.user):
        raise PermissionDenied


class AttendanceFilterSet(BranchScopedFilterSet):
    branch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("branch"), queryset=Branch.objects.all()
    )
    real_name = django_filters.CharFilter(
        label=gettext_lazy("real name"), lookup_expr="icontains"
    )

    class Meta:
        model = MemberProfile
        fields = ["branch", "real_name"]


class AttendanceReportView(LocalTimeExportMixin, ReportView):
    """Each member's attendance across the salons that have taken place."""

    page_title = gettext_lazy("Salon attendance")
    header_icon = "table"
    index_url_name = "salon_attendance:index"
    index_results_url_name = "salon_attendance:index_results"
    filterset_class = AttendanceFilterSet
    export_filename = "salon-attendance"
    list_export = [
        "real_name",
        "branch",
        "mobile",
        "signed_up",
        "attended",
        "no_shows",
        "last_attended",
    ]
    export_headings = {
        "real_name": gettext_lazy("real name"),
        "branch": gettext_lazy("branch"),
        "mobile": gettext_lazy("mobile phone"),
        "signed_up": gettext_lazy("Past salons with a seat"),
        "attended": gettext_lazy("Attended"),
        "no_shows": gettext_lazy("No-shows"),
        "last_attended": gettext_lazy("Last attended"),
    }

    def dispatch(self, request, *args, **kwargs):
        _require_organiser(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            Column("real_name", label=self.export_headings["real_name"]),
            Column("branch", label=self.export_headings["branch"]),
            Column("mobile", label=self.export_headings["mobile"]),
            Column("signed_up", label=self.export_headings["signed_up"]),
            Column("attended", label=self.export_headings["attended"]),
            Column("no_shows", label=self.export_headings["no_shows"]),
            Column(
                "last_attended",
                label=self.export_headings["last_attended"],
                accessor=lambda member: local_time(member.last_attended),
            ),
        ]

    def get_queryset(self):
        now = timezone.now()
        past = Q(
            salon_registrations__salon__ends_at__lt=now,
            salon_registrations__status=Registration.Status.CONFIRMED,
        )
        came = past & Q(salon_registrations__checked_in_at__isnull=False)
        return (
            MemberProfile.objects.visible_to(self.request.user)
            .select_related("branch")
            .annotate(
                signed_up=Count("salon_registrations", filter=past),
                attended=Count("salon_registrations", filter=came),
                last_attended=Max("salon_registrations__salon__starts_at", filter=came),
                no_shows=Count(
                    "salon_registrations",
                    filter=past & Q(salon_registrations__checked_in_at__isnull=True),
                ),
            )
            .order_by("branch__code", "real_name", "pk")
        )


def group_email(request):
    """Write one e-mail to a chosen group of a salon (confirmed, waiting …)."""
    _require_organiser(request)
    form = GroupEmailForm(request.POST or None)
    form.fields["salon"].queryset = organised_salons(request.user)
    recipients = None
    if request.method == "POST" and form.is_valid() and "confirm" not in request.POST:
        # First the count, then the organiser presses send.
        try:
            recipients = services.salon_group_recipients(
                salon=form.cleaned_data["salon"], group=form.cleaned_data["group"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    elif request.method == "POST" and form.is_valid():
        try:
            sent = services.salon_email_group(
                salon=form.cleaned_data["salon"],
                group=form.cleaned_data["group"],
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The message was sent to %(count)s members.") % {"count": sent},
            )
            return redirect("salon_email:index")
    return TemplateResponse(
        request,
        "salon/admin/group_email.html",
        {
            "form": form,
            "recipients": recipients,
            "page_title": _("E-mail a salon group"),
            "header_icon": "mail",
        },
    )


def salon_copy(request, salon: SalonPage):
    """复制 on a salon page (Wagtail's copy view hands salons here): the copy
    goes to a quarter its branch has free, then opens for editing."""
    can_publish = (
        salon.get_parent().permissions_for_user(request.user).can_publish_subpage()
    )
    form = SalonCopyForm(
        request.POST if request.method == "POST" else None,
        salon=salon,
        can_publish=can_publish,
    )
    no_quarter = None
    if not form.fields["quarter"].choices:
        no_quarter = _(
            "%(branch)s already has a salon in each of the next %(count)s "
            "quarters: there is no quarter to copy this salon to."
        ) % {"branch": salon.branch.name, "count": services.COPY_QUARTERS_AHEAD}
    elif request.method == "POST" and form.is_valid():
        year, quarter = form.cleaned_data["quarter"]
        try:
            copy = services.salon_copy(
                salon=salon,
                year=year,
                quarter=quarter,
                title=form.cleaned_data["new_title"],
                slug=form.cleaned_data["new_slug"],
                user=request.user,
                publish=form.cleaned_data.get("publish", False),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The salon was copied to %(quarter)s, with no seats taken and "
                    "no registrations. Check its times and place."
                )
                % {"quarter": quarter_label(year, quarter)},
            )
            return redirect("wagtailadmin_pages:edit", copy.pk)
    return TemplateResponse(
        request,
        "salon/admin/copy.html",
        {"form": form, "salon": salon, "page": salon, "no_quarter": no_quarter},
    )
