from django.urls import path

from .mailbox import views as mailbox
from .voice import views as voice

app_name = "home"

urlpatterns = [
    path("voice/submit/", voice.submission_new, name="submission_new"),
    path("me/submissions/", voice.my_submissions, name="my_submissions"),
    path("me/submissions/<int:pk>/", voice.submission_detail, name="submission_detail"),
    path(
        "me/submissions/<int:pk>/edit/", voice.submission_edit, name="submission_edit"
    ),
    path("mailbox/", mailbox.mailbox_new, name="mailbox_new"),
    path("me/mailbox/", mailbox.my_mailbox, name="my_mailbox"),
    path("me/mailbox/<int:pk>/", mailbox.mailbox_detail, name="mailbox_detail"),
    path(
        "me/mailbox/<int:pk>/attachment/",
        mailbox.mailbox_attachment,
        name="mailbox_attachment",
    ),
]
