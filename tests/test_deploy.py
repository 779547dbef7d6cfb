import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "school.example.com",
        "SITE_URL": "https://school.example.com",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest

    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "school.settings.production"}
    env.pop("SECRET_KEY", None)

    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_site_address():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    env.pop("SITE_URL", None)

    # A command from cron fails as loudly as the web server would.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "send_study_reminders"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_production_takes_the_site_address_for_every_link():
    assert production_setting("SITE_URL") == "https://school.example.com"
    assert production_setting("WAGTAILADMIN_BASE_URL") == "https://school.example.com"


def production_setting(expression):
    """The value of a settings expression (as printed) in production settings,
    with the environment's SCHOOL_EMAIL_QUEUE left out."""
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://school.example.com",
    }
    return setting_value(
        "school.settings.production", expression, env, drop=["SCHOOL_EMAIL_QUEUE"]
    )


def setting_value(module, expression, env=None, *, drop=()):
    """The value of a settings expression (as printed) in settings `module`,
    in this environment plus `env`, less the variables named in `drop`."""
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": module, **(env or {})}
    for name in [*drop, "DJANGO_ALLOW_ASYNC_UNSAFE"]:  # the browser tests' own
        environ.pop(name, None)
    code = f"from django.conf import settings; print(settings.{expression})"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_queues_email_for_the_worker():
    assert (
        production_setting("TASKS['email']['BACKEND']")
        == "django_tasks_db.DatabaseBackend"
    )
