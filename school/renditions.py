"""Every size of an image that a page shows is made when the image is saved,
so that no visitor's GET ever writes a rendition row (or a file).

Wagtail makes a rendition the first time a template asks for it, which would
be an anonymous visitor's page view: a database write (and on SQLite a
write lock) on a read. Here every filter spec our templates use is listed
once, and an image saved (uploaded, replaced, its focal point moved) gets all
of them at once. `manage.py make_renditions` makes the missing ones for
images saved before a spec was added (`make serve` runs it after migrating).

A template that asks for a spec not listed here fails
tests/test_lean_pages.py::test_every_template_size_is_made_in_advance.
"""

import logging

from wagtail.images import get_image_model
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

# The {% image %} and {% srcset_image %} specs of templates/ (brace
# expansions as in the templates; "|" joins a tag's filters).
TEMPLATE_SPECS = (
    # Course cover (course page), article image and image blocks.
    "fill-{360x200,720x400,1080x600}|format-webp",
    "width-{360,720,1080}|format-webp",
    # Cards in lists (home page, column indexes, course index).
    "fill-360x200|format-webp",
    "fill-240x160|format-webp",
    # A member's own submission form.
    "max-160x160",
)


def filter_specs() -> list[str]:
    specs = []
    for spec in TEMPLATE_SPECS:
        specs.extend(Filter.expand_spec(spec))
    return list(dict.fromkeys(specs))


def make(image) -> None:
    """Make every listed rendition of `image` that is missing."""
    if not image.file:
        return
    try:
        image.get_renditions(*filter_specs())
    except Exception:  # noqa: BLE001 - a broken file must not stop the save
        # The page showing it will fail to make it too, and say so.
        logger.exception("Could not make the renditions of image %s", image.pk)


def make_missing() -> int:
    """Make the missing renditions of every image (those present are found
    in one query per chunk); return how many images were looked at."""
    images = get_image_model().objects.prefetch_renditions(*filter_specs())
    count = 0
    for image in images.iterator(chunk_size=200):
        make(image)
        count += 1
    return count


def _on_image_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    make(instance)


def connect_signals():
    from django.db.models.signals import post_save

    post_save.connect(
        _on_image_saved, sender=get_image_model(), dispatch_uid="renditions.make"
    )
