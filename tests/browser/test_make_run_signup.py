"""Issue 11's "Done when", as the issue says it: on a 360 px phone, sign up
with a mobile number and read the code from the console SMS in `make run`'s
log, verify, complete the profile and consent, see 待确认; log out; log in by
code.

Unlike tests/browser/test_accounts_flow.py (Django's live server in this
process), this starts the development server as `make run` does — dev
settings, `manage.py runserver`, the SMS console backend and the task backends
of the dev settings — in its own process, with its output written to a log
file that the test reads the codes from. The database is a temporary SQLite
file, copied from a template that was migrated, given its cache table and
seeded with the demo content (`make run`'s steps) once per set of migrations
and demo code. Static files are served from the source folders (`make run
LIVE_STATIC=1`), so nothing has to be collected.
"""

import fcntl
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from tests.browser.pages import assert_no_horizontal_scroll

ROOT = Path(__file__).resolve().parents[2]
NUMBER = "13712345678"
PASSWORD = "Liudong-2026!"


def _dev_env(database: Path, port: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of the test run's own database, cache or settings.
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith(("PYTEST", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="school.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        SITE_URL=f"http://127.0.0.1:{port}",
        LIVE_STATIC="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(*args, env):
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=600,
    )


def _template_key() -> str:
    """Changes whenever a migration or the demo content's code does."""
    digest = hashlib.sha256()
    paths = sorted(ROOT.glob("*/migrations/*.py")) + sorted(
        ROOT.glob("school/*/migrations/*.py")
    )
    paths += sorted(ROOT.glob("**/management/commands/seed_demo.py"))
    paths += sorted(p for p in ROOT.glob("**/demo.py") if ".venv" not in p.parts)
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _migrated_template() -> Path:
    """`make run`'s migrate, createcachetable and seed_demo on a SQLite file,
    kept in the temp folder for the next run (under a lock: one builder)."""
    folder = Path(tempfile.gettempdir())
    template = folder / f"school-make-run-{_template_key()}.sqlite3"
    with open(folder / "school-make-run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = template.with_suffix(f".{os.getpid()}.building")
            building.unlink(missing_ok=True)
            env = _dev_env(building, 8000)
            _manage("migrate", "--noinput", env=env)
            _manage("createcachetable", env=env)
            _manage("seed_demo", env=env)
            building.rename(template)
    return template


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DevServer:
    def __init__(self, url: str, log: Path):
        self.url, self.log = url, log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def sms_code(self, phone: str, after: int = 0) -> str:
        """The newest code the console SMS backend printed for `phone` after
        the first `after` characters of the log, waiting for it a little."""
        pattern = re.compile(rf"SMS to {re.escape(phone)}: .*?验证码是(\d{{6}})")
        deadline = time.monotonic() + 10
        while True:
            codes = pattern.findall(self.output()[after:])
            if codes:
                return codes[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no code for {phone} in:\n{self.output()}")
            time.sleep(0.2)


@pytest.fixture
def dev_server(tmp_path):
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(_migrated_template(), database)
    port = _free_port()
    log = tmp_path / "make-run.log"
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=_dev_env(database, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DevServer(url, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(url + "/accounts/login/", timeout=5):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.output()) from None
                time.sleep(0.3)
        yield server
    finally:
        # The autoreloader runs the server in a child: end the whole group.
        os.killpg(process.pid, 15)
        process.wait(timeout=20)


def test_sign_up_verify_consent_pending_log_out_log_in_by_code_on_make_run(
    dev_server, phone_page, screenshot
):
    member, url = phone_page, dev_server.url

    member.goto(url + "/accounts/signup/")
    expect(member.get_by_role("heading", level=1)).to_have_text("注册")
    member.get_by_label("手机号码").fill(NUMBER)
    member.get_by_label("密码", exact=True).fill(PASSWORD)
    member.get_by_label("密码（重复）").fill(PASSWORD)
    assert_no_horizontal_scroll(member)
    member.get_by_role("main").get_by_role("button", name="注册").click()

    # The code page, with its help; the code comes from the server's log.
    expect(member.get_by_role("heading", level=1)).to_contain_text("验证")
    expect(member.get_by_role("heading", name="没有收到验证码？")).to_be_visible()
    help_ = member.locator(".code-help")
    expect(help_).to_contain_text("60 秒后仍未收到")
    expect(help_).to_contain_text("10 分钟内有效")
    expect(help_.get_by_role("button", name="重新获取验证码")).to_be_visible()
    assert_no_horizontal_scroll(member)
    screenshot(member, "make-run-1-verify")
    member.get_by_label("验证码").fill(dev_server.sms_code("+86" + NUMBER))
    member.get_by_role("main").get_by_role("button", name="确认").click()

    # The demo content's branches are there, as after `make run`.
    expect(member).to_have_url(f"{url}/me/profile/complete/")
    member.get_by_label("真实姓名").fill("赵小军")
    member.get_by_label("党支部").select_option(label="深圳宝安流动党员党支部")
    member.get_by_label("外出原因").select_option(label="务工")
    member.get_by_label("现居城市").fill("深圳")
    member.get_by_label("工作单位或职业").fill("快递员")
    member.get_by_role("button", name="下一步").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("个人信息处理同意书")
    member.get_by_role("checkbox").check()
    member.get_by_role("button", name="同意并提交").click()
    expect(member).to_have_url(f"{url}/me/profile/")
    expect(member.locator(".profile-status__label")).to_have_text("待确认")
    assert_no_horizontal_scroll(member)
    screenshot(member, "make-run-2-pending")

    member.get_by_role("navigation", name="账户").get_by_role(
        "link", name="退出"
    ).click()
    member.get_by_role("main").get_by_role("button", name="退出").click()
    expect(member).to_have_url(url + "/")

    # Log in by code: a new one, printed after the first.
    seen = len(dev_server.output())
    member.goto(url + "/accounts/login/")
    member.get_by_role("link", name="用短信验证码登录").click()
    member.get_by_label("手机号码").fill(NUMBER)
    member.get_by_role("button", name="获取验证码").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("登录验证码")
    expect(member.locator(".code-help")).to_contain_text("5 分钟内有效")
    member.get_by_label("验证码").fill(dev_server.sms_code("+86" + NUMBER, seen))
    assert_no_horizontal_scroll(member)
    screenshot(member, "make-run-3-login-by-code")
    member.get_by_role("main").get_by_role("button", name="确认").click()
    expect(member).to_have_url(f"{url}/me/profile/")
    expect(member.locator(".profile-status__label")).to_have_text("待确认")
