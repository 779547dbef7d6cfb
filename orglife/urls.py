from django.urls import path

from . import views

app_name = "orglife"

urlpatterns = [
    path("me/meetings/", views.my_meetings, name="my_meetings"),
]
