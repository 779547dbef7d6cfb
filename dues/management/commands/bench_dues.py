"""Time the party dues ledger of one branch of 2,000 members over a year
(see `make bench`): the page (100 rows a page, the totals and the unpaid count
over all 2,000), its xlsx export of all 2,000 rows and the unpaid list; then
the same branch's participation ledger (page and xlsx, a theme day each month)
and its meeting ledger. Each is timed several times: median and best.

    python manage.py bench_dues [--members 2000] [--repeat 5]

Makes its own branch, organiser and dues on the first run (bulk inserts);
later runs reuse them. Any migrated database will do.
"""

import datetime
import random
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dues.models import DuesMonth, DuesPayment, DuesRate, add_months
from orglife.models import Attendance, Kind, Meeting
from school.members.models import Branch, MemberProfile, User
from school.members.roles import ORGANISERS_GROUP

BRANCH_CODE = "BENCH-DUES"
ORGANISER_EMAIL = "bench-dues-organiser@bench.invalid"
TARGET_MS = 1000
# The admin pages ask for their static files by name: the plain storage needs
# no collected manifest (a fresh tree has none), and a name costs the same.
STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class Command(BaseCommand):
    help = "Time the dues ledger of a branch of 2,000 members over a year."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options):
        self.today = timezone.localdate()
        started = time.monotonic()
        organiser = self.branch_ensure(options["members"])
        self.meetings_ensure()
        self.stdout.write(f"  seeded in {time.monotonic() - started:.1f} s")
        client = Client()
        client.force_login(organiser)
        url = f"/admin/dues/ledger/?year={self.today.year}"
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"], STORAGES=STORAGES):
            part = f"/admin/orglife/participation/?year={self.today.year}"
            rows = [
                self.measure("dues ledger page", client, url, options),
                self.measure("dues ledger xlsx", client, f"{url}&export=xlsx", options),
                self.measure("unpaid list", client, f"{url}&owing=owing", options),
                self.measure("participation page", client, part, options),
                self.measure(
                    "participation xlsx", client, f"{part}&export=xlsx", options
                ),
                self.measure(
                    "meeting ledger",
                    client,
                    f"/admin/orglife/ledger/?year={self.today.year}",
                    options,
                ),
            ]
        members = MemberProfile.objects.filter(branch__code=BRANCH_CODE).count()
        self.stdout.write(
            f"{connection.vendor}: one branch of {members} members, "
            f"{DuesMonth.objects.filter(member__branch__code=BRANCH_CODE).count()} "
            "months paid"
        )
        # Wall time depends on what else the machine runs: the process's own
        # CPU time (the web process's share; the database is in-process on
        # SQLite, not on PostgreSQL) is shown beside it.
        self.stdout.write(
            f"{'what':24} {'median ms':>10} {'best ms':>9} {'cpu ms':>8} {'queries':>8}"
        )
        for name, median, best, cpu, queries in rows:
            met = "met" if median < TARGET_MS else "NOT met"
            verdict = f"  target < {TARGET_MS / 1000:g} s: {met}"
            self.stdout.write(
                f"{name:24} {median:10.1f} {best:9.1f} {cpu:8.1f} {queries:8d}{verdict}"
            )

    @transaction.atomic
    def branch_ensure(self, count):
        branch = Branch.objects.filter(code=BRANCH_CODE).first()
        if branch is not None:
            return User.objects.get(email=ORGANISER_EMAIL)
        branch = Branch.objects.create(name="党费基准支部", code=BRANCH_CODE)
        organiser = User.objects.create_user(
            username="bench-dues-organiser", email=ORGANISER_EMAIL, password=None
        )
        organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
        branch.organisers.add(organiser)
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    username=f"bench-dues-{i}",
                    email=f"bench-dues-{i}@bench.invalid",
                    password=unusable,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        now = timezone.now()
        user_ids = User.objects.filter(
            username__startswith="bench-dues-", email__endswith="@bench.invalid"
        ).exclude(email=ORGANISER_EMAIL)
        MemberProfile.objects.bulk_create(
            [
                MemberProfile(
                    user_id=user_id,
                    real_name=f"交费党员{i:05d}",
                    branch=branch,
                    mobile=f"137{i:08d}",
                    status=MemberProfile.Status.CONFIRMED,
                    consent_version="bench",
                    consented_at=now,
                )
                for i, user_id in enumerate(user_ids.values_list("pk", flat=True))
            ],
            batch_size=2000,
        )
        members = list(
            MemberProfile.objects.filter(branch=branch).values_list("pk", flat=True)
        )
        rand = random.Random(13)  # noqa: S311 (test data)
        january = datetime.date(self.today.year, 1, 1)
        july = datetime.date(self.today.year, 7, 1)
        rates = []
        for pk in members:
            rates.append(
                DuesRate(
                    member_id=pk,
                    monthly_amount=Decimal("20.00"),
                    applies_from=datetime.date(self.today.year - 1, 1, 1),
                )
            )
            if rand.random() < 0.3:
                rates.append(
                    DuesRate(
                        member_id=pk, monthly_amount=Decimal("35.50"), applies_from=july
                    )
                )
        DuesRate.objects.bulk_create(rates, batch_size=5000)
        payments = []
        for pk in members:
            months = rand.choice([0, 3, 6, 9, 12, 12, 12])
            if months:
                payments.append(
                    DuesPayment(
                        member_id=pk,
                        paid_on=january,
                        first_month=january,
                        months=months,
                        amount=Decimal("20.00") * months,
                        method=DuesPayment.Method.IN_PERSON,
                        whole_year=months == 12,
                    )
                )
        DuesPayment.objects.bulk_create(payments, batch_size=5000)
        month_rows = [
            DuesMonth(
                payment_id=payment.pk,
                member_id=payment.member_id,
                month=add_months(january, n),
                amount=Decimal("20.00"),
            )
            for payment in DuesPayment.objects.filter(member__branch=branch)
            for n in range(payment.months)
        ]
        DuesMonth.objects.bulk_create(month_rows, batch_size=5000)
        return organiser

    @transaction.atomic
    def meetings_ensure(self):
        """A theme day each month of the year so far, every member recorded
        (most present, some on leave, a few absent)."""
        branch = Branch.objects.get(code=BRANCH_CODE)
        if Meeting.objects.filter(branch=branch).exists():
            return
        meetings = Meeting.objects.bulk_create(
            Meeting(
                branch=branch,
                kind=Kind.THEME_DAY,
                held_on=datetime.date(self.today.year, month, 1),
                topic=f"{month}月主题党日",
            )
            for month in range(1, self.today.month + 1)
        )
        members = MemberProfile.objects.filter(branch=branch).values_list(
            "pk", flat=True
        )
        rand = random.Random(17)  # noqa: S311 (test data)
        statuses = [Attendance.Status.PRESENT] * 8 + [
            Attendance.Status.LEAVE,
            Attendance.Status.ABSENT,
        ]
        Attendance.objects.bulk_create(
            (
                Attendance(
                    meeting=meeting,
                    member_id=pk,
                    status=status,
                    leave_reason="外出务工"
                    if status == Attendance.Status.LEAVE
                    else "",
                    way=Attendance.Way.ONLINE
                    if status == Attendance.Status.PRESENT and rand.random() < 0.3
                    else "",
                )
                for meeting in meetings
                for pk in members
                for status in [rand.choice(statuses)]
            ),
            batch_size=5000,
        )

    def measure(self, name, client, url, options):
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            if response.streaming:
                b"".join(response.streaming_content)

        get()  # warm caches and connections
        times, cpu, queries = [], [], 0
        for _ in range(options["repeat"]):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                get()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            queries = len(captured)
        return (
            name,
            statistics.median(times),
            min(times),
            statistics.median(cpu),
            queries,
        )
