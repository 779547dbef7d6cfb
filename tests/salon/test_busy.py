"""A slow transaction never takes the site down: a request waiting on a held
lock gives up in time and says so calmly, and nothing is half done."""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from salon.models import Registration, SalonPage
from school.busy import BusyDatabaseMiddleware
from tests.salon import factories as f

race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_postgresql_connections_carry_statement_and_lock_timeouts():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "postgresql":
        # SQLite waits on a locked file for the lock timeout, then gives up.
        assert options["timeout"] == settings.DATABASE_LOCK_TIMEOUT_MS / 1000
        return
    assert (
        f"statement_timeout={settings.DATABASE_STATEMENT_TIMEOUT_MS}"
        in (options["options"])
    )
    assert f"lock_timeout={settings.DATABASE_LOCK_TIMEOUT_MS}" in options["options"]
    # Both shorter than gunicorn's 30 s worker timeout.
    assert 0 < settings.DATABASE_LOCK_TIMEOUT_MS < 30_000
    assert 0 < settings.DATABASE_STATEMENT_TIMEOUT_MS < 30_000


@race
def test_a_sign_up_waiting_on_a_held_lock_answers_in_time_without_a_seat(client):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and lock_timeout are PostgreSQL's")
    salon = f.salon(capacity=5)
    member = f.member("等待者")
    held, release = threading.Event(), threading.Event()

    def hold_the_salon_row():
        try:
            with transaction.atomic():
                SalonPage.objects.select_for_update().get(pk=salon.pk)
                held.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_salon_row)
    holder.start()
    try:
        assert held.wait(10)
        client.force_login(member.user)
        # The configured 10 s is asserted above; the test waits one second.
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        started = time.monotonic()
        response = client.post(f"/salons/{salon.pk}/sign-up/", follow=True)
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join()

    assert waited < 5
    assert response.status_code == 200
    assert "您的名额未能登记" in response.content.decode()
    assert not Registration.objects.filter(salon=salon).exists()
    salon.refresh_from_db()
    assert salon.taken == 0


def test_any_view_whose_database_gave_up_answers_with_the_busy_page(db):
    def locked_view(request):
        raise OperationalError("database is locked")

    middleware = BusyDatabaseMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")

    try:
        locked_view(request)
    except OperationalError as error:
        response = middleware.process_exception(request, error)

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "系统繁忙" in response.content.decode()


def test_other_database_errors_are_not_taken_for_busy(db):
    middleware = BusyDatabaseMiddleware(lambda request: HttpResponse())
    error = OperationalError("no such table: salon_registration")

    assert middleware.process_exception(RequestFactory().get("/"), error) is None
