"""URL converters shared by the apps' urls.py."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    """A database id: digits that fit a 64-bit integer column. A longer number
    in an address is no page (404), not an overflow in the database (500)."""

    regex = "[0-9]{1,18}"


def is_id(value) -> bool:
    """Whether a submitted value could be a database id (as the converter)."""
    return str(value).isdigit() and len(str(value)) <= 18


register_converter(IdConverter, "id")
