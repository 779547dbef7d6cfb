from django.urls import path

import school.converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "notices"

urlpatterns = [
    path("me/notices/", views.notice_list, name="list"),
    path("me/notices/<id:pk>/", views.notice_detail, name="detail"),
    path("me/notices/read/", views.mark_all_read, name="mark_all_read"),
    path("me/notices/settings/", views.preferences, name="preferences"),
]
