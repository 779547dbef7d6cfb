from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Care visits")

    def ready(self):
        from school.members.member_file import register_file_section
        from school.members.registry import register_anonymiser, register_data_exporter

        from . import file_sections, personal_data

        register_data_exporter("care_visits", personal_data.export_care)
        register_anonymiser(personal_data.anonymise_care)
        register_file_section(file_sections.VISITS)
