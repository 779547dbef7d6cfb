from django.urls import path
from django.views.generic import RedirectView

import school.converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "members"

urlpatterns = [
    # /me/ itself is the member's own page: their profile.
    path("me/", RedirectView.as_view(pattern_name="members:profile"), name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/profile/complete/", views.profile_complete, name="profile_complete"),
    path("me/profile/<id:pk>/", views.profile_by_number, name="profile_by_number"),
    path("me/consent/", views.consent, name="consent"),
    path("me/data.json", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("me/password/new/", views.password_new, name="password_new"),
    path("me/elderly-mode/", views.elderly_mode, name="elderly_mode"),
]
