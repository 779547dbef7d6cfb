"""Measuring pages on small phones, with large text and in elderly mode
(issue 16): every page type of the seeded demo site, and the measurements
made by measure.js from the browser's computed styles."""

import io
from pathlib import Path

from django.core.management import call_command

from school.members.models import User

MEASURE_JS = (Path(__file__).parent / "measure.js").read_text()

# Every page type a visitor reaches without an account.
PUBLIC_PAGES = [
    "/",
    "/news/",
    "/news/study-month-launch/",
    "/courses/party-constitution-basics/",
    "/courses/party-constitution-basics/duties-and-rights/",
    "/courses/party-constitution-basics/oath-audio/",
    "/salons/",
    "/search/?q=党员",
    "/voice/",
    "/voice/learning-on-the-road/",
    "/accounts/login/",
    "/accounts/signup/",
]
# Every page type of a member who is also a study contact (the fullest header).
MEMBER_PAGES = [
    "/",
    "/courses/party-constitution-basics/duties-and-rights/",
    "/mailbox/",
    "/me/study/",
    "/me/profile/",
    "/me/notices/",
    "/me/notices/settings/",
    "/me/salons/",
    "/me/submissions/",
    "/me/mailbox/",
    "/voice/submit/",
    "/contact/",
]
CONTACT_EMAIL = "contact@example.com"
MEMBER_EMAIL = "member@example.com"


def seed_site():
    """The demo site; returns the current quarter's salon's address, which
    joins the public pages."""
    call_command("seed_demo", stdout=io.StringIO())
    from salon.models import SalonPage

    return SalonPage.objects.live().first().url


def demo_user(email):
    return User.objects.get(email=email)


def with_measure(context):
    context.add_init_script(MEASURE_JS)
    return context


def large_text(page, percent=200):
    """The browser's own text size setting, as a reader sets it (Chromium's
    Settings › Appearance › Font size, Android's text scaling in Chrome):
    the default font size becomes `percent` % of 16 px. Everything sized in
    rem, em or % grows with it; the viewport stays the phone's width."""
    session = page.context.new_cdp_session(page)
    session.send(
        "Page.setFontSizes",
        {"fontSizes": {"standard": 16 * percent // 100, "fixed": 13 * percent // 100}},
    )


def measure(page, least):
    return page.evaluate("least => window.__measure(least)", least)


def layout_faults(page, least):
    """What a reader of this page would meet: sideways scroll, and tap targets
    smaller than `least` px."""
    found = measure(page, least)
    faults = {}
    if found["width"] > found["viewport"]:
        faults["width"] = found["width"]
    if found["small"]:
        faults["small tap targets"] = found["small"]
    return faults
