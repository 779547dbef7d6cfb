"""`manage.py backup` and `manage.py restore`: a seeded site, backed up,
restored into a new empty database and empty folders by another process,
reads back the same (on SQLite and, in the PostgreSQL run, on PostgreSQL)."""

import datetime
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images.models import Image

from courses.models import StudyRecord
from home.mailbox import services as mailbox
from salon import services as salon_services
from school.ops import backup
from tests import factories
from tests.courses import factories as course_factories
from tests.home.factories import image_bytes, pdf_upload
from tests.members import factories as people
from tests.salon import factories as salon_factories

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)

QUERIES = {
    "pages": "SELECT id, title, live, url_path FROM wagtailcore_page ORDER BY id",
    "members": (
        "SELECT p.id, p.real_name, p.mobile, p.status, u.email, u.password "
        "FROM members_memberprofile p JOIN members_user u ON u.id = p.user_id "
        "ORDER BY p.id"
    ),
    "study records": (
        "SELECT id, member_id, lesson_id, date, seconds, status "
        "FROM courses_studyrecord ORDER BY id"
    ),
    "registrations": (
        "SELECT id, salon_id, member_id, status FROM salon_registration ORDER BY id"
    ),
    "mailbox": "SELECT id, text, attachment FROM home_mailboxitem ORDER BY id",
}


def text(value) -> str:
    # Drivers differ on booleans (True, or SQLite's 1).
    return str(int(value)) if isinstance(value, bool) else str(value)


def rows(cursor) -> dict:
    found = {}
    for name, query in QUERIES.items():
        cursor.execute(query)
        found[name] = [tuple(text(value) for value in row) for row in cursor.fetchall()]
    return found


def files(folder: Path) -> dict:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def site(settings, tmp_path):
    settings.SCHOOL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    factories.news_page(factories.news_index(), title="备份测试新闻")
    profile = people.member(real_name="备份党员")
    _course, (lesson,) = course_factories.course_with_lessons(n=1)
    StudyRecord.objects.create(
        member=profile,
        lesson=lesson,
        date=datetime.date(2026, 11, 2),
        seconds=600,
        source="online",
        mode="online",
    )
    salon = salon_factories.salon(the_branch=profile.branch)
    salon_services.registration_create(salon=salon, user=profile.user)
    Image.objects.create(
        title="备份图片", file=ImageFile(io.BytesIO(image_bytes()), name="photo.png")
    )
    mailbox.mailbox_item_create(
        member=profile.user,
        category="dues",
        text="异地怎么交党费？",
        attachment=pdf_upload(),
    )
    with connection.cursor() as cursor:
        before = rows(cursor)
    assert all(before.values()), before
    return {
        "rows": before,
        "media": files(Path(settings.MEDIA_ROOT)),
        "private": files(Path(settings.SCHOOL_PRIVATE_MEDIA_ROOT)),
    }


def restore_elsewhere(archive: Path, tmp_path: Path) -> tuple[dict, Path, Path]:
    """`manage.py restore` in another process, into a new empty database and
    empty folders; what it then holds."""
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{db['NAME']}_restored"
        server = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "school.settings.dev",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(media),
            "PRIVATE_MEDIA_ROOT": str(private),
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    if connection.vendor == "postgresql":
        with psycopg.connect(url) as restored:
            found = rows(restored.cursor())
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        restored = sqlite3.connect(tmp_path / "restored.sqlite3")
        found = rows(restored.cursor())
        restored.close()
    return found, media, private


def test_a_backup_restores_into_an_empty_site(site, tmp_path):
    archive = tmp_path / "backup.tar"

    call_command("backup", str(archive), verbosity=0)
    restored, media, private = restore_elsewhere(archive, tmp_path)

    assert restored == site["rows"]
    assert files(media) == site["media"]
    assert files(private) == site["private"]
    assert any(name.startswith("original_images/") for name in site["media"])
    assert any(name.startswith("mailbox/") for name in site["private"])


def test_the_archive_keeps_private_files_apart(site, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), verbosity=0)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert backup.PG_DUMP in names or backup.SQLITE_DUMP in names
    assert {f"private_media/{name}" for name in site["private"]} <= set(names)
    assert {f"media/{name}" for name in site["media"]} <= set(names)
    assert not (tmp_path / "backup.tar.partial").exists()


def test_restore_refuses_a_site_that_is_not_empty(site, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), verbosity=0)

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), verbosity=0)


def test_restore_refuses_what_is_not_a_backup(tmp_path, db):
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="something.py")

    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(other), verbosity=0)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL's client tools",
)
def test_an_older_pg_dump_than_the_server_is_refused(monkeypatch, db):
    server = connection.pg_version // 10000
    backup.check_client("pg_dump")  # the installed client is recent enough
    monkeypatch.setattr(backup, "_client_major", lambda program: server - 1)

    with pytest.raises(CommandError, match=f"postgresql-client-{server}"):
        backup.check_client("pg_dump")
