from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse


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
