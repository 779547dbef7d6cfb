"""Every string of ours is translated, and the compiled catalogue is current."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES"


def test_every_msgid_has_a_chinese_translation():
    po = polib.pofile(str(LOCALE / "django.po"))

    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert missing == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))

    def table(entries):
        return {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in entries
        }

    translated = [e for e in po.translated_entries() if "fuzzy" not in e.flags]
    assert table(e for e in mo if e.msgid) == table(translated)
