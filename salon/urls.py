from django.urls import path

import school.converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "salon"

urlpatterns = [
    path("me/salons/", views.my_salons, name="my_salons"),
    path("me/salons/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("me/salons/<id:pk>/calendar.ics", views.calendar_file, name="ics"),
    path("salons/<id:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("salons/<id:pk>/suggest/", views.suggest_topic, name="suggest_topic"),
    path("salons/<id:pk>/topics/", views.topics, name="topics"),
    path("salons/<id:pk>/check-in/", views.check_in, name="check_in"),
    path(
        "salons/<id:pk>/check-in/<id:registration_pk>/",
        views.check_in_registration,
        name="check_in_registration",
    ),
    path(
        "salons/<id:pk>/check-in/<id:registration_pk>/undo/",
        views.check_in_undo,
        name="check_in_undo",
    ),
    path("salons/<id:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("salons/check-in/<str:token>/", views.check_in_link, name="check_in_link"),
]
