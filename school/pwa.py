"""The installable school: web app manifest, service worker and offline page."""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOUR = "#b71c1c"
# Cached by the service worker when it installs: what every page needs.
PRECACHE_STATIC = [
    "css/site.css",
    "js/mode.js",
    "js/site.js",
    "js/study.js",
    "js/offline.js",
    "js/speech.js",
    "img/favicon.svg",
    "img/icon-192.png",
]
# Never answered by the service worker: the admin, sign-in pages, the study
# API, and the worker's own files.
NEVER_CACHED = ["/admin/", "/accounts/", "/study/", "/sw.js", "/manifest.webmanifest"]


@require_GET
def manifest(request):
    icons = [
        {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ] + [
        {"src": static(f"img/icon-maskable-{size}.png"), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "maskable"}
        for size in (192, 512)
    ]  # fmt: skip
    data = {
        "id": "/",
        "name": _("Online Party School for Mobile Members"),
        "short_name": _("Party School"),
        "description": _(
            "News, guides and courses for mobile party members, also offline."
        ),
        "lang": "zh-CN",
        "dir": "ltr",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#fffdf9",
        "categories": ["education"],
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _worker_config() -> dict:
    precache = [static(name) for name in PRECACHE_STATIC] + [reverse("offline")]
    return {
        "precache": precache,
        "offline_url": reverse("offline"),
        "logout_url": reverse("account_logout"),
        "static_url": settings.STATIC_URL,
        "media_url": settings.MEDIA_URL,
        "never": NEVER_CACHED,
    }


@require_GET
def service_worker(request):
    config = _worker_config()
    # A new version (new hashed static names, a new worker) replaces the old
    # static cache when it activates.
    source = render_to_string("pwa/sw.js", {"config": json.dumps(config)})
    config["version"] = hashlib.sha256(source.encode()).hexdigest()[:12]
    source = render_to_string("pwa/sw.js", {"config": json.dumps(config)})
    response = HttpResponse(source, content_type="application/javascript")
    # Browsers check for a new worker on every visit anyway; never keep it.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """What the service worker shows for a page never read on this phone."""
    return render(request, "offline.html")
