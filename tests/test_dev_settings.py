"""`make run` (dev settings) shows the site as visitors see it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_deploy import setting_value

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("DEBUG", "SERVE_MEDIA", "WHITENOISE_USE_FINDERS")
MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def dev_settings(**env):
    code = (
        "import json; from school.settings import dev; "
        f"print(json.dumps({{n: getattr(dev, n, None) for n in {NAMES!r}}}))"
    )
    environ = {**os.environ, **env}
    for name in ("DEBUG", "LIVE_STATIC"):
        if name not in env:
            environ.pop(name, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def dev_setting(expression, **env):
    """The value of a settings expression (as printed) in dev settings."""
    drop = [name for name in ("DEBUG", "LIVE_STATIC") if name not in env]
    return setting_value("school.settings.dev", expression, env, drop=drop)


def test_make_run_shows_the_schools_error_pages_and_still_serves_files():
    # Without DEBUG, a missing page is the school's Chinese 404 page (tested in
    # tests/home/test_site_files.py), not Django's English technical page.
    assert dev_settings() == {
        "DEBUG": False,
        "SERVE_MEDIA": True,
        "WHITENOISE_USE_FINDERS": None,
    }


def test_make_run_serves_static_files_as_production_does():
    assert dev_setting("STORAGES['staticfiles']['BACKEND']") == MANIFEST
    apps = dev_setting("INSTALLED_APPS")
    # Before staticfiles: runserver's own plain static view stays out.
    assert apps.index("whitenoise.runserver_nostatic") < apps.index(
        "django.contrib.staticfiles"
    )
    run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n")[0]
    assert "collectstatic" in run


def test_live_static_1_serves_the_source_folders_for_editing():
    assert dev_settings(LIVE_STATIC="1")["WHITENOISE_USE_FINDERS"] is True
    assert (
        dev_setting("STORAGES['staticfiles']['BACKEND']", LIVE_STATIC="1")
        == "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_debug_pages_come_back_with_debug_1():
    assert dev_settings(DEBUG="1")["DEBUG"] is True
