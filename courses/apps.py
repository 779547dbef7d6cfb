from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Online study")

    def ready(self):
        from school.members.registry import (
            register_anonymiser,
            register_data_exporter,
            register_leaver_handler,
        )

        from . import personal_data

        register_data_exporter("study_records", personal_data.export_study_records)
        register_data_exporter("lesson_progress", personal_data.export_lesson_progress)
        register_anonymiser(personal_data.anonymise_study)

        from .pairing import personal_data as pairing_data

        register_data_exporter("study_pairings", pairing_data.export_pairings)
        register_data_exporter("study_contacts", pairing_data.export_contacts)
        register_anonymiser(pairing_data.anonymise_pairings)

        from .pairing import services as pairing_services

        register_leaver_handler(pairing_services.pairings_end_for_leaver)

        from school.members.member_file import register_file_section

        from . import file_sections

        for section in file_sections.SECTIONS:
            register_file_section(section)

        from school.members.backends import register_user_annotation

        from .pairing.selectors import contact_user_exists

        register_user_annotation("_is_study_contact", contact_user_exists)
