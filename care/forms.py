"""Forms for care visits: the contact's form on /contact/ and the organisers'
forms in the admin. The rules are `care.services`'; the forms show its
messages on the fields they name."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from school.members import scope
from school.members.forms import DateInput, ServiceErrorsMixin
from school.members.models import MemberProfile

from . import services
from .models import CareVisit, NewYearStay, Reason
from .spring_festival import LAST_YEAR, coming_festival_year

NOT_YOURS = _("Choose a confirmed member of a branch you organise.")
VISIT_FIELDS = ["visited_on", "way", "reason", "done", "still_open", "closed"]


def _date_today(field):
    today = timezone.localdate()
    field.initial = today
    field.widget.attrs["max"] = today.isoformat()


class VisitChecksMixin:
    """The service's field checks on the form, so that every refusal shows at
    once beside its field."""

    def clean(self):
        data = super().clean()
        errors = services.visit_errors(
            visited_on=data.get("visited_on"),
            way=data.get("way"),
            reason=data.get("reason"),
            done=data.get("done"),
            today=timezone.localdate(),
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class CareVisitForm(ServiceErrorsMixin, VisitChecksMixin, forms.Form):
    """A visit or call, recorded by the member's study contact."""

    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    way = forms.ChoiceField(
        label=_("How"), choices=CareVisit.Way.choices, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *Reason.choices])
    done = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    still_open = forms.CharField(
        label=_("What is still open"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    closed = forms.BooleanField(
        label=_("Nothing is left to do (closed)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_today(self.fields["visited_on"])
        self.fields["way"].initial = CareVisit.Way.VISIT


def care_members(user):
    return (
        scope.visible(MemberProfile.objects.confirmed(), user)
        .select_related("branch")
        .order_by("branch__code", "real_name")
    )


def member_label(member):
    return f"{member.real_name}（{member.branch.name}）"


class CareMemberFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = care_members(self.for_user)
        field.label_from_instance = member_label
        field.error_messages["invalid_choice"] = NOT_YOURS


class CareVisitAdminForm(
    ServiceErrorsMixin, CareMemberFormMixin, VisitChecksMixin, WagtailAdminModelForm
):
    """A visit or call in the admin; saved through `care.services`."""

    class Meta:
        model = CareVisit
        fields = ["member", *VISIT_FIELDS]
        widgets = {"visited_on": DateInput(), "way": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_today(self.fields["visited_on"])
        self.fields["done"].required = False

    def _post_clean(self):
        # The service checks the rules with its own messages.
        pass


def festival_year_choices(today=None):
    coming = coming_festival_year(today or timezone.localdate())
    return [
        (year, _("Spring Festival %(year)s") % {"year": year})
        for year in range(coming, min(coming + 1, LAST_YEAR) + 1)
    ]


class NewYearStayAdminForm(
    ServiceErrorsMixin, CareMemberFormMixin, WagtailAdminModelForm
):
    """Mark a member as not going home for a coming Spring Festival."""

    festival_year = forms.TypedChoiceField(
        label=_("Spring Festival of"), coerce=int, choices=festival_year_choices
    )

    class Meta:
        model = NewYearStay
        fields = ["member", "festival_year", "note"]

    def _post_clean(self):
        pass


class NewYearStayForm(forms.Form):
    """The contact's switch: not going home for the coming festival, or going."""

    staying = forms.BooleanField(required=False)
