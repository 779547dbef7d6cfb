"""Time the study pages on a database filled by `seed_bench` (see `make bench`).

Each measurement is a full request through Django's test client (middleware,
session, view, template), repeated; the median and best times and the number
of queries are printed with the issue's targets.
"""

import datetime
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonPage, LessonProgress, StudyRecord
from courses.selectors import Period, beat_token
from school.members.models import MemberProfile, User

from .seed_bench import ORGANISER_EMAIL, ROOT_CODE

TARGET_MS = {"ledger": 1000, "study page": 50, "heartbeat": 50}


class Command(BaseCommand):
    help = "Time the coverage ledger, the study page and a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15)

    def handle(self, *args, **options):
        organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
        if organiser is None:
            raise CommandError("Run seed_bench on this database first.")
        self.repeat = options["repeat"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
            self.run(organiser)

    def run(self, organiser):
        today = timezone.localdate()
        member = (
            MemberProfile.objects.filter(branch__parent__code=ROOT_CODE)
            .order_by("pk")
            .first()
        )
        records = StudyRecord.objects.count()
        members = MemberProfile.objects.filter(branch__parent__code=ROOT_CODE).count()
        self.stdout.write(
            f"{connection.vendor}: {members} members, {records} study records, "
            f"{LessonPage.objects.count()} lessons"
        )
        admin = Client()
        admin.force_login(organiser)
        own = Client()
        own.force_login(member.user)
        lesson = (
            LessonPage.objects.filter(progress__member=member).order_by("pk").first()
        )
        quarter = Period.of("quarter", today).key
        ledger = "/admin/study/coverage/"
        rows = [
            self.measure("ledger", admin, ledger, {"period": quarter}),
            self.measure("ledger, year", admin, ledger, {"period": str(today.year)}),
            self.measure(
                "ledger, year, status filter",
                admin,
                ledger,
                {"period": str(today.year), "status": "incomplete"},
            ),
            self.measure(
                "ledger xlsx export (all rows)",
                admin,
                ledger,
                {"period": quarter, "export": "xlsx"},
            ),
            self.measure("study page", own, "/me/study/"),
            self.measure("lesson page", own, lesson.url),
            self.measure_beat(own, member, lesson),
        ]
        self.stdout.write(
            f"{'what':32} {'median ms':>10} {'best ms':>9} {'queries':>8}  target"
        )
        for name, median, best, queries in rows:
            target = TARGET_MS.get(name)
            verdict = ""
            if target:
                verdict = f"< {target} ms {'ok' if median < target else 'SLOW'}"
            self.stdout.write(
                f"{name:32} {median:10.1f} {best:9.1f} {queries:8d}  {verdict}"
            )

    def timed(self, fn):
        times, queries = [], 0
        fn()  # warm caches and connections
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                fn()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        return statistics.median(times), min(times), queries

    def measure(self, name, client, url, params=None):
        def get():
            response = client.get(url, params or {})
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            if response.streaming:
                b"".join(response.streaming_content)

        return (name, *self.timed(get))

    def measure_beat(self, client, member, lesson):
        url = f"/study/lessons/{lesson.pk}/beat/"
        token = beat_token(member.pk, lesson.pk)
        clock = LessonProgress.objects.filter(member=member, lesson=lesson)

        def beat():
            # Rewind the clock outside the timing so every beat is creditable.
            clock.update(
                last_beat_at=timezone.now() - datetime.timedelta(seconds=20),
                credited_seconds=0,
            )
            started = time.perf_counter()
            response = client.post(url, {"token": token, "kind": "beat"})
            elapsed = (time.perf_counter() - started) * 1000
            if response.json().get("credited", 0) <= 0:
                raise CommandError(f"the beat was not credited: {response.json()}")
            return elapsed

        times, queries = [], 0
        beat()
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as captured:
                times.append(beat())
            queries = len(captured) - 1  # the rewind
        return ("heartbeat", statistics.median(times), min(times), queries)
