from django.urls import path

import school.converters  # noqa: F401  (registers <id:…>)

from .mailbox import views as mailbox
from .voice import views as voice

app_name = "home"

urlpatterns = [
    path("voice/submit/", voice.submission_new, name="submission_new"),
    path("me/submissions/", voice.my_submissions, name="my_submissions"),
    path("me/submissions/<id:pk>/", voice.submission_detail, name="submission_detail"),
    path("me/submissions/<id:pk>/edit/", voice.submission_edit, name="submission_edit"),
    path("mailbox/", mailbox.mailbox_new, name="mailbox_new"),
    path("me/mailbox/", mailbox.my_mailbox, name="my_mailbox"),
    path("me/mailbox/<id:pk>/", mailbox.mailbox_detail, name="mailbox_detail"),
    path(
        "me/mailbox/<id:pk>/attachment/",
        mailbox.mailbox_attachment,
        name="mailbox_attachment",
    ),
]
