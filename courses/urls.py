from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("me/study/", views.my_study, name="my_study"),
    path("me/study/declare/", views.declare, name="declare"),
    path("study/lessons/<int:lesson_id>/beat/", views.lesson_beat, name="beat"),
    path(
        "study/lessons/<int:lesson_id>/media-ended/",
        views.lesson_media_ended,
        name="media_ended",
    ),
    path(
        "study/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
]
