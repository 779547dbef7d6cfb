"""What the admin's create and edit views share across apps."""

from django.core.exceptions import ValidationError
from django.urls import path
from django.views.generic import RedirectView


class ServiceFormMixin:
    """For a Wagtail create or edit view whose `save_instance` calls a
    service: the service's refusal (a ValidationError) shows on the form, with
    everything typed kept. The form has `add_service_errors`
    (school.members.forms)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_service_errors(error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class AddAddressMixin:
    """For a ModelViewSet: `…/add/` leads to Wagtail's create form at
    `…/new/`, with its query string (`?member=…`), for organisers who type or
    bookmark the address the documentation and Django's admin use."""

    def get_urlpatterns(self):
        to_add = RedirectView.as_view(
            pattern_name=self.get_url_name("add"), query_string=True
        )
        return [*super().get_urlpatterns(), path("add/", to_add)]
