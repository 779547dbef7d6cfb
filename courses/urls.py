from django.urls import path

import school.converters  # noqa: F401  (registers <id:…>)

from . import views
from .pairing import views as contact_views

app_name = "courses"

urlpatterns = [
    path("me/study/", views.my_study, name="my_study"),
    path("me/study/declare/", views.declare, name="declare"),
    path("study/lessons/<id:lesson_id>/beat/", views.lesson_beat, name="beat"),
    path(
        "study/lessons/<id:lesson_id>/media-ended/",
        views.lesson_media_ended,
        name="media_ended",
    ),
    path("study/offline/", views.offline_study, name="offline_study"),
    path(
        "study/lessons/<id:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    # The study contact's pages ("1+1" pairings).
    path("contact/", contact_views.dashboard, name="contact_dashboard"),
    path(
        "contact/members/<id:member_id>/",
        contact_views.member_detail,
        name="contact_member",
    ),
    path(
        "contact/members/<id:member_id>/log/",
        contact_views.log_contact,
        name="contact_log",
    ),
    path(
        "contact/members/<id:member_id>/home-study/",
        contact_views.log_contact,
        {"home": True},
        name="contact_home_study",
    ),
    path(
        "contact/members/<id:member_id>/report/",
        contact_views.monthly_report,
        name="contact_report",
    ),
    path(
        "contact/members/<id:member_id>/declarations/<id:record_id>/confirm/",
        contact_views.confirm_declaration,
        name="contact_confirm",
    ),
    path(
        "contact/members/<id:member_id>/declarations/<id:record_id>/reject/",
        contact_views.reject_declaration,
        name="contact_reject",
    ),
]
