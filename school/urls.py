from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

import school.converters  # noqa: F401  (registers <id:…>)
from home import views as home_views
from home.sitemaps import RequestHostSitemap
from school import pwa
from school.members import code_pages
from school.notices import views as notice_views
from school.ops import views as ops_views

handler500 = "school.ops.views.server_error"

urlpatterns = [
    # The admin's own login and password reset forms would bypass allauth's
    # rate limits and MFA: send them to allauth's.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
    ),
    # Wagtail's deliberate error page is for trying out error reporting by
    # hand (DEBUG); on a real site it only fills the error log.
    *(
        []
        if settings.DEBUG
        else [path("admin/failwhale/", ops_views.not_found, name="failwhale")]
    ),
    path("admin/", include(wagtailadmin_urls)),
    # allauth's two SMS code pages, with the school's help text, expiry
    # message and limit on new codes (school/members/code_pages.py).
    path("accounts/phone/verify/", code_pages.verify_phone),
    path("accounts/login/code/confirm/", code_pages.confirm_login_code),
    path("accounts/", include("allauth.urls")),
    path("", include("school.members.urls")),
    path("", include("school.notices.urls")),
    # The short link in an SMS: /n/<notice>.
    path("n/<id:pk>", notice_views.notice_open, name="notice_open"),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", home_views.search, name="search"),
    path("", include("home.urls")),
    path("", include("salon.urls")),
    path("", include("courses.urls")),
    path("", include("dues.urls")),
    path("", include("orglife.urls")),
    path("", include("care.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": RequestHostSitemap}},
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path(
        "favicon.ico",
        RedirectView.as_view(
            url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True
        ),
    ),
]

if getattr(settings, "SERVE_MEDIA", settings.DEBUG):
    from django.urls import re_path
    from django.views.static import serve

    def serve_media(request, path):
        # MEDIA_ROOT is read per request: tests point it at a temporary folder.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)
    ]

# Wagtail's catch-all comes last: app URLs above take precedence.
urlpatterns += [path("", include(wagtail_urls))]
