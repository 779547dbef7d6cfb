from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site content")

    def ready(self):
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from school import pagecache, renditions
        from school.members import registry

        from . import menu, models, personal_data
        from .voice import signals

        signals.replace_wagtail_decision_emails()
        menu.connect_signals()
        for signal in (request_started, post_save, post_delete, post_page_move):
            signal.connect(models.forget_restrictions, dispatch_uid="home.private_q")
        pagecache.connect_signals()
        renditions.connect_signals()

        registry.register_data_exporter(
            "voice_submissions", personal_data.export_submissions
        )
        registry.register_data_exporter("mailbox", personal_data.export_mailbox)
        registry.register_anonymiser(personal_data.anonymise)
