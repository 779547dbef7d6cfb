import pytest

from school import sms


@pytest.fixture
def sms_outbox():
    """school.sms's outbox (the test settings' backend), empty at the start
    and at the end of the test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
