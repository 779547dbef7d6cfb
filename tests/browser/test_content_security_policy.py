"""The Content-Security-Policy blocks nothing the site itself needs: public
pages, a lesson's study heartbeat, the MFA and salon QR codes, and the Wagtail
admin with its preview, image chooser and reports."""

import datetime
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.images import get_image_model

from school.members.models import User
from tests import factories
from tests.home.factories import image_upload
from tests.members import factories as people
from tests.salon import factories as salons

# Playwright's init scripts run whatever the page's policy says, in every frame.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` on ${event.documentURI}`
  );
});
"""


class Violations(list):
    """CSP violations in a browser context: DOM events and console reports."""

    def watch(self, context):
        context.expose_function("reportCspViolation", lambda text: self.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on(
            "console",
            lambda message: (
                self.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return context


@pytest.fixture
def violations():
    return Violations()


@pytest.fixture
def watched_page(browser, violations):
    context = violations.watch(browser.new_context(locale="zh-CN"))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


def log_in(page, live_server, email, password):
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号码或电子邮件地址").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("main").get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url


@pytest.mark.django_db(transaction=True)
def test_the_watch_sees_what_the_policy_blocks(live_server, watched_page, violations):
    visit(watched_page, live_server.url)

    watched_page.evaluate("document.body.setAttribute('style', 'color: red')")
    watched_page.wait_for_timeout(300)

    assert any("style-src" in v for v in violations), violations


@pytest.mark.django_db(transaction=True)
def test_public_pages_and_member_pages_run_under_the_policy(
    live_server, watched_page, violations, settings
):
    call_command("seed_demo", stdout=io.StringIO())
    settings.SCHOOL_STUDY_BEAT_SECONDS = 2  # after the demo's simulated study
    page = watched_page
    for path in [
        "/",
        "/news/",
        "/courses/",
        "/courses/party-constitution-basics/",
        "/guides/faq/",
        "/voice/",
        "/showcase/rider-zhao/",
        "/salons/",
        "/accounts/signup/",
    ]:
        visit(page, f"{live_server.url}{path}")

    visit(page, f"{live_server.url}/news/volunteer-clinic/")
    assert page.locator("main img").first.evaluate("img => img.naturalWidth") > 0
    visit(page, f"{live_server.url}/search/?q=党员")
    expect(page.locator(".search-result mark").first).to_have_text("党员")

    member = User.objects.get(email="member@example.com")
    salon = salons.salon(title="本季度红色沙龙")
    salons.services_sign_up(salon, member.profile)
    log_in(page, live_server, "member@example.com", "demo-member-2026")

    # The study heartbeat (a static script) posts, and the server credits it.
    visit(page, f"{live_server.url}/courses/party-constitution-basics/oath-audio/")
    # A string predicate would need eval, which the policy forbids: a function.
    # The audio waits for the member (preload="none"): load it as playing would.
    page.locator("audio").evaluate("a => { a.preload = 'metadata'; a.load(); }")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-study]')"
        ".getAttribute('data-credited-seconds')) > 0"
    )

    visit(page, f"{live_server.url}/me/salons/")
    expect(page.locator(".salon-qr svg").first).to_be_visible()

    visit(page, f"{live_server.url}/accounts/2fa/totp/activate/")
    # allauth asks for the password again before it sets up MFA.
    page.get_by_label("密码").fill("demo-member-2026")
    page.get_by_role("button", name="确认").click()
    qr = page.locator("main img[src^='data:']").first
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0

    for path in ["/me/study/", "/me/profile/", "/accounts/email/"]:
        visit(page, f"{live_server.url}{path}")

    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_wagtail_admin_editor_preview_chooser_and_reports_run_under_its_policy(
    live_server, watched_page, violations
):
    image = get_image_model().objects.create(title="志愿服务", file=image_upload())
    index = factories.news_index()
    news = factories.news_page(
        index, title="志愿服务队走进社区", date=datetime.date(2026, 5, 1), image=image
    )
    people.superuser(email="boss@example.com")
    page = watched_page
    log_in(page, live_server, "boss@example.com", people.PASSWORD)

    # The editor's live preview frames the page, rendered under the admin's policy.
    visit(page, f"{live_server.url}/admin/pages/{news.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("iframe[title]").first
    expect(preview.get_by_role("heading", level=1)).to_have_text("志愿服务队走进社区")

    # The image chooser opens in a modal and lists the image.
    page.locator("#id_image-chooser [data-chooser-action-choose]").dispatch_event(
        "click"
    )
    expect(page.get_by_role("dialog").locator("img").first).to_be_visible()

    # The editor's userbar on the public page.
    visit(page, f"{live_server.url}{news.url}")
    page.locator("wagtail-userbar").locator("#wagtail-userbar-trigger").click()
    expect(page.locator("wagtail-userbar").get_by_role("menu")).to_be_visible()

    for path in [
        "/admin/",
        "/admin/pages/",
        "/admin/images/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/study/coverage/",
        "/admin/salon_registrations/",
    ]:
        visit(page, f"{live_server.url}{path}")

    assert violations == []
