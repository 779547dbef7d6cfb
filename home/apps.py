from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site content")

    def ready(self):
        from school import pagecache
        from school.members import registry

        from . import menu, personal_data
        from .voice import signals

        signals.replace_wagtail_decision_emails()
        menu.connect_signals()
        pagecache.connect_signals()

        registry.register_data_exporter(
            "voice_submissions", personal_data.export_submissions
        )
        registry.register_data_exporter("mailbox", personal_data.export_mailbox)
        registry.register_anonymiser(personal_data.anonymise)
