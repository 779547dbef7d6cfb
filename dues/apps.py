from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = _("Party dues")

    def ready(self):
        from school.members.registry import register_data_exporter

        from .personal_data import export_dues

        # No anonymiser: the dues ledger is a record of money the branch
        # received; a deleted account's profile is anonymised, its rows stay.
        register_data_exporter("party_dues", export_dues)

        from school.members.member_file import register_file_section

        from . import file_sections

        for section in file_sections.SECTIONS:
            register_file_section(section)
