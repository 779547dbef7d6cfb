from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalonConfig(AppConfig):
    name = "salon"
    verbose_name = _("Red salon")

    def ready(self):
        from school.members.registry import register_anonymiser, register_data_exporter

        from .personal_data import anonymise_salon_data, export_salon_data

        register_data_exporter("salon", export_salon_data)
        register_anonymiser(anonymise_salon_data)

        from wagtail.signals import page_published, page_unpublished

        from .models import SalonIndexPage, SalonPage

        page_published.connect(
            _grant_organisers, sender=SalonIndexPage, dispatch_uid="salon_organisers"
        )
        page_published.connect(
            _fill_from_waiting_list, sender=SalonPage, dispatch_uid="salon_fill_seats"
        )
        page_published.connect(
            _tell_changes, sender=SalonPage, dispatch_uid="salon_changed"
        )
        page_unpublished.connect(
            _tell_registrants, sender=SalonPage, dispatch_uid="salon_cancelled"
        )


def _grant_organisers(sender, instance, **kwargs):
    # Organisers run their branch's salons: they publish the salon pages.
    instance.grant_organisers()


def _fill_from_waiting_list(sender, instance, **kwargs):
    # Seats added by an editor go to those already waiting, not to newcomers.
    from .services import salon_fill_from_waiting_list

    salon_fill_from_waiting_list(salon=instance)


def _tell_registrants(sender, instance, **kwargs):
    # Unpublishing a salon is how it is called off (it cannot be deleted once
    # members have signed up): those signed up are told.
    from .services import salon_cancelled_notify

    salon_cancelled_notify(salon=instance)


def _tell_changes(sender, instance, **kwargs):
    # Every way a salon goes live (publish, schedule, revert, workflow) passes
    # here: those signed up hear of a new time or place once.
    from .services import salon_changes_notify

    salon_changes_notify(salon=instance)
