import re

from allauth.core import ratelimit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Branch, MemberProfile
from .services import PROFILE_FIELDS


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields of ``form`` it names; the
    rest, and an error that names no field, above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProfileValidationMixin:
    """Checks shared by the member's form and the organisers' admin form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mobile = self.fields.get("mobile")
        if mobile is not None:
            # Room for "+86 138 0013 8000"; the model's validator checks the
            # normalised 11 digits.
            mobile.max_length = 20
            mobile.validators = [
                v for v in mobile.validators if not isinstance(v, MaxLengthValidator)
            ]
            mobile.widget.attrs["maxlength"] = "20"

    def clean_mobile(self):
        # People type numbers with spaces, dashes or the +86 country code.
        mobile = re.sub(r"[\s\-]", "", self.cleaned_data["mobile"])
        mobile = re.sub(r"^(\+?86)(?=1\d{10}$)", "", mobile)
        return mobile

    def _date_not_in_the_future(self, name):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean_moved_out_on(self):
        return self._date_not_in_the_future("moved_out_on")

    def clean_card_reviewed_on(self):
        return self._date_not_in_the_future("card_reviewed_on")

    def clean_activity_card_number(self):
        # Checked here as well as by the database constraint so that the error
        # sits on the field itself rather than at the top of the form.
        number = self.cleaned_data["activity_card_number"].strip()
        branch = self.cleaned_data.get("branch")
        if number and branch:
            taken = MemberProfile.objects.filter(
                branch=branch, activity_card_number=number
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(
                    _("This activity card number is already registered in this branch.")
                )
        return number


class ProfileForm(ProfileValidationMixin, forms.ModelForm):
    """The member file as the member fills it in (sign-up and /me/profile/)."""

    class Meta:
        model = MemberProfile
        fields = PROFILE_FIELDS
        field_classes = {"branch": BranchChoiceField}
        widgets = {
            "moved_out_on": DateInput(),
            "card_reviewed_on": DateInput(),
        }
        help_texts = {
            "real_name": _("As in your party membership records."),
            "branch": _("The party branch your membership belongs to."),
            "mobile": _("11-digit mainland China mobile number."),
            "activity_card_number": _(
                "The number on your mobile party member activity card, if you have one."
            ),
        }

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches or Branch.objects.all()
        self.fields["branch"].empty_label = _("Choose your branch")
        self.fields["mobile"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["real_name"].widget.attrs["autocomplete"] = "name"

    def profile_data(self):
        return {field: self.cleaned_data.get(field) for field in PROFILE_FIELDS}

    @staticmethod
    def draft_from(data):
        """The POSTed values kept between the profile step and the consent step."""
        return {field: data.get(field, "") for field in PROFILE_FIELDS}


class MyProfileForm(ProfileForm):
    """The profile form on /me/profile/: the member file plus the member's own
    settings (study reminder e-mails)."""

    class Meta(ProfileForm.Meta):
        fields = [*PROFILE_FIELDS, "study_reminders"]

    def profile_data(self):
        return {
            **super().profile_data(),
            "study_reminders": self.cleaned_data.get("study_reminders", False),
        }


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "I have read the notice above and agree that the school processes my "
            "personal information, including my party membership, as described."
        ),
        error_messages={
            "required": _("Tick the box to give your consent, or go back.")
        },
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The member sees this reason and can correct their profile."),
        max_length=1000,
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # Same limit as allauth's own re-authentication.
        if not ratelimit.consume(self.request, action="reauthenticate", user=user):
            raise forms.ValidationError(_("Too many attempts. Please try again later."))
        if not user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
