"""The member file page (一人一档): one admin page per member, put together from
the sections the apps register.

`members` is the base app and imports no other app, yet the file shows study,
pairing, care visits, dues and organisational life. Each app registers its
sections from its `AppConfig.ready()`::

    from school.members.member_file import FileSection, register_file_section

    register_file_section(
        FileSection(
            key="dues",
            slot="knowns",
            title=_("Party dues"),
            template_name="dues/admin/file_section.html",
            get_context=dues_file_context,
        )
    )

`slot="knowns"` puts a section in the row of the three knowns (三掌握) under
one of the keys of `KNOWNS`; an unfilled known shows as "not kept on the site
yet". `slot="body"` sections follow the six facts, by `order`. `get_context(
member, user=…, today=…)` returns the template's context, or None to leave the
section out for that user; it must run a fixed number of queries, whatever
the member's history holds (the page's query count is asserted).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .card_review import Status, card_review

KNOWNS_SLOT = "knowns"
BODY_SLOT = "body"

# The three knowns (三掌握), in the order the file shows them.
KNOWNS = {
    "dues": _("Party dues"),
    "participation": _("Organisational life this year"),
    "thinking": _("Latest thinking report"),
}


@dataclass(frozen=True)
class FileSection:
    key: str
    title: Any
    template_name: str
    get_context: Callable[..., dict | None]
    slot: str = BODY_SLOT
    order: int = 100


_sections: dict[str, FileSection] = {}


def register_file_section(section: FileSection) -> None:
    """Add a section to every member's file page."""
    if section.slot not in (KNOWNS_SLOT, BODY_SLOT):
        raise ValueError(f"Unknown member file slot {section.slot!r}.")
    if section.slot == KNOWNS_SLOT and section.key not in KNOWNS:
        raise ValueError(f"{section.key!r} is not one of the three knowns.")
    existing = _sections.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"A file section named {section.key!r} is registered.")
    _sections[section.key] = section


@dataclass
class RenderedSection:
    key: str
    title: Any
    template_name: str | None
    context: dict


def file_sections(member, *, user, today: datetime.date) -> dict[str, list]:
    """{"knowns": [...], "body": [...]} for one member as `user` sees it; a known
    no app fills is a placeholder (template_name None)."""
    knowns, body = {}, []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.get_context(member, user=user, today=today)
        if context is None:
            continue
        rendered = RenderedSection(
            section.key, section.title, section.template_name, context
        )
        if section.slot == KNOWNS_SLOT:
            knowns[section.key] = rendered
        else:
            body.append(rendered)
    return {
        "knowns": [
            knowns.get(key) or RenderedSection(key, title, None, {})
            for key, title in KNOWNS.items()
        ],
        "body": body,
    }


# --- The six facts (六清) ----------


@dataclass
class Fact:
    key: str
    label: Any
    values: list  # (label, shown value) pairs
    clear: bool


def card_review_text(member, today: datetime.date) -> str:
    """The activity card's yearly review as the file states it."""
    review = card_review(member, today)
    if review.status == Status.NO_CARD:
        return "—"
    if review.due_on is None:
        return _("%(status)s: no review recorded") % {"status": review.label}
    if review.status == Status.OVERDUE:
        return _("%(status)s by %(days)s days (due on %(date)s)") % {
            "status": review.label,
            "days": review.days_overdue,
            "date": f"{review.due_on:%Y-%m-%d}",
        }
    return _("%(status)s: next review due on %(date)s") % {
        "status": review.label,
        "date": f"{review.due_on:%Y-%m-%d}",
    }


def six_facts(member, today: datetime.date | None = None) -> list[Fact]:
    """The six facts a branch keeps clear about each mobile member (六清):
    personal details, when they left, why, where to, what work, how to reach
    them; each says whether it is clear (filled in)."""
    today = today or timezone.localdate()

    def label(name):
        return member._meta.get_field(name).verbose_name

    def shown(value):
        return value if value not in (None, "") else "—"

    return [
        Fact(
            "personal",
            _("Personal details"),
            [
                (label("real_name"), shown(member.real_name)),
                (label("branch"), member.branch.name),
                (label("status"), member.get_status_display()),
                (label("activity_card_number"), shown(member.activity_card_number)),
                (_("Activity card review"), card_review_text(member, today)),
            ],
            bool(member.real_name and member.branch_id),
        ),
        Fact(
            "when",
            _("When they left"),
            [(label("moved_out_on"), shown(member.moved_out_on))],
            member.moved_out_on is not None,
        ),
        Fact(
            "why",
            _("Why they left"),
            [(label("move_reason"), shown(member.get_move_reason_display()))],
            bool(member.move_reason),
        ),
        Fact(
            "where",
            _("Where they are"),
            [
                (label("current_city"), shown(member.current_city)),
                (label("current_address"), shown(member.current_address)),
            ],
            bool(member.current_city and member.current_address),
        ),
        Fact(
            "work",
            _("What work they do"),
            [(label("employer"), shown(member.employer))],
            bool(member.employer),
        ),
        Fact(
            "reach",
            _("How to reach them"),
            [(label("mobile"), shown(member.mobile))],
            bool(member.mobile),
        ),
    ]


def missing_facts(member) -> list:
    """The labels of the six facts not yet clear; empty when the file is 六清."""
    return [fact.label for fact in six_facts(member) if not fact.clear]
