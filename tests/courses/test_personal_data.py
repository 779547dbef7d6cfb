"""Study records in the member's data download and on account deletion."""

import pytest
from django.utils import timezone

from courses import services
from courses.models import StudyRecord
from school.members.registry import anonymise_user_data, export_user_data
from tests.courses import factories as f

pytestmark = pytest.mark.django_db


def declare(member, note):
    return services.study_record_declare(
        member=member,
        date=timezone.localdate(),
        minutes=30,
        mode="gap_time",
        topic="学习党章",
        note=note,
    )


def test_export_holds_the_members_own_study_only():
    member, other = f.member(), f.member()
    declare(member, "我的学习体会，学习党章第一章，很有收获。")
    declare(other, "别人的学习体会，学习党章第二章，很有收获。")

    data = export_user_data(member.user)

    assert [r["note"] for r in data["study_records"]] == [
        "我的学习体会，学习党章第一章，很有收获。"
    ]
    assert data["study_records"][0]["minutes"] == 30
    assert data["lesson_progress"] == []


def test_deletion_removes_writing_but_keeps_minutes():
    member = f.member()
    declare(member, "我的学习体会，学习党章第一章，很有收获。")

    anonymise_user_data(member.user)

    record = StudyRecord.objects.get(member=member)
    assert (record.note, record.topic, record.recorded_by) == ("", "", None)
    assert record.seconds == 30 * 60
