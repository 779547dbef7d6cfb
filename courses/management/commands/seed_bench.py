"""Fill a database with a realistic volume of study data for the benchmark.

    python manage.py seed_bench --members 10000 --lessons 300 --records 1000000

Meant for an empty, migrated database of its own (`make bench` makes one):
branches under one root, confirmed members, published courses and lessons,
study plans, lesson progress and the study ledger. Rows go in with bulk
inserts (COPY on PostgreSQL), so a million records take well under three
minutes. The organiser of the root branch is bench-organiser@bench.invalid.
"""

import datetime
import random
import time

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    LessonProgress,
    StudyPlan,
    StudyPlanItem,
    StudyRecord,
)
from home.models import HomePage
from school.members.models import Branch, MemberProfile, User
from school.members.roles import ORGANISERS_GROUP

ROOT_CODE = "BENCH"
ORGANISER_EMAIL = "bench-organiser@bench.invalid"
OFFLINE_MODES = [mode.value for mode in StudyRecord.RECORDABLE_MODES] + ["salon"]
RECORD_COLUMNS = [
    "member_id",
    "date",
    "seconds",
    "source",
    "mode",
    "status",
    "lesson_id",
    "topic",
    "note",
    "rejection_reason",
    "created_at",
]

PROGRESS_COLUMNS = [
    "member_id",
    "lesson_id",
    "credited_seconds",
    "media_finished",
    "answered_correctly",
    "completed_at",
    "completed_offline",
    "started_at",
    "updated_at",
]


def bulk_insert(table, columns, rows):
    """COPY on PostgreSQL, batched executemany elsewhere; one transaction."""
    names = ", ".join(columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        ops = connection.ops

        def adapt(value):
            if isinstance(value, datetime.datetime):
                return ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.date):
                return ops.adapt_datefield_value(value)
            return value

        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append([adapt(value) for value in row])
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


class Command(BaseCommand):
    help = "Fill an empty database with members, lessons and study records."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_000)
        parser.add_argument("--lessons", type=int, default=300)
        parser.add_argument("--records", type=int, default=1_000_000)
        parser.add_argument("--branches", type=int, default=50)
        parser.add_argument("--seed", type=int, default=4)

    def handle(self, *args, **options):
        if Branch.objects.filter(code=ROOT_CODE).exists():
            raise CommandError("This database is already seeded; use a fresh one.")
        self.random = random.Random(options["seed"])  # noqa: S311 (test data)
        self.today = timezone.localdate()
        started = time.monotonic()
        lessons, courses = self.step("lessons", self.make_lessons, options["lessons"])
        branches = self.step("branches", self.make_branches, options["branches"])
        members = self.step("members", self.make_members, options["members"], branches)
        self.step("plans", self.make_plans, branches, lessons, courses)
        self.step("progress", self.make_progress, members, lessons)
        self.step("records", self.make_records, options["records"], members, lessons)
        self.step("analyze", self.analyze)
        self.stdout.write(
            self.style.SUCCESS(f"Seeded in {time.monotonic() - started:.1f} s.")
        )

    def step(self, name, fn, *args):
        started = time.monotonic()
        result = fn(*args)
        self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
        return result

    def make_lessons(self, count):
        # The benchmark needs the pages, not their search or reference index:
        # indexing 300 Chinese lessons would take most of the seeding time.
        models = (CourseIndexPage, CoursePage, LessonPage)
        for model in models:
            post_save.disconnect(post_save_signal_handler, sender=model)
        try:
            with disable_reference_index_auto_update():
                return self.make_pages(count)
        finally:
            for model in models:
                post_save.connect(post_save_signal_handler, sender=model)

    def make_pages(self, count):
        home = HomePage.objects.first()
        index = CourseIndexPage.objects.first()
        if index is None:
            index = home.add_child(
                instance=CourseIndexPage(title="在线学习", slug="courses")
            )
        per_course = 10
        lessons, courses = [], []
        for c in range(max(1, count // per_course)):
            course = index.add_child(
                instance=CoursePage(
                    title=f"基准课程{c + 1}",
                    slug=f"bench-{c + 1}",
                    summary="基准测试课程",
                )
            )
            courses.append(course)
            for n in range(min(per_course, count - len(lessons))):
                lessons.append(
                    course.add_child(
                        instance=LessonPage(
                            title=f"基准课程{c + 1}第{n + 1}课",
                            slug=f"l{n + 1}",
                            estimated_minutes=10,
                            body=[("paragraph", "<p>课时内容</p>")],
                        )
                    )
                )
        return lessons, courses

    def make_branches(self, count):
        root = Branch.objects.create(name="基准测试总支", code=ROOT_CODE)
        Branch.objects.bulk_create(
            [
                Branch(
                    name=f"基准第{i + 1}支部", code=f"{ROOT_CODE}-{i + 1}", parent=root
                )
                for i in range(count)
            ]
        )
        organiser = User.objects.create_user(
            username="bench-organiser", email=ORGANISER_EMAIL, password=None
        )
        organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
        root.organisers.add(organiser)
        return list(Branch.objects.filter(parent=root).order_by("pk"))

    def make_members(self, count, branches):
        now = timezone.now()
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    username=f"bench{i}",
                    email=f"bench{i}@bench.invalid",
                    password=unusable,  # nobody logs in as these
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        users = User.objects.filter(email__endswith="@bench.invalid").exclude(
            email=ORGANISER_EMAIL
        )
        MemberProfile.objects.bulk_create(
            [
                MemberProfile(
                    user_id=user_id,
                    real_name=f"党员{i:05d}",
                    branch=branches[i % len(branches)],
                    mobile=f"139{i:08d}",
                    status=MemberProfile.Status.CONFIRMED,
                    consent_version="bench",
                    consented_at=now,
                )
                for i, user_id in enumerate(users.values_list("pk", flat=True))
            ],
            batch_size=2000,
        )
        return list(
            MemberProfile.objects.filter(branch__in=branches).values_list(
                "pk", "branch_id"
            )
        )

    def make_plans(self, branches, lessons, courses):
        plans = []
        quarter = (self.today.month - 1) // 3 + 1
        for branch in branches:
            plans.append(
                StudyPlan(
                    branch=branch,
                    period="year",
                    year=self.today.year,
                    title="年度学习计划",
                    due_date=datetime.date(self.today.year, 12, 31),
                    credited_hours=24,
                )
            )
            plans.append(
                StudyPlan(
                    branch=branch,
                    period="quarter",
                    year=self.today.year,
                    number=quarter,
                    title="季度学习计划",
                    due_date=StudyPlan.period_bounds(
                        "quarter", self.today.year, quarter
                    )[1],
                    credited_hours=6,
                )
            )
        for plan in plans:
            plan.starts_on, plan.ends_on = StudyPlan.period_bounds(
                plan.period, plan.year, plan.number
            )
        StudyPlan.objects.bulk_create(plans)
        items = []
        for plan in StudyPlan.objects.filter(branch__in=branches):
            chosen = self.random.sample(lessons, 6 if plan.period == "year" else 3)
            items += [StudyPlanItem(plan=plan, lesson=lesson) for lesson in chosen]
            if plan.period == "year":
                items.append(
                    StudyPlanItem(plan=plan, course=self.random.choice(courses))
                )
        StudyPlanItem.objects.bulk_create(items)

    def make_progress(self, members, lessons):
        now = timezone.now()
        lesson_ids = [lesson.pk for lesson in lessons]

        def rows():
            for member_id, _branch in members:
                for lesson_id in self.random.sample(
                    lesson_ids, min(20, len(lesson_ids))
                ):
                    complete = self.random.random() < 0.6
                    yield (
                        member_id,
                        lesson_id,
                        1200 if complete else 300,
                        False,
                        False,
                        now if complete else None,
                        False,
                        now,
                        now,
                    )

        bulk_insert(LessonProgress._meta.db_table, PROGRESS_COLUMNS, rows())

    def record_rows(self, count, members, lessons):
        """Rows for the ledger: distinct days per member keep online rows unique."""
        days = 730
        per_member, extra = divmod(count, len(members))
        now = timezone.now()
        lesson_ids = [lesson.pk for lesson in lessons]
        rand = self.random
        for index, (member_id, _branch) in enumerate(members):
            n = min(days, per_member + (1 if index < extra else 0))
            for offset in rand.sample(range(days), n):
                day = self.today - datetime.timedelta(days=offset)
                if rand.random() < 0.7:
                    yield (
                        member_id,
                        day,
                        rand.randint(60, 1800),
                        "online",
                        "online",
                        "confirmed",
                        rand.choice(lesson_ids),
                        "",
                        "",
                        "",
                        now,
                    )
                else:
                    status = "pending" if rand.random() < 0.02 else "confirmed"
                    yield (
                        member_id,
                        day,
                        rand.randint(15, 120) * 60,
                        "offline",
                        rand.choice(OFFLINE_MODES),
                        status,
                        None,
                        "集中学习",
                        "",
                        "",
                        now,
                    )

    def make_records(self, count, members, lessons):
        rows = self.record_rows(count, members, lessons)
        bulk_insert(StudyRecord._meta.db_table, RECORD_COLUMNS, rows)
        self.stdout.write(f"  {StudyRecord.objects.count()} study records")

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
