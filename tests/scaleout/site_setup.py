"""The scale-out test's site, made in a process of its own on the test's
database with production settings (`python -m tests.scaleout.site_setup`):

    site_setup build   -> prints the ids and sessions the test uses (JSON)
    site_setup publish PAGE_ID TITLE   -> publishes a new revision of a page

Passwords are hashed with production's slow hasher, so only the two accounts
that log in through the proxy get one; the forty members who sign up for the
salon get a session each, made here as a login would."""

import json
import sys

import django


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "school.members.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def member(branch, n, password=None):
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.utils import timezone

    from school.members.models import MemberProfile, User

    email = f"scale{n}@example.com"
    user = User.objects.create_user(
        username=f"scale{n}", email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    MemberProfile.objects.create(
        user=user,
        branch=branch,
        status=MemberProfile.Status.CONFIRMED,
        real_name=f"党员{n}",
        mobile=f"137{n:08d}",
        consent_version=settings.SCHOOL_CONSENT_VERSION,
        consented_at=timezone.now(),
    )
    return user


def build() -> dict:
    from courses.selectors import beat_token
    from tests import factories
    from tests.courses.factories import course_with_lessons
    from tests.home import factories as home_factories
    from tests.salon import factories as salon_factories

    branch = salon_factories.branch(name="扩容测试支部")
    news = factories.news_page(factories.news_index(), title="扩容测试新闻")
    home_factories.voice_index()
    salon = salon_factories.salon(the_branch=branch, capacity=10, title="扩容沙龙")
    # One salon per branch and quarter: the spare one is another branch's.
    spare = salon_factories.salon(
        the_branch=salon_factories.branch(name="邻近支部"),
        capacity=10,
        title="备用沙龙",
    )
    password = "scale-out-2026"  # noqa: S105
    login = member(branch, 1, password=password)
    limited = member(branch, 2, password=password)
    others = [member(branch, n) for n in range(3, 50)]
    _course, (lesson,) = course_with_lessons(n=1, minutes=30)
    studying = others[-1].profile
    return {
        "lesson": {
            "id": lesson.pk,
            "member_id": studying.pk,
            "token": beat_token(studying.pk, lesson.pk),
        },
        "news": {"id": news.pk, "url": news.url},
        "salon": {"id": salon.pk, "url": salon.url},
        "spare": {"id": spare.pk, "url": spare.url},
        "password": password,
        "login": login.email,
        "limited": limited.email,
        "sessions": [session_for(user) for user in others],
        "user_ids": [user.pk for user in others],
    }


def publish(page_id: int, title: str) -> None:
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    page.title = title
    page.save_revision().publish()


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "build":
        sys.stdout.write(json.dumps(build()) + "\n")
    elif sys.argv[1] == "publish":
        publish(int(sys.argv[2]), sys.argv[3])
