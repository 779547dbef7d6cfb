"""One archive holds the whole site: the database and every uploaded file.

`manage.py backup` writes a tar file with

- `manifest.json`: when, which database engine, what is inside;
- the database: `database.pgdump` (`pg_dump --format=custom`, compressed) on
  PostgreSQL, `database.sqlite3.gz` (SQLite's online backup API, so the site
  may keep running) on SQLite;
- `media/…` (MEDIA_ROOT) and `private_media/…` (PRIVATE_MEDIA_ROOT: mailbox
  attachments).

`manage.py restore ARCHIVE` puts all of it back into an empty site (a new
database and empty media folders; `--replace` overwrites a site that is not
empty). An archive is restored on the engine it was made on.
"""

import datetime
import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

FORMAT = 1
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3.gz"


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def folders() -> dict[str, Path]:
    """Archive folder name: the site's folder."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private_media": Path(settings.SCHOOL_PRIVATE_MEDIA_ROOT),
    }


# --- PostgreSQL ---------------------------------------------------------------


def _pg_environment() -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore, the password in the
    environment (never on a command line other users can see)."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _client_major(program: str) -> int:
    path = shutil.which(program)
    if path is None:
        raise CommandError(
            f"{program} is not installed: install the PostgreSQL client of the "
            "server's version (Debian: postgresql-client)."
        )
    output = subprocess.run(  # noqa: S603 - the PostgreSQL client, found on PATH
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"(\d+)(?:\.\d+)?", output).group(1))


def check_client(program: str) -> str:
    """The client must be at least the server's major version (an older
    pg_dump refuses a newer server, or silently misses what it added)."""
    connection.ensure_connection()
    server = connection.pg_version // 10000
    client = _client_major(program)
    if client < server:
        raise CommandError(
            f"{program} {client} is older than the database server "
            f"(PostgreSQL {server}): install postgresql-client-{server}."
        )
    return f"{program} {client}, server {server}"


def _pg_dump(into: Path) -> None:
    check_client("pg_dump")
    args, env = _pg_environment()
    subprocess.run(  # noqa: S603 - arguments from the site's own settings
        [
            shutil.which("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(into),
            *args,
        ],
        env=env,
        check=True,
    )


def _pg_restore(dump: Path, replace: bool) -> None:
    check_client("pg_restore")
    args, env = _pg_environment()
    clean = ["--clean", "--if-exists"] if replace else []
    connection.close()
    subprocess.run(  # noqa: S603 - arguments from the site's own settings
        [
            shutil.which("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *clean,
            *args,
            str(dump),
        ],
        env=env,
        check=True,
    )


# --- SQLite -------------------------------------------------------------------


def _sqlite_dump(into: Path) -> None:
    connection.ensure_connection()
    copy = into.with_suffix("")
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    with open(copy, "rb") as source, gzip.open(into, "wb", compresslevel=6) as sink:
        shutil.copyfileobj(source, sink, 1024 * 1024)
    copy.unlink()


def _sqlite_restore(dump: Path) -> None:
    plain = dump.with_suffix("")
    with gzip.open(dump, "rb") as source, open(plain, "wb") as sink:
        shutil.copyfileobj(source, sink, 1024 * 1024)
    connection.close()
    source = sqlite3.connect(plain)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


# --- The archive --------------------------------------------------------------


def _files(folder: Path):
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                yield path


def backup(into: Path) -> dict:
    """Write the archive; its manifest."""
    vendor = engine()
    into.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=into.parent) as work:
        dump = Path(work) / (PG_DUMP if vendor == "postgresql" else SQLITE_DUMP)
        (_pg_dump if vendor == "postgresql" else _sqlite_dump)(dump)
        counts = {
            name: sum(1 for _ in _files(path)) for name, path in folders().items()
        }
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="seconds"
            ),
            "engine": vendor,
            "database": dump.name,
            "files": counts,
        }
        partial = into.with_name(into.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for name, folder in folders().items():
                for path in _files(folder):
                    archive.add(path, arcname=f"{name}/{path.relative_to(folder)}")
        # A backup cut short never looks like a whole one.
        partial.replace(into)
    return manifest


def _is_empty_site() -> bool:
    connection.ensure_connection()
    tables = connection.introspection.table_names()
    files = any(True for folder in folders().values() for _ in _files(folder))
    return not tables and not files


def restore(archive_path: Path, replace: bool = False) -> dict:
    """Rebuild the site from an archive; its manifest."""
    vendor = engine()
    with tarfile.open(archive_path, "r") as archive:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except KeyError:
            raise CommandError(
                f"{archive_path} is not a backup of the school."
            ) from None
        if manifest.get("format") != FORMAT:
            raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
        if manifest["engine"] != vendor:
            raise CommandError(
                f"This backup is of a {manifest['engine']} database; the site "
                f"runs on {vendor}. Restore it on {manifest['engine']}."
            )
        if not replace and not _is_empty_site():
            raise CommandError(
                "The site is not empty (its database has tables, or its media "
                "folders hold files). Restore into a new database and empty "
                "folders, or give --replace to overwrite this site."
            )
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            archive.extractall(work, filter="data")
            dump = work / manifest["database"]
            if vendor == "postgresql":
                _pg_restore(dump, replace)
            else:
                _sqlite_restore(dump)
            for name, folder in folders().items():
                if replace and folder.exists():
                    shutil.rmtree(folder)
                folder.mkdir(parents=True, exist_ok=True)
                source = work / name
                if source.is_dir():
                    shutil.copytree(source, folder, dirs_exist_ok=True)
    # Cached pages, menus and sessions are of the site before. The database
    # cache's table is made if the backup's site kept its cache in Redis.
    call_command("createcachetable", verbosity=0)
    cache.clear()
    return manifest
