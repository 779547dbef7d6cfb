"""A member's study data in their data download, and what account deletion
removes: personal writing goes, the minutes stay for the branch's statistics
(the profile they hang on is anonymised by the members app)."""

from .models import LessonProgress, StudyRecord


def export_study_records(user) -> list[dict]:
    records = (
        StudyRecord.objects.filter(member__user=user)
        .select_related("lesson")
        .prefetch_related("lessons")
        .order_by("date", "pk")
    )
    return [
        {
            "date": record.date,
            "minutes": record.minutes,
            "seconds": record.seconds,
            "source": record.source,
            "mode": record.mode,
            "status": record.status,
            "lesson": record.lesson.title if record.lesson else None,
            "lessons": [lesson.title for lesson in record.lessons.all()],
            "topic": record.topic,
            "note": record.note,
            "rejection_reason": record.rejection_reason,
        }
        for record in records
    ]


def export_lesson_progress(user) -> list[dict]:
    rows = (
        LessonProgress.objects.filter(member__user=user)
        .select_related("lesson")
        .order_by("started_at", "pk")
    )
    return [
        {
            "lesson": row.lesson.title,
            "credited_seconds": row.credited_seconds,
            "media_finished": row.media_finished,
            "answered_correctly": row.answered_correctly,
            "completed_at": row.completed_at,
        }
        for row in rows
    ]


def anonymise_study(user) -> None:
    StudyRecord.objects.filter(member__user=user).update(note="", topic="")
    StudyRecord.objects.filter(member__user=user, recorded_by=user).update(
        recorded_by=None
    )
