"""The mainland mobile number field of every form that asks for one."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import mobile_validator

MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise_mobile(value: str) -> str:
    """'+86 138-0013-8000' -> '+8613800138000'; ValidationError in Chinese for
    a foreign, landline or malformed number."""
    number = re.sub(r"[\s\-()（）]", "", value or "")
    if number.startswith(("+", "00")):
        international = number.removeprefix("+").removeprefix("00")
        if not international.startswith("86"):
            raise ValidationError(
                _("Only mainland China mobile numbers can be used."), code="foreign"
            )
        number = international[2:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not number.isdigit():
        raise ValidationError(
            _("A mobile number has only digits, e.g. 13800138000."), code="invalid"
        )
    if number.startswith("0") or len(number) in (7, 8):
        raise ValidationError(
            _(
                "This looks like a landline number. Enter a mobile number "
                "(11 digits starting with 1)."
            ),
            code="landline",
        )
    if not MOBILE.fullmatch(number):
        raise ValidationError(mobile_validator.message, code="invalid")
    return "+86" + number


class MainlandPhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    # The whole number; the field takes +86 and spaces too.
                    # (The Nu HTML checker refuses "tel-national" here.)
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": _("11-digit mobile number"),
                }
            ),
        )
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Shown as members write it: without +86.
        return value.removeprefix("+86") if isinstance(value, str) else value

    def clean(self, value):
        value = super().clean(value)
        return normalise_mobile(value) if value else value
