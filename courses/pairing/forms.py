"""Forms of the study contact's pages and of the organisers' pairing admin."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from school.converters import is_id
from school.members.models import MemberProfile

from ..forms import DateInput, ServiceErrorsMixin
from ..models import ContactLog, LessonPage, Pairing
from ..selectors import plan_lessons
from . import selectors


def plan_lesson_choices(member, today):
    """Published lessons the member's current and overdue plans require: the
    short list a contact picks from on a phone."""
    by_plan, course_lessons = plan_lessons(selectors.plans_for([member], today))
    ids = set()
    for items in by_plan.values():
        for item in items:
            if item.lesson_id:
                ids.add(item.lesson_id)
            else:
                ids.update(course_lessons.get(item.course_id, ()))
    return LessonPage.objects.live().filter(pk__in=ids).order_by("path")


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a number too big to be an id before it reaches the database,
    where it would overflow the integer column (a 500, not a form error)."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).isdigit() and not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ContactLogForm(ServiceErrorsMixin, forms.Form):
    """A contact with a paired member; a home-delivered session also credits
    the minutes studied."""

    kind = forms.ChoiceField(
        label=_("Kind of contact"), choices=ContactLog.Kind.choices
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    minutes = forms.IntegerField(
        label=_("Minutes studied"),
        min_value=1,
        max_value=24 * 60,
        required=False,
        help_text=_("For home-delivered study: credited to the member."),
    )
    lessons = IdsChoiceField(
        label=_("Lessons studied"),
        queryset=LessonPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_("Lessons of the member's study plan; they count as done."),
    )
    topic = forms.CharField(
        label=_("Topic studied"),
        max_length=200,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, member, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["date"].initial = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        self.fields["lessons"].queryset = plan_lesson_choices(member, today)
        self.fields["minutes"].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        if data.get("kind") == ContactLog.Kind.HOME_DELIVERED and not data.get(
            "minutes"
        ):
            if "minutes" not in self.errors:
                self.add_error(
                    "minutes", _("Enter how many minutes you studied together.")
                )
        return data


class HomeStudyForm(ContactLogForm):
    """送学上门: the contact studied with the member at the member's home."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = ContactLog.Kind.HOME_DELIVERED
        self.fields["kind"].widget = forms.HiddenInput()
        self.fields["minutes"].required = True
        self.fields["minutes"].help_text = _("Credited to the member as study.")
        self.fields["minutes"].error_messages["required"] = _(
            "Enter how many minutes you studied together."
        )
        self.fields["topic"].help_text = _(
            "What you studied, if it is not one of the lessons above."
        )
        self.fields["topic"].initial = _("Home-delivered study")

    def clean_kind(self):
        return ContactLog.Kind.HOME_DELIVERED


class MonthlyReportForm(ServiceErrorsMixin, forms.Form):
    month = forms.ChoiceField(
        label=_("Calendar month"),
        error_messages={
            "invalid_choice": _("Choose this month or last month."),
            "required": _("Choose this month or last month."),
        },
    )
    note = forms.CharField(
        label=_("Thinking and situation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={
            "required": _("Write a few words on the member's thinking and situation.")
        },
        help_text=_(
            "How the member is doing: their thinking, work and life, what help "
            "they need. Only you and the branch's organisers read it."
        ),
    )

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = {month.strftime("%Y-%m"): month for month in months}
        self.fields["month"].choices = [(key, key) for key in self.months]

    def clean_month(self):
        value = self.cleaned_data["month"]
        if value not in self.months:
            raise forms.ValidationError(_("Choose this month or last month."))
        return self.months[value]


class RejectDeclarationForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("Reason for the member"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


# --- Wagtail admin (organisers) ----------


OUTSIDE_YOUR_BRANCHES = _(
    "Only confirmed members of the branches you organise can be paired."
)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.real_name}（{obj.branch.name}）"


class _OfferedIterator(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if field.offered is not None:
            self.queryset = field.offered


class MembersChoiceField(IdsChoiceField):
    """Offers only `offered` (members without a contact) but accepts any member
    of `queryset`, so that a member paired meanwhile by another organiser gets
    the service's message naming their contact, not "not a valid choice"."""

    iterator = _OfferedIterator
    offered = None

    def label_from_instance(self, obj):
        return f"{obj.real_name}（{obj.branch.name}）"


class PairingForm(ServiceErrorsMixin, WagtailAdminModelForm):
    """An organiser pairs a contact with one or more members of their branch,
    saved through `pairing_create_many`."""

    members = MembersChoiceField(
        label=_("Members"),
        queryset=MemberProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple(),
        help_text=_(
            "Members of the contact's branch who have no study contact yet. "
            "Each gets the same start date."
        ),
        error_messages={
            "required": _("Choose at least one member to pair."),
            "invalid_choice": OUTSIDE_YOUR_BRANCHES,
        },
    )

    class Meta:
        model = Pairing
        fields = ["contact", "started_on"]
        field_classes = {"contact": MemberChoiceField}
        widgets = {"started_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        confirmed = (
            MemberProfile.objects.visible_to(self.for_user)
            .confirmed()
            .select_related("branch")
            .order_by("branch__code", "real_name")
        )
        self.fields["contact"].queryset = confirmed
        self.fields["contact"].error_messages["invalid_choice"] = OUTSIDE_YOUR_BRANCHES
        members = self.fields["members"]
        members.offered = confirmed.exclude(
            pk__in=Pairing.objects.active().values("member_id")
        )
        members.queryset = confirmed
        self.fields["started_on"].initial = timezone.localdate
        if "members" in self.initial:
            self.fields["members"].initial = self.initial["members"]


class PairingEndForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate
