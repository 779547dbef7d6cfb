import pytest


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Mailbox attachments of a test go to its own temporary folder."""
    settings.SCHOOL_PRIVATE_MEDIA_ROOT = tmp_path / "private"
