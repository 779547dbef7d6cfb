from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import TOPIC_CHOICES, Topic
from .services import _email_usable, channels_for, has_phone

CHANNEL_LABELS = {"sms": _("SMS"), "email": _("E-mail")}


class PreferencesForm(forms.Form):
    """For each topic, SMS and e-mail on or off (the site always shows it).
    A channel not verified yet is shown off and cannot be chosen."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        email_usable = _email_usable([user])[user.pk]
        self.usable = {"sms": has_phone(user), "email": email_usable}
        self.rows = []
        for topic, label in TOPIC_CHOICES:
            if (
                topic == Topic.WORK
                and not user.is_staff
                and not (user.organised_branches.exists())
            ):
                continue
            current = channels_for(user, topic, email_usable=email_usable)
            row = {"label": label, "fields": []}
            for channel, channel_label in CHANNEL_LABELS.items():
                name = f"{topic}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=channel_label,
                    required=False,
                    initial=channel in current,
                    disabled=not self.usable[channel],
                )
                row["fields"].append(name)
            self.rows.append(row)

    def topic_rows(self):
        return [
            {"label": row["label"], "fields": [self[name] for name in row["fields"]]}
            for row in self.rows
        ]

    def choices(self) -> dict[str, list[str]]:
        chosen: dict[str, list[str]] = {}
        for name in self.fields:
            topic, channel = name.split("__")
            chosen.setdefault(topic, [])
            if self.cleaned_data.get(name):
                chosen[topic].append(channel)
            elif not self.usable[channel]:
                # Not verified yet: keep whatever the person chose before.
                previous = (self.user.notice_channels or {}).get(topic)
                if previous and channel in previous:
                    chosen[topic].append(channel)
        return chosen
