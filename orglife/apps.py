from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrglifeConfig(AppConfig):
    name = "orglife"
    verbose_name = _("Organisational life")

    def ready(self):
        from school.members.registry import register_data_exporter

        from .personal_data import export_participation

        # No anonymiser: meetings are the branch's record; a deleted account's
        # profile is anonymised and its attendance rows stay, nameless.
        register_data_exporter("organisational_life", export_participation)

        from school.members.member_file import register_file_section

        from . import file_sections

        for section in file_sections.SECTIONS:
            register_file_section(section)
