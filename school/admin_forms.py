"""What the admin's create and edit views share across apps."""

from django.core.exceptions import ValidationError


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
