"""The one branch scope, walked from outside.

Every admin address that the project's own viewsets register, every admin page
address, and every member-facing address with an id is requested (GET and
POST, listings also as csv and xlsx) by every role of branch A and by staff,
with the ids of branch B's objects. Nothing of branch B may show, nothing may
change, and no request may fail. The addresses come from the URL resolver, so
a viewset or view added later is walked without touching this file.
"""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
)
from django.utils import timezone

from care import services as care_services
from care.spring_festival import coming_festival_year
from courses import services as study
from courses.models import MonthlyReport, StudyPlan, StudyRecord
from home.mailbox import services as mailbox
from home.models import VoicePage
from orglife.models import MeetingRequirement
from salon import services as salon_services
from school.members.admin_scope import PAGE_ID_KWARGS
from school.members.models import ScopeRefusal
from school.members.scope import is_scoped, visible
from tests.courses import pairing_factories as pf
from tests.dues import factories as dues_factories
from tests.factories import paragraph
from tests.home import factories as home_factories
from tests.orglife import factories as orglife_factories
from tests.salon import factories as salon_factories

from . import factories

pytestmark = pytest.mark.django_db

# Every personal text of branch B carries this mark: it must never show to
# branch A. Its salon and its name are public on the site, not in A's admin.
MARK = "乙标记"
BRANCH_B, SALON_B = "乙党支部", "乙支部春季沙龙"
PROJECT_APPS = ("school", "home", "courses", "salon", "dues", "orglife", "care")
OK_STATUSES = {200, 302, 400, 403, 404, 405, 409}


@pytest.fixture
def world():
    a = factories.branch(name="甲党支部", code="A")
    b = factories.branch(name=BRANCH_B, code="B")
    organiser_a, organiser_b = factories.organiser(a), factories.organiser(b)
    b_member = factories.member(b, real_name=f"{MARK}党员", mobile="13811112222")
    b_contact = factories.member(b, real_name=f"{MARK}联系人", mobile="13811113333")
    factories.member(b, status="pending", real_name=f"{MARK}待确认")
    pairing = pf.pair(b_contact, b_member)
    pf.contacted(pairing, note=f"{MARK}联系记录")
    MonthlyReport.objects.create(
        pairing=pairing,
        month=timezone.localdate().replace(day=1),
        summary=f"{MARK}月报",
        note=f"{MARK}思想",
    )
    study.study_record_add_offline(
        member=b_member,
        date=pf.days_ago(2),
        minutes=30,
        mode=StudyRecord.Mode.GAP_TIME,
        recorded_by=organiser_b,
        topic=f"{MARK}学习",
    )
    StudyPlan.objects.create(
        branch=b,
        period="month",
        year=timezone.localdate().year,
        number=timezone.localdate().month,
        title=f"{MARK}计划",
        due_date=timezone.localdate() + datetime.timedelta(days=20),
        credited_hours=2,
    )
    salon_b = salon_factories.salon(the_branch=b, title=SALON_B)
    salon_services.registration_create(salon=salon_b, user=b_member.user)
    salon_services.topic_suggestion_create(
        salon=salon_b, user=b_member.user, text=f"{MARK}议题"
    )
    mailbox.mailbox_item_create(
        member=b_member.user, category="study", text=f"{MARK}信箱问题"
    )
    dues_factories.rate(b_member, "20.00", datetime.date(2026, 1, 1), by=organiser_b)
    dues_factories.pay(
        b_member,
        datetime.date(2026, 1, 1),
        12,
        "240.00",
        organiser_b,
        whole_year=True,
        method="on_behalf",
        paid_by=f"{MARK}代缴人",
    )
    meeting_b = orglife_factories.meeting(b, topic=f"{MARK}主题党日")
    orglife_factories.attend(
        meeting_b, organiser_b, (b_member, "leave", {"leave_reason": f"{MARK}请假"})
    )
    MeetingRequirement.objects.create(branch=b, kind="lecture", frequency="monthly")
    care_services.care_visit_record(
        member=b_member,
        visited_on=pf.days_ago(1),
        way="visit",
        reason="hardship",
        done=f"{MARK}走访",
        still_open=f"{MARK}待办",
        by=organiser_b,
    )
    care_services.new_year_stay_mark(
        member=b_member,
        festival_year=coming_festival_year(timezone.localdate()),
        note=f"{MARK}不返乡",
        by=b_contact.user,
    )
    draft = factories_voice_draft(a)

    a_member = factories.member(a)
    a_contact = factories.member(a)
    pf.pair(a_contact, a_member)
    return {
        "roles": {
            "anonymous": AnonymousUser(),
            "pending": factories.member(a, status="pending").user,
            "member": a_member.user,
            "study contact": a_contact.user,
            "organiser of A": organiser_a,
            "editor": factories.editor(),
        },
        "staff": {"organiser of B": organiser_b, "superuser": factories.superuser()},
        "salon_b": salon_b,
        "draft": draft,
    }


def factories_voice_draft(branch):
    """A member's voice-column draft, saved and never submitted."""
    author = factories.member(branch, real_name="投稿党员")
    index = home_factories.voice_index()
    page = VoicePage(
        title=f"{MARK}草稿",
        author_name="投稿党员",
        author=author.user,
        live=False,
        body=paragraph(f"{MARK}草稿正文"),
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


# --- Addresses, from the resolver ----------


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace.strip(":"), entry, prefix + str(entry.pattern)


def _params(pattern: URLPattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {}) or {}) or re.findall(
        r"\(\?P<(\w+)>", str(pattern.pattern)
    )


def project_viewset_addresses():
    """(viewset, url name, parameter names) of every address our viewsets add."""
    from wagtail.admin.viewsets import viewsets

    for viewset in viewsets.viewsets:
        if type(viewset).__module__.split(".")[0] not in PROJECT_APPS:
            continue
        for _, pattern, _ in _walk(viewset.get_urlpatterns()):
            yield viewset, pattern.name, _params(pattern)


def page_addresses():
    """Names and parameters of the admin's addresses that take a page id."""
    for namespace, pattern, route in _walk(get_resolver().url_patterns):
        params = _params(pattern)
        if route.startswith("admin/") and set(params) & set(PAGE_ID_KWARGS):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), params


def member_addresses():
    """Member-facing addresses with an id: everything outside the admin and
    allauth that takes a parameter."""
    for namespace, pattern, route in _walk(get_resolver().url_patterns):
        params = _params(pattern)
        if not params or route.startswith(("admin/", "accounts/", "django-admin/")):
            continue
        if namespace.startswith(("wagtail", "allauth")) or "<path:" in route:
            continue
        yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), params


def branch_b_objects(world):
    """Every object of branch B, by model, from the models that declare a scope."""
    organiser_b = world["staff"]["organiser of B"]
    return {
        model: list(visible(model._default_manager.all(), organiser_b))
        for model in apps.get_models()
        if is_scoped(model) and model.__module__.split(".")[0] in PROJECT_APPS
    }


# --- Reading an answer ----------


def shown_text(response) -> str:
    """What the answer shows a person: the page, or a spreadsheet's cells."""
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)):
            book = openpyxl.load_workbook(io.BytesIO(content))
        return " ".join(
            str(cell)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8", "replace")


def snapshot(objects) -> dict:
    return {
        (model._meta.label, obj.pk): sorted(
            (k, str(v))
            for k, v in model._default_manager.filter(pk=obj.pk).values()[0].items()
            # Seats taken change with the sign-ups that public salons allow.
            if k not in {"updated_at", "last_published_at", "latest_revision_id"}
            and k != "taken"
        )
        for model, rows in objects.items()
        for obj in rows
    }


def check(client, method, url, role, *, exports=False, hidden=(MARK,)):
    requests = [url]
    if exports:
        requests += [f"{url}?export=csv", f"{url}?export=xlsx"]
    for address in requests:
        response = getattr(client, method)(address)
        assert response.status_code in OK_STATUSES, (role, method, address)
        shown = shown_text(response)
        for text in hidden:
            assert text not in shown, (role, method, address, text)


# --- The walks ----------


def test_no_admin_address_of_our_viewsets_shows_or_changes_branch_b(client, world):
    objects = branch_b_objects(world)
    before = snapshot(objects)
    addresses = list(project_viewset_addresses())
    assert len(addresses) > 30

    for role, user in world["roles"].items():
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for viewset, name, params in addresses:
            model = getattr(viewset, "model", None)
            targets = objects.get(model) or [
                obj for rows in objects.values() for obj in rows
            ]
            url_name = f"{viewset.url_namespace}:{name}"
            hidden = (MARK, BRANCH_B, SALON_B)
            if not params:
                url = reverse(url_name)
                check(client, "get", url, role, exports=True, hidden=hidden)
                continue
            for target in targets:
                url = reverse(url_name, kwargs=dict.fromkeys(params, target.pk))
                check(client, "get", url, role, hidden=hidden)
                check(client, "post", url, role, hidden=hidden)

    assert snapshot(branch_b_objects(world)) == before


def test_no_admin_page_address_reaches_another_branchs_salon_or_a_private_draft(
    client, world
):
    salon, draft = world["salon_b"], world["draft"]
    revision = {"salon": salon.latest_revision_id, "draft": draft.latest_revision_id}
    addresses = list(page_addresses())
    assert len(addresses) > 20
    hidden = [
        ("organiser of A", salon, "salon"),
        ("editor", salon, "salon"),
        ("organiser of A", draft, "draft"),
        ("editor", draft, "draft"),
        ("superuser", draft, "draft"),
    ]
    users = {**world["roles"], **world["staff"]}

    for role, page, kind in hidden:
        client.force_login(users[role])
        for url_name, params in addresses:
            kwargs = {
                param: page.pk if param in PAGE_ID_KWARGS else revision[kind]
                for param in params
            }
            url = reverse(url_name, kwargs=kwargs)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 404, (role, method, url)

    salon.refresh_from_db()
    assert salon.live and salon.branch.code == "B"
    assert VoicePage.objects.filter(pk=draft.pk, live=False).exists()
    refused = ScopeRefusal.objects.filter(refused_to=users["organiser of A"])
    assert refused.filter(object_number=str(salon.pk)).exists()


def test_no_member_facing_address_with_an_id_shows_or_changes_branch_b(client, world):
    objects = branch_b_objects(world)
    before = snapshot(objects)
    ids = sorted({obj.pk for rows in objects.values() for obj in rows})
    addresses = list(member_addresses())
    assert len(addresses) > 5

    for role, user in world["roles"].items():
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        for url_name, params in addresses:
            for pk in ids:
                try:
                    url = reverse(url_name, kwargs=dict.fromkeys(params, pk))
                except NoReverseMatch:  # a parameter that is not an id
                    continue
                check(client, "get", url, role)
                check(client, "post", url, role)

    after = snapshot(branch_b_objects(world))
    assert {key: after.get(key) for key in before} == before
    # B's salon is public: branch A's members may sign up and suggest topics
    # there themselves (就近参加); nothing else of B's is new.
    walkers = {user.pk for user in world["roles"].values() if user.is_authenticated}
    for label, pk in set(after) - set(before):
        assert label in ("salon.Registration", "salon.TopicSuggestion")
        model = apps.get_model(label)
        assert model.objects.get(pk=pk).member.user_id in walkers
