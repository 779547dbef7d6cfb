"""Seats stay exact when many people act at the same moment.

Threads are released together by a barrier; each uses its own database
connection (closed in `finally`). Run on SQLite here and on PostgreSQL in CI:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/pytest tests/salon
"""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from salon import services
from salon.models import Registration, SalonPage
from tests.salon import factories as f

Status = Registration.Status

# serialized_rollback restores the page tree (made by data migrations) that a
# transactional test's flush would otherwise remove for later tests.
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(calls):
    """Run the calls in threads started at the same instant; (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as error:  # noqa: BLE001 — collected and asserted on
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def sign_up_call(salon, member):
    return lambda: services.registration_create(salon=salon, user=member.user)


def cancel_call(registration):
    return lambda: services.registration_cancel(
        registration=registration, user=registration.member.user
    )


def assert_consistent(salon):
    """The counter matches the rows, and no seat is free while someone waits."""
    salon = SalonPage.objects.get(pk=salon.pk)
    confirmed = Registration.objects.filter(salon=salon, status=Status.CONFIRMED)
    waiting = Registration.objects.filter(salon=salon, status=Status.WAITING)
    assert salon.taken == confirmed.count() <= salon.capacity
    if waiting.exists():
        assert salon.taken == salon.capacity
    return salon


@race
def test_fifty_simultaneous_sign_ups_for_ten_seats_confirm_exactly_ten():
    salon = f.salon(capacity=10)
    members = [f.member(real_name=f"党员{i}") for i in range(50)]

    results, errors = run_together([sign_up_call(salon, m) for m in members])

    assert errors == []
    statuses = [r.status for r in results]
    assert statuses.count(Status.CONFIRMED) == 10
    assert statuses.count(Status.WAITING) == 40
    assert_consistent(salon)
    positions = sorted(r.waiting_position() for r in results if r.status == "waiting")
    assert positions == list(range(1, 41))


@race
def test_the_same_member_signing_up_ten_times_at_once_gets_one_registration():
    salon = f.salon(capacity=10)
    member = f.member()

    results, errors = run_together([sign_up_call(salon, member) for _ in range(10)])

    assert len([r for r in results if r]) == 1
    assert len(errors) == 9
    assert all(isinstance(error, ValidationError) for error in errors)
    assert Registration.objects.filter(salon=salon).count() == 1
    assert assert_consistent(salon).taken == 1


@race
def test_simultaneous_cancellations_promote_the_waiting_list_in_order():
    salon = f.salon(capacity=10)
    seated = [
        services.registration_create(salon=salon, user=f.member().user)
        for _ in range(10)
    ]
    waiting = [
        services.registration_create(salon=salon, user=f.member().user)
        for _ in range(15)
    ]
    late = [f.member() for _ in range(10)]
    mail.outbox.clear()

    # Ten cancellations race with ten new sign-ups for the waiting list.
    results, errors = run_together(
        [cancel_call(r) for r in seated] + [sign_up_call(salon, m) for m in late]
    )

    assert errors == []
    assert_consistent(salon)
    promoted = set(
        Registration.objects.filter(salon=salon, status=Status.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    # The first ten in line got the seats; the late comers all wait behind.
    assert promoted == {r.pk for r in waiting[:10]}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.member.user.email for r in waiting[:10]
    )
    assert all(r.status == Status.WAITING for r in results[10:])


@race
def test_cancellations_racing_new_sign_ups_leave_no_free_seat_while_someone_waits():
    for _ in range(3):
        salon = f.salon(capacity=5)
        seated = [
            services.registration_create(salon=salon, user=f.member().user)
            for _ in range(5)
        ]
        newcomers = [f.member() for _ in range(8)]

        results, errors = run_together(
            [cancel_call(r) for r in seated]
            + [sign_up_call(salon, m) for m in newcomers]
        )

        assert errors == []
        salon = assert_consistent(salon)
        assert salon.taken == 5
        confirmed = Registration.objects.filter(salon=salon, status=Status.CONFIRMED)
        assert confirmed.count() == 5
