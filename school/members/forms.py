import re

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import limits
from .fields import MainlandPhoneField
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


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """allauth's form for a login code, saying how long to wait when the
    number has had its codes for now."""

    def clean_phone(self):
        try:
            return super().clean_phone()
        except forms.ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            seconds = limits.wait_seconds(
                allauth_context.request,
                action="request_login_code",
                key=self.cleaned_data["phone"].lower(),
            )
            raise forms.ValidationError(
                limits.code_wait_message(seconds), code="too_many_login_attempts"
            ) from error


class LoginForm(allauth_forms.LoginForm):
    """allauth's login by number or e-mail address; the number is taken as
    members type it (138 0013 8000, +86…) and looked up normalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Mobile number or e-mail address")
        login.widget.attrs.update(
            {
                "placeholder": _("Mobile number or e-mail address"),
                "autocomplete": "username",
            }
        )

    def clean(self):
        request = allauth_context.request
        limits.consume_form_limit(request, action="login")
        cleaned_data = super().clean()
        # A correct password for an account whose number is not verified yet
        # goes on to "enter the code": say here if the number cannot have one
        # now (allauth would raise RateLimited, a 500).
        user = None if self.errors else getattr(self, "user", None)
        phone = user and get_adapter().get_phone(user)
        if phone and not phone[1]:
            limits.check_code_allowed(request, phone[0])
        return cleaned_data

    def clean_login(self):
        login = super().clean_login()
        if "@" in login:
            return login
        return MainlandPhoneField().clean(login)

    def _clean_with_password(self, credentials):
        cleaned_data = super()._clean_with_password(credentials)
        if credentials.get("email") and hasattr(self, "_login"):
            # E-mail verification is optional now that accounts are numbers,
            # but an address is still a way in only once it is verified.
            self._login.email_verification = EmailVerificationMethod.MANDATORY
        return cleaned_data


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up, with the mobile number required here rather than in
    ACCOUNT_SIGNUP_FIELDS: there, allauth would also refuse every login of the
    e-mail accounts made before numbers were asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.order_fields(["phone", "password1", "password2", "email"])

    def clean(self):
        request = allauth_context.request
        limits.consume_form_limit(request, action="signup")
        cleaned_data = super().clean()
        # The code goes out once the account is saved: if the number cannot
        # have one now, say so before anything is saved.
        phone = cleaned_data.get("phone")
        if phone and "phone" not in self.errors:
            try:
                limits.check_code_allowed(request, phone)
            except ValidationError as error:
                self.add_error("phone", error)
        return cleaned_data


class ChangePhoneForm(allauth_forms.ChangePhoneForm):
    """allauth's form for a new number, on the profile (/accounts/phone/change/,
    logged in) and on the sign-up's code page ("use a different number").

    On the profile a number that belongs to another account is refused as
    taken. The member is logged in on an account whose own number or address
    was verified, the form allows three tries a minute and ten an hour per
    account (SCHOOL_FORM_RATE_LIMITS), and the alternative is worse: allauth
    would text a code to the other account's owner and the member would wait
    for a code that never comes. During sign-up (not logged in) allauth's
    enumeration protection stands: the owner of a taken number is texted
    "already registered" and the page looks the same as for a free number."""

    def clean(self):
        request = allauth_context.request
        if request.user.is_authenticated:
            try:
                limits.consume_form_limit(
                    request, action="change_phone", user=request.user
                )
            except ValidationError as error:
                # allauth's page shows the errors of the number only.
                self.add_error("phone", error)
        return super().clean()

    def clean_phone(self):
        request = allauth_context.request
        phone = super().clean_phone()
        if request.user.is_authenticated and self.account_already_exists:
            raise get_adapter().validation_error("phone_taken")
        limits.check_code_allowed(request, phone)
        return phone


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """allauth's password reset by e-mail, its limits said on the form."""

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        limits.consume_form_limit(
            allauth_context.request,
            action="reset_password",
            key=email.lower() if email else "",
        )
        return cleaned_data
