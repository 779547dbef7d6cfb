from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap


class RequestHostSitemap(Sitemap):
    """Page addresses on the host the sitemap was asked on, as robots.txt and
    the news feed give them. Wagtail builds them from the Site record, which
    says ``localhost`` port 80 until someone edits it in the admin."""

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            path = urlsplit(url["location"]).path
            url["location"] = self.request.build_absolute_uri(path)
        return urls
