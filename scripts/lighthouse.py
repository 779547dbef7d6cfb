"""`make lighthouse`: Lighthouse (mobile) on the served site, and Chromium's
own installability check.

For home, an article, a lesson, /salons/ and /me/study/ (logged in as the
demo member: the session cookie goes in --extra-headers) it runs Lighthouse
with its default mobile emulation and throttling, prints the four category
scores, and fails unless every one is 1.00. Lighthouse 12 has no
PWA category any more, so installability is asked of Chromium itself
(DevTools Page.getInstallabilityErrors) in a normal, non-incognito profile.

    python scripts/lighthouse.py [--url http://127.0.0.1:8000] [--json DIR]

Needs the site served (`make run`, which seeds the demo accounts) and
`lighthouse` on PATH or in .npm-tools/ (`make lighthouse` installs it).
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = [
    ("home", "/", False),
    ("article", "/news/study-month-launch/", False),
    ("lesson", "/courses/party-constitution-basics/oath-audio/", False),
    ("salons", "/salons/", False),
    ("my study", "/me/study/", True),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Audits allowed to fail, by page: none.
ALLOWED: dict[str, set[str]] = {}
MEMBER = ("member@example.com", "demo-member-2026")


def session_cookie(base: str) -> str:
    """Log in as the demo member through the site's own form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/accounts/login/"
    html = opener.open(login, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": MEMBER[0], "password": MEMBER[1]}
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})
    opener.open(request, timeout=30)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "sessionid=" not in cookies:
        sys.exit(f"Could not log in as {MEMBER[0]}: is the demo seeded?")
    return cookies


def lighthouse_binary() -> str:
    local = ROOT / ".npm-tools/node_modules/.bin/lighthouse"
    found = shutil.which("lighthouse") or (str(local) if local.exists() else None)
    if not found:
        sys.exit("lighthouse not found: run `make lighthouse`.")
    return found


def run_lighthouse(url: str, cookie: str | None, out: Path) -> dict:
    command = [
        lighthouse_binary(),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(command, check=True, env=env)  # noqa: S603
    return json.loads(out.read_text())


def failed_audits(report: dict, category: str) -> set:
    """The weighted audits of `category` that did not pass in full."""
    return {
        ref["id"]
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"]
        and report["audits"][ref["id"]]["score"] is not None
        and report["audits"][ref["id"]]["score"] < 1
    }


def installability_errors(url: str) -> list:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROME,
            args=["--no-sandbox", "--disable-gpu"],
            viewport={"width": 360, "height": 740},
            is_mobile=True,
        )
        page = context.new_page()
        page.goto(url)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        context.close()
    return [error["errorId"] for error in errors]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("SITE_URL", ""))
    parser.add_argument("--json", help="keep the reports in this folder")
    args = parser.parse_args()
    base = (args.url or "http://127.0.0.1:8000").rstrip("/")
    cookie = session_cookie(base)
    folder = Path(args.json or tempfile.mkdtemp(prefix="lighthouse-"))
    folder.mkdir(parents=True, exist_ok=True)

    failures = []
    print(f"{'page':10} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}  failed audits")
    for name, path, personal in PAGES:
        report = run_lighthouse(
            base + path, cookie if personal else None, folder / f"{name}.json"
        )
        final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
        if urllib.parse.urlparse(final).path != path:
            failures.append(f"{path}: Lighthouse ended on {final}")
        scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
        failed = {c: failed_audits(report, c) for c in CATEGORIES}
        shown = " ".join(f"{scores[c]:5.2f}" for c in CATEGORIES)
        listed = sorted(set().union(*failed.values()))
        print(f"{name:10} {shown}  {', '.join(listed) or '-'}", flush=True)
        for category in CATEGORIES:
            allowed = ALLOWED.get(path, set())
            if scores[category] < 1 and not (failed[category] <= allowed):
                failures.append(f"{path}: {category} {scores[category]:.2f}")

    errors = installability_errors(base + "/")
    print(f"installable: {'yes' if not errors else 'no: ' + ', '.join(errors)}")
    if errors:
        failures.append(f"not installable: {errors}")
    print(f"reports: {folder}")
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
