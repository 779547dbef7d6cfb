"""Test data for voice submissions, the mailbox and the FAQ."""

import io

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from home import models as home
from home.voice.workflow import MAILBOX_STAFF_GROUP
from tests import factories
from tests.members import factories as people


def voice_index(**kwargs) -> home.VoiceIndexPage:
    kwargs.setdefault("title", "流动党员之声")
    kwargs.setdefault("slug", "voice")
    return factories.add_child(factories.home_page(), home.VoiceIndexPage(**kwargs))


def guide_index(**kwargs) -> home.GuideIndexPage:
    kwargs.setdefault("title", "党务指南")
    kwargs.setdefault("slug", "guides")
    return factories.add_child(factories.home_page(), home.GuideIndexPage(**kwargs))


def faq_page(index=None, **kwargs) -> home.FaqPage:
    kwargs.setdefault("title", "常见问题")
    kwargs.setdefault("slug", "faq")
    return factories.add_child(index or guide_index(), home.FaqPage(**kwargs))


def image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name="photo.png", fmt="PNG", size=(40, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, size), content_type="image/png")


def mailbox_staff(**kwargs):
    user = people.user(**kwargs)
    user.groups.add(Group.objects.get(name=MAILBOX_STAFF_GROUP))
    return user


def pdf_upload(name="材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"
    )
