"""The Django wheel the browser gets: the pinned one without the parts no demo uses.

What to drop was decided by measurement (a one-off run, its result kept here): each
Django demo, run alone in CPython with an import and file-open tracker, used only django's
core packages, django.contrib.staticfiles (which django.test imports), the dummy and
sqlite3 database backends (sync_only.py names sqlite3 when it runs first) and the project
template. DROPPED names whole subtrees outside that set; the build refuses a demo that
imports one of them (demo_errors), and tests/test_slim_django.py runs every Django demo on
the slim wheel.
"""

import ast
import base64
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sitebuild.fences import Kind, read

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
# Every language the site shows has its own docs folder with a home page.
SHOWN_LANGUAGES = tuple(sorted(index.parent.name for index in DOCS.glob("*/index.md")))
# Fixed, so that the same pinned wheel always gives the same bytes (the zip epoch).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Drop:
    """A part of the wheel left out: `label` for people, `pattern` matched on each path."""

    label: str
    pattern: str
    reason: str

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.pattern, path) is not None


def subtree(folder: str, reason: str) -> Drop:
    """Drop a package folder and everything under it."""
    return Drop(folder + "/", re.escape(folder) + "/.*", reason)


def other_translations(reason: str) -> Drop:
    """Drop every locale/<language>/ folder, in django and its apps, but those shown."""
    kept = "|".join(re.escape(language) for language in SHOWN_LANGUAGES)
    return Drop(
        "django/**/locale/<language>/", rf"django/(.+/)?locale/(?!({kept})/)[^/]+/.*", reason
    )


DROPPED = (
    other_translations(
        f"the demos never switch language; the site shows only {', '.join(SHOWN_LANGUAGES)}"
    ),
    subtree("django/contrib/admin", "no demo has an admin site (its static files and templates)"),
    subtree("django/contrib/admindocs", "no admin, so no admin documentation"),
    subtree("django/contrib/auth", "no demo has users or logins"),
    subtree("django/contrib/contenttypes", "no demo installs an app with models"),
    subtree("django/contrib/flatpages", "no demo serves pages from the database"),
    subtree("django/contrib/gis", "no demo uses GeoDjango, and Pyodide has no GDAL"),
    subtree("django/contrib/humanize", "no demo renders templates with its filters"),
    subtree("django/contrib/messages", "no demo uses the messages framework"),
    subtree("django/contrib/postgres", "the browser demos have no PostgreSQL"),
    subtree("django/contrib/redirects", "no demo stores redirects in a database"),
    subtree("django/contrib/sessions", "no demo keeps sessions"),
    subtree("django/contrib/sitemaps", "no demo serves a sitemap"),
    subtree("django/contrib/sites", "no demo runs several sites"),
    subtree("django/contrib/syndication", "no demo serves feeds"),
    subtree("django/db/backends/mysql", "the browser has no MySQL client"),
    subtree("django/db/backends/oracle", "the browser has no Oracle client"),
    subtree("django/db/backends/postgresql", "the browser has no psycopg"),
    subtree("django/db/migrations", "no demo has a database to migrate"),
    subtree("django/core/management/commands", "no demo runs a manage.py command"),
    subtree("django/conf/app_template", "no demo runs startapp"),
    subtree("django/forms/jinja2", "Pyodide has no Jinja2, and no demo renders a form"),
)


def dropped_by(path: str) -> Drop | None:
    """The DROPPED entry that leaves this path of the wheel out, or None if it is kept."""
    return next((drop for drop in DROPPED if drop.matches(path)), None)


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever machine builds it, for the same bytes
    info.external_attr = 0o644 << 16
    return info


def write_slim(pinned: Path, target: Path) -> dict[str, int]:
    """Write the slim wheel of `pinned` to `target`; return the bytes dropped per entry label.

    Same name and version, files in the pinned order, fixed dates, and a RECORD rewritten
    for the files kept, so that installers and `pyodide lockfile` accept it as a wheel.
    """
    dropped = {drop.label: 0 for drop in DROPPED}
    record_lines = []
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(pinned) as source, zipfile.ZipFile(target, "w") as slim:
        record = next(name for name in source.namelist() if name.endswith(".dist-info/RECORD"))
        for info in source.infolist():
            if info.is_dir() or info.filename == record:
                continue
            if drop := dropped_by(info.filename):
                dropped[drop.label] += info.compress_size
                continue
            data = source.read(info)
            slim.writestr(_entry(info.filename), data, compresslevel=9)
            record_lines.append(f"{info.filename},{_record_hash(data)},{len(data)}")
        record_lines.append(f"{record},,")
        slim.writestr(_entry(record), "\n".join(record_lines) + "\n", compresslevel=9)
    return dropped


def slim_wheel(pinned: Path, cache: Path) -> Path:
    """The slim wheel of `pinned`, made once per pinned wheel and DROPPED table, then reused."""
    rules = json.dumps([[drop.pattern, drop.reason] for drop in DROPPED]).encode()
    key = hashlib.sha256(pinned.read_bytes() + rules).hexdigest()[:16]
    cached = cache / key / pinned.name
    if not cached.exists():
        partial = cached.with_suffix(".partial")
        write_slim(pinned, partial)
        partial.rename(cached)
    return cached


def _module_path(module: str) -> str:
    return module.replace(".", "/")


def _dotted(value: str) -> bool:
    return re.fullmatch(r"django(\.\w+)+", value) is not None


def named_modules(snippet: Path) -> list[tuple[int, str]]:
    """The django modules a snippet imports, with their lines.

    `from django.x import y` counts as django.x.y too, since y may be a module, and a
    string such as "django.middleware.common.CommonMiddleware" (settings, import_string)
    counts as the dotted path it names.
    """
    source = snippet.read_text(encoding="utf-8")
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # snippets may await at top
    tree = compile(source, str(snippet), "exec", flags=flags, dont_inherit=True)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _dotted(node.value):
            found.append((node.lineno, node.value))
    return sorted((line, name) for line, name in found if name.split(".")[0] == "django")


def stripped_imports(snippet: Path) -> list[str]:
    """Each django module the snippet names that the slim wheel drops, as a build error."""
    errors = []
    for line, module in named_modules(snippet):
        path = _module_path(module)
        drop = dropped_by(path + "/__init__.py") or dropped_by(path + ".py")
        if drop:
            errors.append(
                f"{snippet}:{line}: imports {module}, which the slim Django wheel drops "
                f"({drop.label}: {drop.reason}); keep it in sitebuild/pyodide/slim_django.py"
            )
    return errors


def demo_snippets(docs: Path = DOCS, snippets: Path = SNIPPETS) -> list[Path]:
    """Every snippet a page runs as a demo (a `.runnable` block's include), once each."""
    included = {
        include.partition(":")[0]
        for page in sorted(docs.glob("*/*.md"))
        for block in read(page).blocks
        if block.kind == Kind.RUNNABLE
        for include in block.includes
    }
    return [snippets / name for name in sorted(included)]


def demo_errors(docs: Path = DOCS, snippets: Path = SNIPPETS) -> list[str]:
    """Why the slim wheel cannot serve the site's demos: one line per stripped import."""
    return [
        error for snippet in demo_snippets(docs, snippets) for error in stripped_imports(snippet)
    ]
