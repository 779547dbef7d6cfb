"""Form pieces shared by the member-facing forms of the home app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CountedTextField(forms.CharField):
    """Text with a limit the member sees coming, and nothing ever cut.

    The browser's maxlength would drop the end of a long paste without a
    word: instead the box carries its limit for a live count
    (js/char-count.js), and the server answers in the school's words.
    """

    def __init__(self, *, max_length, **kwargs):
        kwargs["error_messages"] = {
            "max_length": _(
                "This text has %(show_value)s characters, more than the "
                "%(limit_value)s that fit. Please shorten it: nothing you wrote "
                "has been cut."
            ),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(max_length=max_length, **kwargs)
        self.counted_limit = max_length  # templates/home/includes/field.html

    def to_python(self, value):
        # Browsers send a box's line breaks as CRLF but count them as one.
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-max-length"] = str(self.max_length)
        return attrs
