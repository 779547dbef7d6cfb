from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("me/profile/complete/", views.profile_complete, name="profile_complete"),
    path("me/profile/<int:pk>/", views.profile_by_number, name="profile_by_number"),
    path("me/consent/", views.consent, name="consent"),
    path("me/data.json", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
]
