"""Which translated page lags behind its twin, from the git history of docs/.

A page whose last change is older than its twin's may be missing what was added on the
other side; the build shows a short notice on it. Uncommitted edits count as newest. A
commit with the trailer `Translations-in-sync: yes` (a fix that needs no translation, such
as a typo) counts as a change to both sides of every page it touches.
"""

import subprocess
import time
from pathlib import Path

from mkdocs.utils import get_relative_url

NOTICES = {
    "vi": "Trang này có thể chưa cập nhật theo bản tiếng Anh mới hơn.",
    "en": "This page may be behind its newer Vietnamese version.",
}
LINKS = {"vi": "Xem bản tiếng Anh", "en": "See the Vietnamese version"}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def last_changes(docs: Path) -> dict[str, float]:
    """Last change time of every Markdown file under `docs`, keyed 'vi/wsgi.md'.

    Empty when `docs` is not in a git work tree (then nothing is marked as lagging).
    """
    try:
        top = Path(_git(docs, "rev-parse", "--show-toplevel").strip())
    except (OSError, subprocess.CalledProcessError):
        return {}
    prefix = docs.resolve().relative_to(top.resolve()).as_posix() + "/"
    times: dict[str, float] = {}
    stamp, in_sync = 0.0, False
    log_format = "--format=@%ct %(trailers:key=Translations-in-sync,valueonly,separator=)"
    for line in _git(top, "log", log_format, "--name-only", "--", prefix).splitlines():
        if line.startswith("@"):
            stamp_text, _, trailer = line[1:].partition(" ")
            stamp, in_sync = float(stamp_text), trailer.strip().lower() == "yes"
        elif line.startswith(prefix) and line.endswith(".md"):
            name = line[len(prefix) :]
            times.setdefault(name, stamp)  # the newest commit comes first
            if in_sync:
                rest = name.partition("/")[2]
                for twin in ("vi", "en"):
                    times.setdefault(f"{twin}/{rest}", stamp)
    for line in _git(top, "status", "--porcelain", "--", prefix).splitlines():
        path = line[3:].strip()
        if path.startswith(prefix) and path.endswith(".md"):
            times[path[len(prefix) :]] = time.time()
    return times


def lagging_pages(docs: Path, languages: tuple[str, str] = ("vi", "en")) -> dict[str, str]:
    """'vi/wsgi.md' -> 'en' when the Vietnamese page changed before its English twin."""
    times = last_changes(docs)
    lagging = {}
    first, second = languages
    for key, when in times.items():
        language, _, name = key.partition("/")
        if language not in languages:
            continue
        other = second if language == first else first
        twin = times.get(f"{other}/{name}")
        if twin is not None and twin > when:
            lagging[key] = other
    return lagging


def notice_html(language: str, twin_url: str) -> str:
    """The short notice shown at the top of a lagging page, linking to its twin."""
    return (
        f'<p class="translation-lag" role="note">{NOTICES[language]} '
        f'<a href="{twin_url}" hreflang="{"en" if language == "vi" else "vi"}">'
        f"{LINKS[language]}</a></p>"
    )


def page_notice(page, lagging: dict[str, str]) -> str:
    """The notice for a built MkDocs page when it lags behind its twin, or nothing."""
    other = lagging.get(page.file.src_uri)
    twin = getattr(page.file, "alternates", {}).get(other)
    if not other or twin is None:
        return ""
    return notice_html(page.file.src_uri.split("/")[0], get_relative_url(twin.url, page.url))
