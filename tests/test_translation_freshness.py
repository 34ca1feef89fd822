"""A page whose translation changed before its twin shows a notice pointing to the twin."""

import os
import shutil
import subprocess
import sys

from harness.paths import DOCS, ROOT
from sitebuild.freshness import lagging_pages


def git(repo, *args, when):
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def repo_with_history(tmp_path):
    """A copy of docs/ where en/wsgi.md was changed a day after everything else."""
    shutil.copytree(DOCS, tmp_path / "docs", ignore=shutil.ignore_patterns("assets"))
    git(tmp_path, "init", "-q", when="2026-01-01T00:00:00")
    git(tmp_path, "add", "docs", when="2026-01-01T00:00:00")
    git(tmp_path, "commit", "-qm", "both", when="2026-01-01T00:00:00")
    page = tmp_path / "docs" / "en" / "wsgi.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nA new English paragraph.\n", encoding="utf-8"
    )
    git(tmp_path, "commit", "-qam", "en only", when="2026-01-02T00:00:00")
    return tmp_path


def test_the_older_side_of_a_pair_is_found_from_git_history(tmp_path):
    repo = repo_with_history(tmp_path)
    assert lagging_pages(repo / "docs") == {"vi/wsgi.md": "en"}


def test_a_commit_marked_in_sync_keeps_both_sides_fresh(tmp_path):
    repo = repo_with_history(tmp_path)
    page = repo / "docs" / "vi" / "asgi.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSửa lỗi chính tả.\n", encoding="utf-8")
    git(
        repo,
        "commit",
        "-qam",
        "Fix a typo\n\nTranslations-in-sync: yes",
        when="2026-01-03T00:00:00",
    )
    assert lagging_pages(repo / "docs") == {"vi/wsgi.md": "en"}


def test_an_uncommitted_edit_counts_as_the_newest_change(tmp_path):
    repo = repo_with_history(tmp_path)
    page = repo / "docs" / "vi" / "wsgi.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMột đoạn mới.\n", encoding="utf-8")
    assert lagging_pages(repo / "docs") == {"en/wsgi.md": "vi"}


def test_pages_outside_git_are_never_marked(tmp_path):
    shutil.copytree(DOCS / "vi", tmp_path / "docs" / "vi")
    shutil.copytree(DOCS / "en", tmp_path / "docs" / "en")
    assert lagging_pages(tmp_path / "docs") == {}


def test_the_built_lagging_page_shows_the_notice_and_links_to_its_twin(tmp_path):
    repo = repo_with_history(tmp_path)
    (repo / "docs" / "assets").symlink_to(DOCS / "assets")
    for shared in ("overrides", "snippets", "sitebuild", "browser", "packages"):
        (repo / shared).symlink_to(ROOT / shared)
    (repo / "mkdocs.yml").write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "-f",
            str(repo / "mkdocs.yml"),
            "-d",
            str(repo / "out"),
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    vi = (repo / "out" / "wsgi" / "index.html").read_text(encoding="utf-8")
    en = (repo / "out" / "en" / "wsgi" / "index.html").read_text(encoding="utf-8")
    assert 'class="translation-lag"' in vi
    assert "chưa cập nhật theo bản tiếng Anh" in vi
    assert '<a href="../en/wsgi/" hreflang="en">' in vi
    assert "translation-lag" not in en
    assert "translation-lag" not in (repo / "out" / "asgi" / "index.html").read_text(
        encoding="utf-8"
    )
