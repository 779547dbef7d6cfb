"""Time the study contact's dashboard on a database filled by `seed_bench`
(see `make bench`): a contact paired with 50 members of a bench branch, each
with study records from the million-row ledger and contact logs.

    python manage.py bench_contact [--members 50] [--repeat 7]

Pairs through the pairing service on the first run; later runs reuse them.
"""

import datetime
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import ContactLog, Pairing, StudyRecord
from courses.pairing import services
from school.members.models import MemberProfile, User

from .seed_bench import ORGANISER_EMAIL, ROOT_CODE

TARGET_MS = 150


class Command(BaseCommand):
    help = "Time /contact/ for a study contact with 50 paired members."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50)
        parser.add_argument("--repeat", type=int, default=7)

    def handle(self, *args, **options):
        organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
        if organiser is None:
            raise CommandError("Run seed_bench on this database first.")
        contact = self.pairings_ensure(organiser, options["members"])
        client = Client()
        client.force_login(contact.user)
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
            rows = [
                self.measure("contact dashboard", client, "/contact/", options),
                self.measure(
                    "one paired member",
                    client,
                    f"/contact/members/{self.first_member_id}/",
                    options,
                ),
            ]
        paired = Pairing.objects.of_contact_user(contact.user).count()
        self.stdout.write(
            f"{connection.vendor}: contact with {paired} paired members, "
            f"{StudyRecord.objects.count()} study records"
        )
        self.stdout.write(
            f"{'what':32} {'median ms':>10} {'best ms':>9} {'queries':>8}"
        )
        for name, median, best, queries in rows:
            verdict = ""
            if name == "contact dashboard":
                verdict = f"  < {TARGET_MS} ms {'ok' if median < TARGET_MS else 'SLOW'}"
            self.stdout.write(
                f"{name:32} {median:10.1f} {best:9.1f} {queries:8d}{verdict}"
            )

    def pairings_ensure(self, organiser, count):
        members = list(
            MemberProfile.objects.filter(branch__code=f"{ROOT_CODE}-1").order_by("pk")[
                : count + 1
            ]
        )
        if len(members) < count + 1:
            raise CommandError("The first bench branch has too few members.")
        contact, paired = members[0], members[1:]
        self.first_member_id = paired[0].pk
        if Pairing.objects.filter(contact=contact).exists():
            return contact
        today = timezone.localdate()
        pairings = services.pairing_create_many(
            contact=contact,
            members=paired,
            by=organiser,
            started_on=today - datetime.timedelta(days=120),
        )
        ContactLog.objects.bulk_create(
            ContactLog(
                pairing=pairing,
                date=today - datetime.timedelta(days=(i * 7) % 60),
                kind=ContactLog.Kind.GUIDANCE,
                note="基准测试联系记录",
                created_by=contact.user,
            )
            for i, pairing in enumerate(pairings)
            for _n in range(3)
        )
        return contact

    def measure(self, name, client, url, options):
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")

        get()  # warm caches and connections
        times, queries = [], 0
        for _ in range(options["repeat"]):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                get()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        return name, statistics.median(times), min(times), queries
