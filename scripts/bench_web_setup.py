"""Run by `scripts/bench_web.py` through `manage.py shell` on a database that
`seed_demo` filled: gives the demo study contact 50 paired members, opens a
session for the demo member and one for the contact, and prints (as JSON) the
addresses to load."""

import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage, Pairing
from courses.pairing import services as pairing
from courses.selectors import beat_token
from home.models import HomePage, NewsIndexPage, NewsPage
from salon.models import SalonIndexPage, SalonPage
from school.members.models import MemberProfile, User

PAIRED = 50


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "school.members.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


contact_user = User.objects.get(email="contact@example.com")
contact = contact_user.profile
organiser = contact.branch.organisers.first() or User.objects.get(
    email="organiser@example.com"
)
paired = Pairing.objects.of_contact_user(contact_user).count()
if paired < PAIRED:
    members = []
    for n in range(PAIRED - paired):
        user = User.objects.create_user(
            username=f"bench-paired-{n}", email=f"bench-paired-{n}@example.com"
        )
        members.append(
            MemberProfile.objects.create(
                user=user,
                real_name=f"结对党员{n}",
                branch=contact.branch,
                mobile=f"137{n:08d}",
                status=MemberProfile.Status.CONFIRMED,
                consent_version=contact.consent_version,
                consented_at=timezone.now(),
            )
        )
    pairing.pairing_create_many(contact=contact, members=members, by=organiser)


def first_live(model):
    return model.objects.live().public().order_by("path").first()


member = User.objects.get(email="member@example.com")
lesson = first_live(LessonPage)
print(
    json.dumps(
        {
            "member_session": session_for(member),
            "contact_session": session_for(contact_user),
            "lesson_id": lesson.pk,
            "beat_token": beat_token(member.confirmed_profile.pk, lesson.pk),
            "pages": {
                "home": first_live(HomePage).url,
                "news index": first_live(NewsIndexPage).url,
                "article": first_live(NewsPage).url,
                "course index": first_live(CourseIndexPage).url,
                "course": first_live(CoursePage).url,
                "lesson": lesson.url,
                "salon index": first_live(SalonIndexPage).url,
                "salon": first_live(SalonPage).url,
                "search": "/search/?q=%E5%85%9A%E5%91%98",
                "sitemap": "/sitemap.xml",
            },
            "paired": Pairing.objects.of_contact_user(contact_user).count(),
            "pages_total": Page.objects.live().count(),
        }
    )
)
