from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path(
        "contact/members/<id:member_id>/care/",
        views.member_care,
        name="contact_care",
    ),
    path(
        "contact/members/<id:member_id>/care/new-year/",
        views.new_year_stay,
        name="contact_new_year",
    ),
    path(
        "contact/members/<id:member_id>/care/<id:visit_id>/close/",
        views.close_visit,
        name="contact_close",
    ),
]
