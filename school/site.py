"""The site's own address, for links written outside a request (e-mail, cron)."""

from django.conf import settings


def absolute_url(path: str = "") -> str:
    """`path` on the site's one address (settings.SITE_URL), unless already full."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path
