"""The organisers' dues forms in the Wagtail admin."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from school.members import scope
from school.members.forms import DateInput, ServiceErrorsMixin
from school.members.models import MemberProfile

from .models import DuesPayment, DuesRate

NOT_YOURS = _("Choose a confirmed member of a branch you organise.")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class MonthField(forms.DateField):
    """A month, typed as 2026-01 (the browser's month picker) or a date."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m"]
    default_error_messages = {"invalid": _("Enter a month such as 2026-01.")}

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if isinstance(value, datetime.date) else value


def dues_members(user):
    return (
        scope.visible(MemberProfile.objects.confirmed(), user)
        .select_related("branch")
        .order_by("branch__code", "real_name")
    )


def member_label(member):
    return f"{member.real_name}（{member.branch.name}）"


class DuesMemberFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = dues_members(self.for_user)
        field.label_from_instance = member_label
        field.error_messages["invalid_choice"] = NOT_YOURS


class DuesRateForm(ServiceErrorsMixin, DuesMemberFormMixin, WagtailAdminModelForm):
    applies_from = MonthField(label=_("applies from (month)"))

    class Meta:
        model = DuesRate
        fields = ["member", "monthly_amount", "applies_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["applies_from"].initial = timezone.localdate().replace(day=1)

    def clean_monthly_amount(self):
        from .services import amount_check

        amount = self.cleaned_data["monthly_amount"]
        amount_check(amount, field=None, limit=None, zero_ok=True)
        return amount


class DuesPaymentForm(ServiceErrorsMixin, DuesMemberFormMixin, WagtailAdminModelForm):
    """One payment; saved through `dues.services.dues_payment_record`."""

    first_month = MonthField(label=_("first month covered"))
    months = forms.IntegerField(
        label=_("months covered"), min_value=1, max_value=12, initial=1, required=False
    )

    class Meta:
        model = DuesPayment
        fields = [
            "member",
            "paid_on",
            "whole_year",
            "first_month",
            "months",
            "amount",
            "method",
            "paid_by",
            "note",
        ]
        widgets = {"paid_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["paid_on"].initial = today
        self.fields["paid_on"].widget.attrs["max"] = today.isoformat()
        self.fields["first_month"].initial = today.replace(day=1)
        self.fields["whole_year"].help_text = _(
            "Covers January to December of the year of the first month."
        )
        self.fields["paid_by"].help_text = _("Only for 代缴: the person who paid.")

    def clean(self):
        data = super().clean()
        if data.get("whole_year") and data.get("first_month"):
            data["first_month"] = data["first_month"].replace(month=1)
            data["months"] = 12
        elif not data.get("months") and "months" not in self.errors:
            self.add_error("months", _("Say how many months the payment covers."))
        return data

    def _post_clean(self):
        # The rules (amount, months, who paid) are the service's, with their own
        # messages: the model's constraints are checked there, not here.
        pass
