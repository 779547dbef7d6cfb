"""Admin listings of members whose spreadsheet export is written to the
profile access log: who took whose details out of the site, and which list."""

from .models import ProfileAccess
from .services import access_record


class LoggedProfileExportMixin:
    """For an index or report view listing member profiles: each xlsx/csv
    export records an access entry per exported profile."""

    export_log_name = ""  # which list, in the entry's detail

    def as_spreadsheet(self, queryset, spreadsheet_format):
        access_record(
            by=self.request.user,
            profiles=queryset,
            action=ProfileAccess.Action.EXPORT,
            detail=f"{self.export_log_name} {spreadsheet_format}".strip(),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)
