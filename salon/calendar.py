"""An iCalendar (RFC 5545) file for one registration, for the member's phone."""

import datetime

from django.utils import timezone


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            parts.append(current)
            current = " " + char
        else:
            current += char
    parts.append(current)
    return parts


def registration_ics(registration, request) -> str:
    salon = registration.salon
    page_url = request.build_absolute_uri(salon.url or "/")
    # The online room is for confirmed seats only, as on the salon page.
    confirmed = registration.status == registration.Status.CONFIRMED
    location = salon.place or (salon.online_link if confirmed else "")
    description = "\n".join(part for part in [salon.theme, page_url] if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//party-school//salon//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:salon-registration-{registration.pk}@{request.get_host()}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(salon.starts_at)}",
        f"DTEND:{_utc(salon.ends_at)}",
        f"SUMMARY:{_escape(salon.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{page_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    folded = [part for line in lines for part in _fold(line)]
    return "\r\n".join(folded) + "\r\n"
