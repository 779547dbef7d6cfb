"""Fill Chinese translations into the project's django.po and compile it.

Usage: python scripts/fill_po.py translations.json [...]

Each JSON file maps an English msgid to its Chinese text. Entries already
translated are overwritten only when the JSON says otherwise. Run it after
`make messages` (which extracts new msgids), under `flock locale/.lock` when
several people work in the tree at once.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

PO_PATH = (
    Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"
)


def main(paths):
    translations = {}
    for path in paths:
        translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
    po = polib.pofile(str(PO_PATH))
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    for entry in po:
        text = translations.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.header = "Chinese (Simplified) translation of the online party school."
    po.save()
    missing = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")  # noqa: T201
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "compilemessages",
            "-l",
            "zh_Hans",
            "-i",
            ".venv",
        ],
        check=True,
        cwd=PO_PATH.parents[3],
    )


if __name__ == "__main__":
    main(sys.argv[1:])
