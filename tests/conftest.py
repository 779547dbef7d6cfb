import pytest


def pytest_collection_modifyitems(items):
    """Give every transactional test a serialized rollback.

    A transactional test empties the database when it ends, taking the rows our
    data migrations made (home page, site, groups, workflow) with it. Serialized
    rollback puts them back before the next test. It must be used by all such
    tests or none: a flush without it re-creates content types, which then clash
    with the restored ones.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if "serialized_rollback" not in marker.kwargs:
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as the database starts empty: the
    cached menu and rate-limit counters must not leak from one test to the
    next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def database_cache(settings, db):
    """The database cache, as `make run` has: the shared cache where pages,
    the menu and rate limits live, each read costing a query."""
    from django.core.cache import cache
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "school_cache",
        },
        "renditions": settings.CACHES["renditions"],
    }
    call_command("createcachetable")
    cache.clear()


@pytest.fixture
def committing_client(client, django_capture_on_commit_callbacks):
    """A test client whose requests' after-commit work (mail, SMS) runs as each
    request ends, as it does outside a test's transaction."""
    request = client.request

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    client.request = run
    return client
