"""`make bench-web`: the served site under load, next to a bare Django view.

For each database (SQLite with the database cache; PostgreSQL with Redis) it
builds a fresh demo site, then runs several interleaved rounds. Each round
starts gunicorn (2 sync workers, production settings) three times on one port:
the bare "hello" view (scripts/bench_hello.py), the site with the page cache
off, the site with it on; wrk loads every address in turn. A page's ratio is
its req/s divided by the bare view's in the same round; the table gives the
median over the rounds.

    python scripts/bench_web.py [--rounds 3] [--seconds 5] [--only sqlite]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PORT = int(os.environ.get("BENCH_PORT", "8012"))
BASE = f"http://127.0.0.1:{PORT}"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("BENCH_PG_NAME", "school_bench_web")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SQLITE = Path(tempfile.gettempdir()) / "school-bench-web.sqlite3"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))

# (name, mode, target ratio); modes: uncached and cached are anonymous.
TARGETS = {
    ("home", "uncached"): 0.05,
    ("article", "uncached"): 0.05,
    ("course", "uncached"): 0.05,
    ("lesson", "uncached"): 0.05,
    ("news index", "uncached"): 0.04,
    ("course index", "uncached"): 0.04,
    ("salon index", "uncached"): 0.04,
    ("salon", "uncached"): 0.04,
    ("search", "uncached"): 0.03,
    ("lesson", "logged in"): 0.03,
    ("/me/study/", "logged in"): 0.03,
    ("/contact/", "logged in"): 0.03,
    ("heartbeat", "logged in"): 0.2,
}
CACHED_TARGET = 0.5
# Search is not page-cached (its addresses are endless), nor are personal pages.
NOT_CACHED = {"search"}


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def manage(env, *args, **kwargs):
    return run([PYTHON, "manage.py", *args], env, **kwargs)


def site_env(database_url, redis_url=None, page_cache=True):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="school.settings.production",
        SECRET_KEY="bench-web-not-secret",
        SITE_URL=BASE,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        SCHOOL_PAGE_CACHE="1" if page_cache else "0",
        SCHOOL_EMAIL_QUEUE="1",
        # seed_demo's notices go nowhere (there is no mail server here).
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare(name):
    """A fresh database with the demo site; returns (env, setup facts)."""
    if name == "sqlite":
        SQLITE.unlink(missing_ok=True)
        env = site_env(f"sqlite:///{SQLITE}")
    else:
        import psycopg
        import redis

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
        redis.Redis.from_url(REDIS_URL).flushdb()
        env = site_env(f"{PG_SERVER}/{PG_NAME}", REDIS_URL)
    print(f"[{name}] migrate, seed_demo …", flush=True)
    quiet = {"stdout": subprocess.DEVNULL}
    manage(env, "migrate", "--noinput", "-v0", **quiet)
    manage(env, "createcachetable", **quiet)
    manage(env, "collectstatic", "--noinput", "-v0", **quiet)
    manage(env, "seed_demo", **quiet)
    out = manage(
        env,
        "shell",
        "-c",
        (ROOT / "scripts" / "bench_web_setup.py").read_text(),
        capture_output=True,
        text=True,
    ).stdout
    facts = json.loads(out.strip().splitlines()[-1])
    return env, facts


class Server:
    def __init__(self, app, env, probe="/"):
        self.app, self.env, self.probe = app, env, probe

    def __enter__(self):
        args = [
            str(BIN / "gunicorn"),
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{PORT}",
            "--access-logfile=/dev/null",
            "--log-level=warning",
            "--pythonpath",
            str(ROOT / "scripts"),
            self.app,
        ]
        self.process = subprocess.Popen(args, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(BASE + self.probe, timeout=5):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"{self.app} did not start on {BASE}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path, seconds, headers=(), script=None, warm=1):
    """req/s, p50 ms, p99 ms and the count of non-2xx/3xx answers."""
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    # Slow answers count, they are not dropped as timeouts.
    args += ["--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", script]
    # Warm the workers (per-process caches, the page cache) first.
    subprocess.run(
        [*args[:2], "-c2", f"-d{warm}s", *args[4:], BASE + path],
        capture_output=True,
        check=True,
    )
    out = subprocess.run(
        [*args, BASE + path], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {q: float(v) * UNIT[u] for q, v, u in LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return (
        rate,
        latency.get("50"),
        latency.get("99"),
        int(errors.group(1)) if errors else 0,
    )


def heartbeat_script(lesson_id, session, token):
    script = Path(tempfile.gettempdir()) / f"school-bench-beat-{os.getpid()}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "kind=beat&token={urllib.parse.quote(token)}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "sessionid={session}"\n'
    )
    return f"/study/lessons/{lesson_id}/beat/", str(script)


def bench(name, rounds, seconds):
    env, facts = prepare(name)
    hello_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    member = f"Cookie: sessionid={facts['member_session']}"
    contact = f"Cookie: sessionid={facts['contact_session']}"
    beat_path, beat_script = heartbeat_script(
        facts["lesson_id"], facts["member_session"], facts["beat_token"]
    )
    pages = facts["pages"]
    results = {}  # (page, mode) -> list of (rate, p50, p99, errors, ratio)

    def record(key, measured, hello_rate):
        rate, p50, p99, errors = measured
        results.setdefault(key, []).append((rate, p50, p99, errors, rate / hello_rate))

    for round_ in range(1, rounds + 1):
        print(f"[{name}] round {round_}/{rounds}", flush=True)
        with Server("bench_hello:application", hello_env):
            hello = wrk("/", seconds)
        record(("bare Django view", "hello"), hello, hello[0])
        uncached = {**env, "SCHOOL_PAGE_CACHE": "0"}
        with Server("school.wsgi:application", uncached, probe="/robots.txt"):
            for page, path in pages.items():
                # Search loads jieba's dictionary in each worker first (~1 s).
                warm = 4 if page == "search" else 1
                record((page, "uncached"), wrk(path, seconds, warm=warm), hello[0])
            logged_in = {
                "lesson": (pages["lesson"], member),
                "/me/study/": ("/me/study/", member),
                "/contact/": ("/contact/", contact),
            }
            for page, (path, cookie) in logged_in.items():
                record((page, "logged in"), wrk(path, seconds, [cookie]), hello[0])
            record(
                ("heartbeat", "logged in"),
                wrk(beat_path, seconds, script=beat_script),
                hello[0],
            )
        with Server("school.wsgi:application", env, probe="/robots.txt"):
            for page, path in pages.items():
                if page not in NOT_CACHED:
                    record((page, "cached"), wrk(path, seconds), hello[0])
    return facts, results


def report(name, facts, results, load):
    print()
    print(
        f"== {name}: production settings, gunicorn 2 sync workers, wrk "
        f"{CONNECTIONS} connections; {facts['pages_total']} live pages, "
        f"/contact/ with {facts['paired']} paired members; load {load}"
    )
    print(
        f"{'page':18} {'mode':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'ratio':>7} {'target':>7}  "
    )
    failed = []
    for (page, mode), rows in results.items():
        rate = statistics.median(r[0] for r in rows)
        p50 = statistics.median(r[1] for r in rows if r[1] is not None)
        p99 = statistics.median(r[2] for r in rows if r[2] is not None)
        ratio = statistics.median(r[4] for r in rows)
        errors = sum(r[3] for r in rows)
        target = CACHED_TARGET if mode == "cached" else TARGETS.get((page, mode))
        verdict = ""
        if target is not None:
            verdict = "ok" if ratio >= target else "BELOW"
            if ratio < target:
                failed.append((page, mode))
        if errors:
            verdict += f" {errors} non-2xx/3xx!"
        target_text = f"{target:.2f}" if target is not None else ""
        print(
            f"{page:18} {mode:10} {rate:8.0f} {p50:8.1f} {p99:8.1f} "
            f"{ratio:7.3f} {target_text:>7}  {verdict}"
        )
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench-web` installs it (apt-get install wrk).")
    names = [options.only] if options.only else ["sqlite", "postgresql"]
    failed = []
    for name in names:
        facts, results = bench(name, options.rounds, options.seconds)
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        # Each database's table as soon as it is measured: a long run cut
        # short still shows what it measured.
        failed += report(name, facts, results, load)
    print()
    print("all targets met" if not failed else f"below target: {failed}")


if __name__ == "__main__":
    main()
