"""Answered questions become anonymous FAQ entries, with the asker's consent."""

import datetime
import zoneinfo

import pytest
from django.apps import apps
from wagtail.models import Page, Revision

from home.mailbox import services
from home.models import FaqPage, GuideIndexPage, HomePage
from tests.home import factories as f
from tests.members import factories as people

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 6, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
NAME, EMAIL, BRANCH, MOBILE = (
    "欧阳春花",
    "chunhua.oy@example.com",
    "滨江第三党支部",
    "13912345678",
)


@pytest.fixture
def asker():
    branch = people.branch(name=BRANCH, code="BJ3")
    user = people.user(email=EMAIL)
    return people.member(branch, user_=user, real_name=NAME, mobile=MOBILE).user


@pytest.fixture
def organiser(asker):
    return people.organiser(asker.profile.branch)


@pytest.fixture
def faq():
    return f.faq_page()


def answered(asker, organiser, consent=True):
    item = services.mailbox_item_create(
        member=asker,
        category="dues",
        text=f"我是{BRANCH}的{NAME}，手机{MOBILE}，在外地打工，党费怎么交？",
        faq_consent=consent,
        at=AT,
    )
    return services.mailbox_item_answer(
        item=item,
        by=organiser,
        text=f"{NAME}同志您好：可以通过手机银行按月交纳党费。",
        at=AT,
    )


def traces_in(text: str) -> list[str]:
    return [t for t in (NAME, EMAIL, BRANCH, MOBILE, "chunhua") if t in text]


def test_the_faq_page_lives_under_the_guides_once():
    assert FaqPage.allowed_parent_page_models() == [GuideIndexPage]
    assert FaqPage in GuideIndexPage.allowed_subpage_models()
    assert FaqPage.max_count == 1
    assert FaqPage not in HomePage.allowed_subpage_models()


def test_staff_publish_an_anonymised_entry_from_the_admin(
    client, asker, organiser, faq
):
    item = answered(asker, organiser)
    client.force_login(organiser)
    url = f"/admin/mailbox_queue/{item.pk}/"

    form = client.get(url).context["faq_form"]
    question, answer = form.initial["question"], form.initial["answer"]
    assert traces_in(question) == []
    assert traces_in(answer) == []
    response = client.post(
        url, {"action": "faq", "question": question, "answer": answer}
    )

    assert response.status_code == 302
    faq.refresh_from_db()
    entries = [block.value for block in faq.entries]
    assert [e["question"] for e in entries] == [question]
    item.refresh_from_db()
    assert item.faq_published_at is not None


def test_no_trace_of_the_asker_in_the_page_its_revisions_or_the_search_index(
    client, asker, organiser, faq
):
    item = answered(asker, organiser)
    services.faq_entry_publish(
        item=item,
        by=organiser,
        question="在外地打工，党费怎么交？",
        answer="可以通过手机银行按月交纳党费。",
    )

    page = client.get(faq.url).content.decode()
    assert "在外地打工，党费怎么交？" in page
    assert traces_in(page) == []

    revisions = Revision.page_revisions.filter(object_id=str(faq.pk))
    assert revisions.count() >= 2
    for revision in revisions:
        assert traces_in(str(revision.content)) == []
    assert revisions.order_by("-pk").first().user == organiser

    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    entries = IndexEntry.objects.filter(object_id=str(faq.pk))
    assert entries.exists()
    for row in entries.values_list("title", "body", "autocomplete"):
        assert traces_in(" ".join(str(v) for v in row)) == []
    found = client.get("/search/", {"q": "党费 手机银行"}).context["results"]
    assert [p.pk for p in found] == [faq.pk]
    for query in (NAME, BRANCH, MOBILE):
        results = client.get("/search/", {"q": query}).context["results"]
        assert faq.pk not in [p.pk for p in results]


@pytest.mark.parametrize(
    ("question", "answer", "field"),
    [
        (f"{NAME}问：党费怎么交？", "按月交。", "question"),
        ("党费怎么交？", f"请联系{BRANCH}。", "answer"),
        ("党费怎么交？", f"请回复到 {EMAIL.upper()}。", "answer"),
        (f"手机 {MOBILE} 的党员问党费。", "按月交。", "question"),
    ],
)
def test_publishing_is_refused_while_the_text_identifies_the_asker(
    asker, organiser, faq, question, answer, field
):
    item = answered(asker, organiser)

    with pytest.raises(services.ValidationError) as refused:
        services.faq_entry_publish(
            item=item, by=organiser, question=question, answer=answer
        )

    assert field in refused.value.message_dict
    faq.refresh_from_db()
    assert list(faq.entries) == []


def test_the_refusal_is_shown_on_the_admin_form_with_the_text_kept(
    client, asker, organiser, faq
):
    item = answered(asker, organiser)
    client.force_login(organiser)

    response = client.post(
        f"/admin/mailbox_queue/{item.pk}/",
        {"action": "faq", "question": f"{NAME}的问题", "answer": "答复"},
    )

    html = response.content.decode()
    assert "发布前请删去可识别该党员身份的信息" in html
    assert "答复" in html


def test_no_publishing_without_the_members_consent(client, asker, organiser, faq):
    item = answered(asker, organiser, consent=False)

    with pytest.raises(services.ValidationError):
        services.faq_entry_publish(item=item, by=organiser, question="问", answer="答")
    client.force_login(organiser)
    html = client.get(f"/admin/mailbox_queue/{item.pk}/").content.decode()
    assert 'name="action" value="faq"' not in html


def test_no_publishing_before_an_answer(asker, organiser, faq):
    item = services.mailbox_item_create(
        member=asker, category="dues", text="问题", faq_consent=True, at=AT
    )

    with pytest.raises(services.ValidationError):
        services.faq_entry_publish(item=item, by=organiser, question="问", answer="答")


def test_organisers_of_other_branches_cannot_publish(asker, organiser, faq):
    item = answered(asker, organiser)
    stranger = people.organiser(people.branch())

    with pytest.raises(services.ValidationError):
        services.faq_entry_publish(item=item, by=stranger, question="问", answer="答")


def test_the_guides_index_links_to_the_faq(client, faq):
    guides = Page.objects.get(pk=faq.get_parent().pk)

    assert f'href="{faq.url}"' in client.get(guides.url).content.decode()
