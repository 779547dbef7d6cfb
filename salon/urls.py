from django.urls import path

from . import views

app_name = "salon"

urlpatterns = [
    path("me/salons/", views.my_salons, name="my_salons"),
    path("me/salons/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("me/salons/<int:pk>/calendar.ics", views.calendar_file, name="ics"),
    path("salons/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("salons/<int:pk>/suggest/", views.suggest_topic, name="suggest_topic"),
    path("salons/<int:pk>/topics/", views.topics, name="topics"),
    path("salons/<int:pk>/check-in/", views.check_in, name="check_in"),
    path(
        "salons/<int:pk>/check-in/<int:registration_pk>/",
        views.check_in_registration,
        name="check_in_registration",
    ),
    path("salons/<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("salons/check-in/<str:token>/", views.check_in_link, name="check_in_link"),
]
