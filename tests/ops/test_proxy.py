"""What the proxy in front relies on (deploy/nginx/school.conf); the
scale-out test (tests/scaleout/) runs the real thing."""

import re
from pathlib import Path

from django.core.management import call_command
from django.test import RequestFactory

from school.members.adapter import AccountAdapter

CONF = (
    Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "school.conf"
).read_text()


def test_the_proxy_retries_nothing_that_writes():
    (line,) = re.findall(r"^\s*proxy_next_upstream\s+[^;]*;", CONF, re.MULTILINE)
    assert "non_idempotent" not in line


def test_the_proxy_overwrites_the_headers_the_app_trusts():
    assert "proxy_set_header X-Forwarded-Proto https;" in CONF
    assert "proxy_set_header X-Real-IP $remote_addr;" in CONF


def test_private_files_are_not_served_by_the_proxy():
    assert "private" not in re.sub(r"#.*", "", CONF)


def test_error_pages_are_written_in_chinese(tmp_path):
    call_command("write_error_pages", "--to", str(tmp_path), verbosity=0)

    assert "这个网址太长了" in (tmp_path / "414.html").read_text()
    assert "网上党校暂时繁忙" in (tmp_path / "502.html").read_text()


def test_rate_limits_count_the_address_the_proxy_gives(settings):
    settings.SCHOOL_CLIENT_IP_HEADER = "X-Real-IP"
    behind = RequestFactory().get("/", HTTP_X_REAL_IP="203.0.113.7")
    direct = RequestFactory().get("/", REMOTE_ADDR="198.51.100.2")

    assert AccountAdapter().get_client_ip(behind) == "203.0.113.7"
    assert AccountAdapter().get_client_ip(direct) == "198.51.100.2"


def test_without_a_proxy_header_the_peer_address_counts(settings):
    settings.SCHOOL_CLIENT_IP_HEADER = ""
    forged = RequestFactory().get("/", HTTP_X_REAL_IP="203.0.113.7")

    assert AccountAdapter().get_client_ip(forged) == "127.0.0.1"
