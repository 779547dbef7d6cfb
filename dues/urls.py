from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("me/dues/", views.my_dues, name="my_dues"),
]
