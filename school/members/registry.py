"""Where apps above `members` plug into a member's personal-data rights.

`members` is the base app and imports no other app, yet a member's data export
and the anonymising of a deleted account must cover study records, pairings and
salon registrations too. Each app registers its part from its
`AppConfig.ready()`:

    from school.members.registry import register_anonymiser, register_data_exporter

    register_data_exporter("study_records", export_study_records)
    register_anonymiser(anonymise_study_records)

An exporter takes the user and returns JSON-serialisable data (dates may be
`date`/`datetime`/`Decimal`: the view encodes them with Django's JSON encoder).
An anonymiser takes the user and removes or blanks what identifies them while
keeping aggregate rows; it runs inside the deletion's transaction, before the
profile and the account themselves are anonymised.

A leaver handler takes the profile that has just been marked as having left
the branch and the user who marked it, inside the same transaction (pairings
end with it).
"""

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
Anonymiser = Callable[[Any], None]

_exporters: dict[str, Exporter] = {}
_anonymisers: list[Anonymiser] = []
_leaver_handlers: list[Callable[..., None]] = []


def register_data_exporter(name: str, fn: Exporter) -> None:
    """Add `fn(user)`'s result under `name` in the member's data download."""
    if name in _exporters and _exporters[name] is not fn:
        raise ValueError(f"A data exporter named {name!r} is already registered.")
    _exporters[name] = fn


def register_anonymiser(fn: Anonymiser) -> None:
    """Call `fn(user)` when the user's account is deleted."""
    if fn not in _anonymisers:
        _anonymisers.append(fn)


def export_user_data(user) -> dict[str, Any]:
    """Every registered part of a user's personal data, by name."""
    return {name: fn(user) for name, fn in _exporters.items()}


def anonymise_user_data(user) -> None:
    """Run every registered anonymiser for a user being deleted."""
    for fn in _anonymisers:
        fn(user)


def register_leaver_handler(fn: Callable[..., None]) -> None:
    """Call `fn(profile=…, by=…)` when a member is marked as having left."""
    if fn not in _leaver_handlers:
        _leaver_handlers.append(fn)


def handle_leaver(profile, by) -> None:
    """Run every registered handler for a member who left the branch."""
    for fn in _leaver_handlers:
        fn(profile=profile, by=by)
