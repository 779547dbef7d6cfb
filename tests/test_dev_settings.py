"""`make run` (dev settings) shows the site as visitors see it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("DEBUG", "SERVE_MEDIA", "WHITENOISE_USE_FINDERS")


def dev_settings(**env):
    code = (
        "import json; from school.settings import dev; "
        f"print(json.dumps({{n: getattr(dev, n, None) for n in {NAMES!r}}}))"
    )
    environ = {**os.environ, **env}
    if "DEBUG" not in env:
        environ.pop("DEBUG", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_make_run_shows_the_schools_error_pages_and_still_serves_files():
    # Without DEBUG, a missing page is the school's Chinese 404 page (tested in
    # tests/home/test_site_files.py), not Django's English technical page.
    assert dev_settings() == {
        "DEBUG": False,
        "SERVE_MEDIA": True,
        "WHITENOISE_USE_FINDERS": True,
    }


def test_debug_pages_come_back_with_debug_1():
    assert dev_settings(DEBUG="1")["DEBUG"] is True
