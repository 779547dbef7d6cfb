"""Course and lesson pages, and the study data that hangs off them."""

from .pages import CourseCategory, CourseIndexPage, CoursePage, LessonPage
from .study import (
    MAX_SECONDS_PER_DAY,
    LessonProgress,
    StudyPlan,
    StudyPlanItem,
    StudyRecord,
)

__all__ = [
    "MAX_SECONDS_PER_DAY",
    "CourseCategory",
    "CourseIndexPage",
    "CoursePage",
    "LessonPage",
    "LessonProgress",
    "StudyPlan",
    "StudyPlanItem",
    "StudyRecord",
]
