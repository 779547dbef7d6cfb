"""The README documents every environment variable the school reads.

The names come from the code an operator runs (the settings, the rest of
`school/`, `manage.py`, the gunicorn config) by walking its syntax tree, and
from the files that start it (Procfile, Dockerfile, compose.yaml, Makefile)
by a pattern each. Each must appear in a README table headed
`| variable | default | meaning |`, so that a new variable without a line
there fails here; and a variable the README lists must still be read.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_SOURCES = [
    *sorted((ROOT / "school").rglob("*.py")),
    ROOT / "manage.py",
    *sorted((ROOT / "deploy").rglob("*.py")),
    # Walked too, so that each variable they read is listed below with why.
    *sorted((ROOT / "scripts").rglob("*.py")),
    *sorted((ROOT / "tests").rglob("*.py")),
]
# Each: file, pattern whose first group is a variable name.
OTHER_SOURCES = [
    ("Procfile", r"\$\{?([A-Z][A-Z0-9_]*)"),
    ("Dockerfile", r"(?:^|\s)([A-Z][A-Z0-9_]*)="),
    ("compose.yaml", r"^\s+([A-Z][A-Z0-9_]*):\s"),
    ("compose.yaml", r"\$\{([A-Z][A-Z0-9_]*)"),
    ("Makefile", r"\bexport ([A-Z][A-Z0-9_]*)"),
]
# Read or set by those files, yet not the school's to document.
NOT_OURS = {
    # The shell's and Python's own (Dockerfile, make serve).
    "PATH": "the shell's search path; make serve puts .venv/bin first",
    "PYTHONDONTWRITEBYTECODE": "Python's own, set in the image",
    "PYTHONUNBUFFERED": "Python's own, set in the image",
    # compose.yaml's database service: the postgres image's variables.
    "POSTGRES_USER": "the postgres image's, compose.yaml's db service",
    "POSTGRES_PASSWORD": "the postgres image's, compose.yaml's db service",
    "POSTGRES_DB": "the postgres image's, compose.yaml's db service",
}
# Read only by the tests and the benchmark scripts, never by a server: not for
# the operator's table (the benchmark's are in the README's "Web benchmark").
TESTS_AND_TOOLS_ONLY = {
    "DJANGO_ALLOW_ASYNC_UNSAFE": "browser tests: the ORM beside Playwright's loop",
    "CHROMIUM_PATH": "browser tests: another Chromium than /usr/bin/chromium",
    "CHROME_PATH": "make lighthouse: the Chromium Lighthouse drives",
    "SCALEOUT_REDIS_URL": "the scale-out test's Redis database",
    "TEST_REDIS_URL": "the page-weight tests' Redis database",
    "BENCH_PORT": "make bench-web: gunicorn's port",
    "BENCH_PG_SERVER": "make bench-web: the PostgreSQL server",
    "BENCH_PG_NAME": "make bench-web: its database name",
    "BENCH_REDIS_URL": "make bench-web: its Redis database",
    "BENCH_CONNECTIONS": "make bench-web: wrk's connections",
}
# dj_database_url.config() reads this one by default, without naming it.
IMPLICIT = {"dj_database_url.config": "DATABASE_URL"}
TABLE_HEADER = "| variable | default | meaning |"


def dotted(node) -> str:
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return ""


def string(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


READERS = {"os.environ.get", "os.getenv", "os.environ.setdefault", "os.environ.pop"}


def env_helpers(trees) -> set[str]:
    """Functions that read the variable named by their first parameter
    (settings' `env_list(name, default)`)."""
    helpers = set()
    for tree in trees:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or not function.args.args:
                continue
            first = function.args.args[0].arg
            for call in ast.walk(function):
                if (
                    isinstance(call, ast.Call)
                    and dotted(call.func) in READERS
                    and call.args
                    and isinstance(call.args[0], ast.Name)
                    and call.args[0].id == first
                ):
                    helpers.add(function.name)
    return helpers


def python_variables() -> dict[str, set[str]]:
    trees = {path: ast.parse(path.read_text(), str(path)) for path in PYTHON_SOURCES}
    readers = READERS | env_helpers(trees.values())
    found: dict[str, set[str]] = {}
    for path, tree in trees.items():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Call):
                function = dotted(node.func)
                if function in IMPLICIT and not any(
                    keyword.arg == "env" for keyword in node.keywords
                ):
                    name = IMPLICIT[function]
                elif (function in readers or function.split(".")[-1] in readers) and (
                    node.args
                ):
                    name = string(node.args[0])
            elif isinstance(node, ast.Subscript) and dotted(node.value) == "os.environ":
                name = string(node.slice)
            if name:
                found.setdefault(name, set()).add(where)
    return found


def other_variables() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for file_name, pattern in OTHER_SOURCES:
        text = (ROOT / file_name).read_text()
        for name in re.findall(pattern, text, flags=re.MULTILINE):
            found.setdefault(name, set()).add(file_name)
    return found


def variables_read() -> dict[str, set[str]]:
    found = python_variables()
    for name, files in other_variables().items():
        found.setdefault(name, set()).update(files)
    return {
        name: files
        for name, files in found.items()
        if name not in NOT_OURS and name not in TESTS_AND_TOOLS_ONLY
    }


def documented() -> set[str]:
    """The names in the first column of the README's variable tables."""
    names, in_table = set(), False
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.strip() == TABLE_HEADER:
            in_table = True
        elif in_table and line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
        else:
            in_table = False
    return names


def test_the_walk_finds_what_the_settings_read():
    found = variables_read()
    # One of each way a variable is read: os.environ.get, os.environ[...],
    # env_list(...), dj_database_url.config(), setdefault, gunicorn, Makefile.
    for name in [
        "SECRET_KEY",
        "SENTRY_DSN",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_SETTINGS_MODULE",
        "WEB_CONCURRENCY",
        "SERVE_MEDIA",
    ]:
        assert name in found, name


def test_every_environment_variable_is_in_the_readme():
    missing = {
        name: sorted(files)
        for name, files in variables_read().items()
        if name not in documented()
    }
    assert not missing, f"add these to a README variable table: {missing}"


def test_every_variable_in_the_readme_is_read():
    stale = documented() - set(variables_read())
    assert not stale, f"the README lists variables nothing reads: {sorted(stale)}"


def test_the_readme_refers_to_nothing_outside_the_repository():
    text = (ROOT / "README.md").read_text()
    for outside in ["../", "/work/", "DESIGN.md", "NOTES.md", "STYLE.md"]:
        assert outside not in text, outside
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        if not link.startswith(("http://", "https://", "mailto:")):
            assert (ROOT / link).exists(), link
