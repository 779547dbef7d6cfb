"""Course and lesson pages, and the study data that hangs off them."""

from .pages import CourseCategory, CourseIndexPage, CoursePage, LessonPage
from .pairing import ContactLog, MonthlyReport, Pairing, ReminderSent
from .study import (
    MAX_SECONDS_PER_DAY,
    LessonProgress,
    OfflineStudy,
    StudyPlan,
    StudyPlanItem,
    StudyRecord,
)

__all__ = [
    "MAX_SECONDS_PER_DAY",
    "ContactLog",
    "CourseCategory",
    "CourseIndexPage",
    "CoursePage",
    "LessonPage",
    "LessonProgress",
    "MonthlyReport",
    "OfflineStudy",
    "Pairing",
    "ReminderSent",
    "StudyPlan",
    "StudyPlanItem",
    "StudyRecord",
]
