from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "school.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from django.core import checks

        from . import file_sections, member_file, registry, services
        from .admin_scope import check_scoped_viewsets

        checks.register(check_scoped_viewsets, checks.Tags.security)

        # The member's own part of their data download; the apps above add
        # theirs from their own ready().
        registry.register_data_exporter("account", services.export_account)
        registry.register_data_exporter("profile", services.export_profile)
        registry.register_data_exporter("whereabouts", services.export_whereabouts)
        registry.register_data_exporter(
            "organised_branches", services.export_organised_branches
        )
        member_file.register_file_section(file_sections.WHEREABOUTS)
