import pytest
from django.db import OperationalError, connection

from tests.members import factories

REDIS_AWAY = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
}


def lose_database(monkeypatch):
    def cursor(*args, **kwargs):
        raise OperationalError("connection to server was lost")

    monkeypatch.setattr(connection, "cursor", cursor)


@pytest.mark.django_db
def test_healthz_answers_without_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_is_ok_when_every_service_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "task_queue"}


@pytest.mark.django_db
def test_readyz_says_the_database_is_away(client, monkeypatch):
    lose_database(monkeypatch)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False}
    assert checks["cache"]["ok"] is True


@pytest.mark.django_db
def test_readyz_says_the_cache_is_away(client, settings):
    settings.CACHES = REDIS_AWAY
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"] == {"ok": False}
    assert checks["database"]["ok"] is True


@pytest.mark.django_db
def test_readyz_writes_nothing(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2) as queries:  # SELECT 1, the e-mail queue
        client.get("/readyz")
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries)


@pytest.mark.django_db
def test_page_answers_a_calm_chinese_503_while_the_database_is_away(
    client, monkeypatch
):
    client.raise_request_exception = False
    lose_database(monkeypatch)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "请一分钟后再试" in response.content.decode()


@pytest.mark.django_db
def test_page_answers_503_while_redis_is_away(client, settings):
    client.raise_request_exception = False
    settings.CACHES = REDIS_AWAY
    response = client.get("/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_other_errors_keep_the_500_page(client, monkeypatch):
    client.raise_request_exception = False

    def cursor(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(connection, "cursor", cursor)
    assert client.get("/").status_code == 500


@pytest.mark.django_db
def test_failwhale_is_not_reachable_in_production(client):
    client.force_login(factories.user(is_superuser=True, is_staff=True))
    assert client.get("/admin/failwhale/").status_code == 404
