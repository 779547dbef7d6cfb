"""Checks on images members upload: type, size and dimensions.

Pillow reads only the header to learn the size, so a small file that claims
huge dimensions (a decompression bomb) is refused before anything decodes it.
"""

import struct
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 8000
MAX_IMAGE_PIXELS = 40_000_000
# What Pillow raises on truncated or malformed files varies by format.
BROKEN_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    IndexError,
    EOFError,
    struct.error,
)


def image_format(upload) -> str:
    """The file's image format (a key of FORMATS); ValidationError if unfit."""
    name = upload.name
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 5 MB. Choose a smaller picture.")
            % {"name": name}
        )
    bomb = _(
        "“%(name)s” has absurd dimensions (at most %(side)s pixels a side). "
        "Choose a normal photo."
    ) % {"name": name, "side": MAX_IMAGE_SIDE}
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt, (width, height) = image.format, image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(bomb) from None
    except BROKEN_IMAGE_ERRORS:
        raise ValidationError(
            _("“%(name)s” is not a picture we can use (JPEG, PNG, GIF or WebP).")
            % {"name": name}
        ) from None
    finally:
        upload.seek(0)
    if fmt not in FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a picture we can use (JPEG, PNG, GIF or WebP).")
            % {"name": name}
        )
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(bomb)
    return fmt
