"""Numbers in our addresses are database ids: a number too long for the
database is no page (404), never an overflow error (500)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from school.converters import IdConverter

OUR_APPS = ("school", "home", "courses", "salon")
HUGE = "9" * 20


def our_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from our_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if module.startswith(OUR_APPS):
                yield prefix + str(entry.pattern), entry


def test_our_numeric_path_parts_are_ids():
    """On the site; the admin's own views (Wagtail's) are left as they are."""
    plain_ints = [
        route
        for route, entry in our_patterns()
        if not route.startswith("admin/")
        for converter in entry.pattern.converters.values()
        if type(converter) is IntConverter
    ]
    assert plain_ints == []
    assert any(
        isinstance(converter, IdConverter)
        for _route, entry in our_patterns()
        for converter in entry.pattern.converters.values()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/me/submissions/{HUGE}/",
        f"/me/mailbox/{HUGE}/",
        f"/salons/{HUGE}/topics/",
        f"/me/salons/{HUGE}/calendar.ics",
        f"/me/profile/{HUGE}/",
    ],
)
def test_a_huge_number_is_not_found(admin_client, url):
    assert admin_client.get(url).status_code == 404
