"""Two app servers behind nginx share sessions, rate limits, the page cache,
salon seats and media; a killed worker and a lost database or Redis leave
nothing half done (conftest.py starts the set; .ci/run runs it)."""

import os
import re
import secrets
import signal
import statistics
import subprocess
import threading
import time

import pytest
import requests

from tests.home.factories import image_bytes

from .conftest import FIGURES, csrf_from

pytestmark = pytest.mark.scaleout

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def aim(cluster, upstream):
    """Make `upstream` the next server nginx sends a request to: it takes
    turns, so after a probe answered by the other one."""
    for _ in range(10):
        probe = requests.get(cluster.url + "/healthz", verify=cluster.cert, timeout=30)
        if probe.headers.get("X-Upstream") != upstream:
            return
    raise AssertionError(f"{upstream} answers every request")


def get(cluster, path, upstream=None, session=None, **kwargs):
    """GET through nginx; with `upstream`, from that app server."""
    client = session or requests
    for _ in range(5):
        if upstream:
            aim(cluster, upstream)
        response = client.get(
            cluster.url + path,
            verify=cluster.cert,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        if upstream is None or response.headers.get("X-Upstream") == upstream:
            return response
    raise AssertionError(f"{upstream} never answered {path}")


def post(cluster, path, data, session=None, files=None, headers=None, upstream=None):
    """POST through nginx once (a write is never repeated); `upstream` is
    where it should go, which the test checks in the answer's X-Upstream."""
    client = session or requests
    if upstream:
        aim(cluster, upstream)
    return client.post(
        cluster.url + path,
        data=data,
        files=files,
        headers={"Referer": cluster.url + "/", **(headers or {})},
        verify=cluster.cert,
        allow_redirects=False,
        timeout=30,
    )


def logged_in(cluster, index: int) -> tuple[dict, str]:
    """Cookie and form token of one of the site's pre-made member sessions."""
    token = secrets.token_hex(16)  # an unmasked CSRF secret, 32 characters
    cookie = f"sessionid={cluster.site['sessions'][index]}; csrftoken={token}"
    return {"Cookie": cookie, "Origin": cluster.url}, token


def login_form(cluster, session) -> str:
    return csrf_from(get(cluster, "/accounts/login/", session=session).text)


def test_a_login_on_one_server_holds_on_the_other(cluster):
    session = requests.Session()
    response = post(
        cluster,
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": login_form(cluster, session),
            "login": cluster.site["login"],
            "password": cluster.site["password"],
        },
        session=session,
    )
    assert response.status_code == 302, response.text[:500]
    logged_in_on = response.headers["X-Upstream"]

    for upstream in cluster.upstreams:
        page = get(cluster, "/me/profile/", upstream=upstream, session=session)
        assert page.status_code == 200, (upstream, page.headers.get("Location"))
        assert "党员1" in page.text
    FIGURES["login"] = f"logged in on {logged_in_on}, profile 200 on both"


def try_login(cluster, login, password, upstream):
    session = requests.Session()
    token = login_form(cluster, session)
    data = {"csrfmiddlewaretoken": token, "login": login, "password": password}
    response = post(
        cluster, "/accounts/login/", data, session=session, upstream=upstream
    )
    assert response.headers["X-Upstream"] == upstream
    return response


def test_the_failed_login_limit_counts_across_both_servers(cluster):
    login = cluster.site["limited"]
    for attempt in range(5):
        upstream = cluster.upstreams[attempt % 2]
        response = try_login(cluster, login, "wrong-password", upstream)
        assert response.status_code == 200
        assert "登录失败次数过多" not in response.text

    # The sixth try, with the right password, on either server: refused.
    for upstream in cluster.upstreams:
        response = try_login(cluster, login, cluster.site["password"], upstream)
        assert response.status_code != 302
        assert "登录失败次数过多" in response.text
    FIGURES["rate limit"] = "5 failed logins, 3 on one server and 2 on the other: "
    FIGURES["rate limit"] += "the 6th (right password) refused on both"


def test_the_page_cache_is_shared_and_cleared_for_both_on_publish(cluster):
    path = cluster.site["news"]["url"]
    first, second = cluster.upstreams
    assert get(cluster, path, upstream=first).headers["X-Page-Cache"] == "miss"
    other = get(cluster, path, upstream=second)
    assert other.headers["X-Page-Cache"] == "hit"
    assert "扩容测试新闻" in other.text

    cluster.manage(
        "tests.scaleout.site_setup",
        "publish",
        str(cluster.site["news"]["id"]),
        "改版后的新闻",
    )

    fresh = get(cluster, path, upstream=second)
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert "改版后的新闻" in fresh.text
    again = get(cluster, path, upstream=first)
    assert again.headers["X-Page-Cache"] == "hit"
    assert "改版后的新闻" in again.text


def test_forty_sign_ups_at_once_over_both_servers_fill_ten_seats(cluster):
    salon = cluster.site["salon"]
    barrier = threading.Barrier(40)
    results = [None] * 40

    def sign_up(index):
        headers, token = logged_in(cluster, index)
        barrier.wait()
        started = time.monotonic()
        response = post(
            cluster,
            f"/salons/{salon['id']}/sign-up/",
            {"csrfmiddlewaretoken": token},
            headers=headers,
        )
        results[index] = (
            response.status_code,
            response.headers.get("X-Upstream"),
            time.monotonic() - started,
        )

    started = time.monotonic()
    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    assert [status for status, _, _ in results] == [302] * 40
    by_server = {
        up: sum(1 for _, u, _ in results if u == up) for up in cluster.upstreams
    }
    assert all(by_server.values()), by_server
    rows = dict(
        cluster.sql(
            "SELECT status, count(*) FROM salon_registration WHERE salon_id = %s "
            "GROUP BY status",
            salon["id"],
        )
    )
    assert rows == {"confirmed": 10, "waiting": 30}
    assert cluster.sql(
        "SELECT taken FROM salon_salonpage WHERE page_ptr_id = %s", salon["id"]
    ) == [(10,)]
    durations = sorted(duration for _, _, duration in results)
    FIGURES["40 sign-ups, 10 seats"] = (
        f"{elapsed:.2f} s wall, per request median "
        f"{statistics.median(durations) * 1000:.0f} ms, max "
        f"{durations[-1] * 1000:.0f} ms; per server {by_server}; "
        f"10 confirmed, 30 waiting"
    )


def test_media_uploaded_through_one_server_is_served_by_the_other(cluster):
    headers, token = logged_in(cluster, 40)
    picture = image_bytes("PNG", (64, 48))
    response = post(
        cluster,
        "/voice/submit/",
        {
            "csrfmiddlewaretoken": token,
            "title": "扩容测试投稿",
            "body": "正文。",
            "action": "draft",
        },
        files={"new_images": ("photo.png", picture, "image/png")},
        headers=headers,
    )
    assert response.status_code == 302, response.text[:500]
    uploaded_on = response.headers["X-Upstream"]
    other = next(up for up in cluster.upstreams if up != uploaded_on)

    ((original,),) = cluster.sql(
        "SELECT file FROM wagtailimages_image ORDER BY id DESC LIMIT 1"
    )
    served = get(cluster, f"/media/{original}")
    assert served.status_code == 200
    assert served.content == picture
    assert "X-Upstream" not in served.headers  # nginx itself, from MEDIA_ROOT

    # The other server renders the draft with a thumbnail made from the file
    # the first one stored.
    edit = get(cluster, response.headers["Location"], upstream=other, headers=headers)
    assert edit.status_code == 200
    thumbnail = re.search(r'src="(/media/images/[^"]+)"', edit.text).group(1)
    image = get(cluster, thumbnail)
    assert image.status_code == 200
    assert image.headers["Content-Type"].startswith("image/")


def test_mailbox_attachments_stay_behind_the_permission_check(cluster):
    headers, token = logged_in(cluster, 41)
    response = post(
        cluster,
        "/mailbox/",
        {"csrfmiddlewaretoken": token, "category": "dues", "text": "异地怎么交党费？"},
        files={"attachment": ("材料.pdf", PDF, "application/pdf")},
        headers=headers,
    )
    assert response.status_code == 302, response.text[:500]
    other = next(up for up in cluster.upstreams if up != response.headers["X-Upstream"])
    ((pk, stored),) = cluster.sql(
        "SELECT id, attachment FROM home_mailboxitem ORDER BY id DESC LIMIT 1"
    )
    address = f"/me/mailbox/{pk}/attachment/"

    mine = get(cluster, address, upstream=other, headers=headers)
    assert mine.status_code == 200
    assert mine.content == PDF
    stranger, _ = logged_in(cluster, 42)
    assert get(cluster, address, headers=stranger).status_code == 404
    assert get(cluster, address).status_code == 302  # to the login page
    assert get(cluster, f"/media/{stored}").status_code == 404
    assert (cluster.folder / "private" / stored).exists()
    assert not list((cluster.folder / "media").rglob("*.pdf"))


@pytest.mark.parametrize("length", [4100, 8150, 8180, 8192, 9000, 20000])
def test_an_over_long_address_gets_a_chinese_page(cluster, length):
    response = get(cluster, "/" + "a" * length + "/")
    text = response.content.decode()

    assert response.status_code in (404, 414)
    assert "Request Line is too large" not in text  # gunicorn's own page
    if response.status_code == 414:
        assert "这个网址太长" in text
        assert "X-Upstream" not in response.headers  # refused by nginx
    else:
        assert "页面不存在" in text


def worker_serving(cluster) -> int:
    """The pid of the gunicorn worker holding a request from nginx (sync
    workers hold a connection only while they answer one)."""
    for upstream in cluster.upstreams:
        port = upstream.rsplit(":", 1)[1]
        lines = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        for line in lines:
            match = re.search(r"pid=(\d+)", line)
            if match:
                return int(match.group(1))
    raise AssertionError("no worker is answering a request")


def test_a_worker_killed_mid_sign_up_leaves_nothing_and_is_not_retried(cluster):
    import psycopg

    spare = cluster.site["spare"]
    headers, token = logged_in(cluster, 43)
    member_id = cluster.site["user_ids"][43]
    result = {}

    def sign_up():
        response = post(
            cluster,
            f"/salons/{spare['id']}/sign-up/",
            {"csrfmiddlewaretoken": token},
            headers=headers,
        )
        result["status"] = response.status_code
        result["text"] = response.content.decode()

    # The sign-up takes its seat, then waits to write its registration.
    with psycopg.connect(cluster.env["SCALEOUT_DIRECT_DATABASE_URL"]) as lock:
        lock.execute("LOCK TABLE salon_registration IN SHARE MODE")
        thread = threading.Thread(target=sign_up)
        thread.start()
        deadline = time.monotonic() + 10
        while not cluster.sql(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'INSERT INTO \"salon_registration\"%%'"
        ):
            assert time.monotonic() < deadline, "the sign-up never reached its insert"
            time.sleep(0.05)
        worker = worker_serving(cluster)
        os.kill(worker, signal.SIGKILL)
        thread.join(timeout=20)
        lock.rollback()

    # nginx answered 502 (its Chinese page) and did not send the sign-up
    # to the other server.
    assert result["status"] == 502
    assert "网上党校暂时繁忙" in result["text"]  # nginx's own page
    time.sleep(0.5)  # the database notices the lost connection
    assert cluster.sql(
        "SELECT taken FROM salon_salonpage WHERE page_ptr_id = %s", spare["id"]
    ) == [(0,)]
    assert not cluster.sql(
        "SELECT 1 FROM salon_registration r JOIN members_memberprofile m "
        "ON r.member_id = m.id WHERE m.user_id = %s",
        member_id,
    )
    # The master started a new worker; the member signs up again.
    again = post(
        cluster,
        f"/salons/{spare['id']}/sign-up/",
        {"csrfmiddlewaretoken": token},
        headers=headers,
    )
    assert again.status_code == 302
    assert cluster.sql(
        "SELECT taken FROM salon_salonpage WHERE page_ptr_id = %s", spare["id"]
    ) == [(1,)]
    FIGURES["kill -9"] = (
        f"worker {worker} killed while holding a seat: 502, no seat, no row; "
        "signed up again after"
    )


def test_a_worker_killed_mid_heartbeat_credits_nothing_half_way(cluster):
    """The clock of a lesson and its study record move in one transaction: a
    worker killed between them leaves both as they were."""
    import psycopg

    lesson = cluster.site["lesson"]
    headers, token = logged_in(cluster, -1)  # the member of the lesson's token
    progress = (
        "SELECT credited_seconds, last_beat_at FROM courses_lessonprogress "
        "WHERE lesson_id = %s AND member_id = %s"
    )
    records = (
        "SELECT coalesce(sum(seconds), 0) FROM courses_studyrecord "
        "WHERE lesson_id = %s AND member_id = %s"
    )
    ids = (lesson["id"], lesson["member_id"])

    def beat():
        return post(
            cluster,
            f"/study/lessons/{lesson['id']}/beat/",
            {"csrfmiddlewaretoken": token, "token": lesson["token"]},
            headers=headers,
        )

    assert beat().json()["accepted"]  # starts the lesson's clock
    # The member has been on the page for a minute: the next beat earns.
    cluster.sql(
        "UPDATE courses_lessonprogress SET last_beat_at = last_beat_at - "
        "interval '60 seconds' WHERE lesson_id = %s AND member_id = %s RETURNING 1",
        *ids,
    )
    before = cluster.sql(progress, *ids)
    result = {}
    with psycopg.connect(cluster.env["SCALEOUT_DIRECT_DATABASE_URL"]) as lock:
        lock.execute("LOCK TABLE courses_studyrecord IN SHARE MODE")
        thread = threading.Thread(target=lambda: result.update(answer=beat()))
        thread.start()
        deadline = time.monotonic() + 10
        while not cluster.sql(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE '%%courses_studyrecord%%'"
        ):
            assert time.monotonic() < deadline, "the beat never reached its record"
            time.sleep(0.05)
        worker = worker_serving(cluster)
        os.kill(worker, signal.SIGKILL)
        thread.join(timeout=20)
        lock.rollback()

    assert result["answer"].status_code == 502  # not sent to the other server
    time.sleep(0.5)  # the database notices the lost connection
    assert cluster.sql(progress, *ids) == before
    assert cluster.sql(records, *ids) == [(0,)]
    # The next beat earns the minute, once, clock and record together.
    again = beat().json()
    assert again["accepted"] and again["credited"] > 0
    ((credited, _),) = cluster.sql(progress, *ids)
    assert cluster.sql(records, *ids) == [(credited,)] and credited > 0
    FIGURES["kill -9 (study)"] = (
        f"worker {worker} killed mid-heartbeat: 502, clock and record unchanged; "
        f"the next beat credited {credited} s"
    )


def readiness(cluster) -> dict:
    response = get(cluster, "/readyz")
    checks = response.json()["checks"]
    return {name: check["ok"] for name, check in checks.items()} | {
        "status": response.status_code
    }


@pytest.mark.parametrize("service", ["redis", "database"])
def test_a_lost_service_is_named_answered_calmly_and_recovered(cluster, service):
    name = {"redis": "cache", "database": "database"}[service]
    forwarder = getattr(cluster, service)
    # Not a cached page (those are kept in Redis and need no database).
    path = cluster.site["salon"]["url"] + "?from=scaleout"
    assert get(cluster, path).status_code == 200

    forwarder.stop()
    try:
        for upstream in cluster.upstreams:
            ready = get(cluster, "/readyz", upstream=upstream)
            assert ready.status_code == 503
            checks = {k: v["ok"] for k, v in ready.json()["checks"].items()}
            assert checks[name] is False
            assert all(
                ok for key, ok in checks.items() if key not in (name, "task_queue")
            )
            page = get(cluster, path, upstream=upstream)
            assert page.status_code == 503
            assert "网上党校暂时繁忙" in page.text
    finally:
        forwarder.start()

    started = time.monotonic()
    for upstream in cluster.upstreams:
        assert get(cluster, "/readyz", upstream=upstream).status_code == 200
        assert get(cluster, path, upstream=upstream).status_code == 200
    FIGURES[f"{service} away"] = (
        f"/readyz named {name}, pages 503 on both; back within "
        f"{time.monotonic() - started:.1f} s, no restart"
    )
