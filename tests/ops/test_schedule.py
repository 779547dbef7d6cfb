from datetime import datetime

import pytest
from django.core.management import call_command

from school.ops.management.commands import run_schedule


def test_next_run_is_today_before_the_hour_and_tomorrow_after():
    assert run_schedule.next_run(datetime(2026, 5, 1, 2, 0), "03:30") == datetime(
        2026, 5, 1, 3, 30
    )
    assert run_schedule.next_run(datetime(2026, 5, 1, 4, 0), "03:30") == datetime(
        2026, 5, 2, 3, 30
    )


@pytest.mark.django_db
def test_once_runs_every_daily_command_even_after_one_fails(monkeypatch, settings):
    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    ran = []

    def fake_call_command(name, *args):
        ran.append(name)
        if name == "send_study_reminders":
            raise RuntimeError("mail server away")

    monkeypatch.setattr(run_schedule, "call_command", fake_call_command)
    assert run_schedule.run_daily() == ["send_study_reminders"]
    assert ran == run_schedule.DAILY


@pytest.mark.django_db
def test_daily_commands_run_on_an_empty_site(settings):
    call_command("run_schedule", "--once")
    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    call_command("run_schedule", "--once")
