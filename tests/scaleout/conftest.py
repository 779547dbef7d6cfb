"""Two gunicorn app servers behind nginx (deploy/nginx/school.conf), on
production settings, sharing one PostgreSQL database, one Redis database and
one media folder.

Needs PostgreSQL (DATABASE_URL, as the PostgreSQL run of .ci/run), Redis
(SCALEOUT_REDIS_URL, default db 3 on 127.0.0.1:6379; flushed first) and
nginx (`make nginx`). The site's database is `<DATABASE_URL's name>_scaleout`,
cloned from a migrated template database kept beside it (rebuilt when a
migration or a package version changes), so a run does not pay for the
migrations each time.
"""

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .forward import Forwarder

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/3")
# What the tests measured, printed at the end of the run (for the notes).
FIGURES: dict[str, str] = {}
STATIC_COMMANDS = (
    "import django, sys; from django.core.management import call_command; "
    "django.setup(); call_command('collectstatic', interactive=False, verbosity=0); "
    "call_command('write_error_pages', verbosity=0)"
)
PACKAGES = ("django", "wagtail", "wagtailmedia", "django-allauth", "django-tasks-db")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def migrations_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/**/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(path.read_bytes())
    for package in PACKAGES:
        digest.update(importlib.metadata.version(package).encode())
    return digest.hexdigest()[:16]


@dataclass
class Cluster:
    url: str
    upstreams: list[str]
    env: dict
    folder: Path
    site: dict
    database: Forwarder
    redis: Forwarder
    servers: list = field(default_factory=list)

    @property
    def cert(self) -> str:
        return str(self.folder / "cert.pem")

    def sql(self, query, *params):
        import psycopg

        with psycopg.connect(self.env["SCALEOUT_DIRECT_DATABASE_URL"]) as db:
            return db.execute(query, params).fetchall()

    def manage(self, *args) -> str:
        env = {**self.env, "DATABASE_URL": self.env["SCALEOUT_DIRECT_DATABASE_URL"]}
        done = subprocess.run(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


def wait_for(url, timeout=120, verify=True):
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2, verify=verify).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def make_database(server: str, name: str, env: dict) -> float | None:
    """`name`, cloned from its migrated template (made when missing: the
    seconds its migrations took)."""
    import psycopg

    template = f"{name}_template"
    fingerprint = migrations_fingerprint()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        row = db.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = %s",
            (template,),
        ).fetchone()
        if row is None or row[0] != fingerprint:
            db.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{template}"')
            started = time.monotonic()
            for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
                subprocess.run(
                    [sys.executable, "manage.py", *command],
                    cwd=ROOT,
                    env={**env, "DATABASE_URL": f"{server}/{template}"},
                    check=True,
                )
            db.execute(f"COMMENT ON DATABASE \"{template}\" IS '{fingerprint}'")
            migrated = time.monotonic() - started
        else:
            migrated = None
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return migrated


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def render_nginx(folder: Path, https_port, http_port, app_ports) -> Path:
    """deploy/nginx/school.conf with the test's values for its EDIT lines,
    plus a header naming the app server that answered (the test's only
    addition), inside a main configuration of the test's own."""
    conf = (ROOT / "deploy" / "nginx" / "school.conf").read_text()
    servers = "\n".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;"
        for port in app_ports
    )
    replacements = [
        (
            "    server 10.0.0.11:8000 max_fails=3 fail_timeout=10s;\n"
            "    server 10.0.0.12:8000 max_fails=3 fail_timeout=10s;",
            servers,
        ),
        ("    listen 80;\n    listen [::]:80;", f"    listen 127.0.0.1:{http_port};"),
        (
            "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;",
            f"    listen 127.0.0.1:{https_port} ssl http2;",
        ),
        ("server_name dangxiao.example.cn;", "server_name 127.0.0.1;"),
        ("/etc/ssl/school/fullchain.pem", str(folder / "cert.pem")),
        ("/etc/ssl/school/privkey.pem", str(folder / "key.pem")),
        ("/srv/school/app/static/errors/", f"{ROOT / 'static' / 'errors'}/"),
        ("/srv/school/media/", f"{folder / 'media'}/"),
        (
            "        proxy_pass http://school_app;",
            "        proxy_pass http://school_app;\n"
            "        add_header X-Upstream $upstream_addr always;",
        ),
    ]
    for old, new in replacements:
        assert old in conf, f"deploy/nginx/school.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    (folder / "school.conf").write_text(conf)
    main = folder / "nginx.conf"
    temp = folder / "nginx-temp"
    temp.mkdir()
    main.write_text(
        f"""
user root;
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/school.conf;
}}
"""
    )
    return main


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the scale-out test runs on PostgreSQL (DATABASE_URL)")
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make nginx)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()

    started = time.monotonic()
    parts = urlsplit(database_url)
    server = f"{parts.scheme}://{parts.netloc}"
    name = f"{parts.path.lstrip('/')}_scaleout"
    folder = tmp_path_factory.mktemp("scaleout")
    (folder / "media").mkdir()
    (folder / "private").mkdir()
    redis_parts = urlsplit(REDIS_URL)
    database = Forwarder((parts.hostname, parts.port or 5432)).start()
    redis_forwarder = Forwarder(
        (redis_parts.hostname, redis_parts.port or 6379)
    ).start()
    https_port, http_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.production",
        "SECRET_KEY": "scale-out-test-only",
        "SITE_URL": f"https://127.0.0.1:{https_port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": (
            f"{parts.scheme}://{parts.username or 'postgres'}@127.0.0.1:"
            f"{database.port}/{name}"
        ),
        "SCALEOUT_DIRECT_DATABASE_URL": f"{server}/{name}",
        "REDIS_URL": (
            f"redis://127.0.0.1:{redis_forwarder.port}{redis_parts.path or '/0'}"
        ),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "SMS_BACKEND": "school.sms.ConsoleBackend",
        "WEB_CONCURRENCY": "2",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SERVE_MEDIA", None)
    migrated = make_database(server, name, {**env, "DATABASE_URL": f"{server}/{name}"})
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    cluster = Cluster(
        url=f"https://127.0.0.1:{https_port}",
        upstreams=[f"127.0.0.1:{port}" for port in app_ports],
        env=env,
        folder=folder,
        site={},
        database=database,
        redis=redis_forwarder,
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    processes = []
    try:
        # The static files are collected while the site is made, and both are
        # done before the servers start: the hashed-name manifest is read when
        # the site is imported (--preload), so a server started earlier, on a
        # fresh clone with no manifest yet, would fail every page.
        static = subprocess.Popen(
            [sys.executable, "-c", STATIC_COMMANDS], cwd=ROOT, env=env
        )
        cluster.site = json.loads(cluster.manage("tests.scaleout.site_setup", "build"))
        assert static.wait(timeout=300) == 0
        for port in app_ports:
            log = open(folder / f"gunicorn-{port}.log", "w")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    [str(gunicorn), "-c", "deploy/gunicorn.conf.py"],
                    cwd=ROOT,
                    # One import of the site per server, not per worker.
                    env={
                        **env,
                        "GUNICORN_BIND": f"127.0.0.1:{port}",
                        "GUNICORN_CMD_ARGS": "--preload",
                    },
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        main = render_nginx(folder, https_port, http_port, app_ports)
        processes.append(
            subprocess.Popen(
                [NGINX, "-c", str(main), "-p", str(folder)],
                stdout=open(folder / "nginx.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
        )
        for port in app_ports:
            wait_for(f"http://127.0.0.1:{port}/healthz")
        wait_for(f"{cluster.url}/healthz", verify=cluster.cert)
        cluster.servers = processes[:2]
        FIGURES["start-up (database, static files, site, servers)"] = (
            f"{time.monotonic() - started:.1f} s"
            + (
                f", of which migrating the template {migrated:.0f} s"
                if migrated
                else ""
            )
        )
        yield cluster
    finally:
        for process in processes:
            # Quick shutdown (gunicorn and nginx alike): nothing to finish.
            process.send_signal(signal.SIGQUIT)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        database.stop()
        redis_forwarder.stop()
        drop_database(server, name)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("scale-out figures")
        for key, value in FIGURES.items():
            terminalreporter.write_line(f"{key}: {value}")


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
