from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils.crypto import salted_hmac
from whitenoise.middleware import WhiteNoiseMiddleware

# Types worth compressing; images, audio, video, PDFs and spreadsheets are
# compressed already.
COMPRESSIBLE_TYPES = {
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict CONTENT_SECURITY_POLICY on the site; the looser
    SCHOOL_ADMIN_CSP_DIRECTIVES in the Wagtail admin and its previews."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view's own @csp policy still wins, in the admin as elsewhere.
        if not report_only and parts.config is None and self.is_admin(request):
            parts.config = settings.SCHOOL_ADMIN_CSP_DIRECTIVES
        return parts

    @staticmethod
    def is_admin(request) -> bool:
        # Wagtail renders a preview through the middleware again, on a dummy
        # request for the page's public URL; the admin then frames the result.
        return getattr(request, "is_dummy", False) or request.path.startswith(
            reverse("wagtailadmin_home")
        )


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a hashed static file kept for a year, the longest
    lifetime HTTP caches are asked to honour (RFC 9111); its name changes
    whenever its content does, so nothing stale is ever kept."""

    FOREVER = 365 * 24 * 60 * 60


class TextGZipMiddleware(GZipMiddleware):
    """Pages and other text go out gzipped: members pay for every byte on
    mobile data, and a page's HTML shrinks to about a third. (Static files
    come gzipped from WhiteNoise, above this in MIDDLEWARE.) Django's
    GZipMiddleware pads the output against BREACH."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type.startswith("text/") or content_type in COMPRESSIBLE_TYPES:
            return super().process_response(request, response)
        return response


class AccountMarkMiddleware:
    """Tell the service worker whose page this is (an opaque mark, none for
    visitors): it drops its copies of pages when the account changes, so a
    phone never shows one member's pages to the next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["X-School-Account"] = salted_hmac(
                "school.service-worker-account", str(user.pk)
            ).hexdigest()[:20]
        return response
