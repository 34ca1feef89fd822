"""Both languages stay in step, and a broken page fails loudly with its file named."""

import os
import subprocess
import sys
from pathlib import Path

from harness.paths import DOCS, ROOT, SNIPPETS
from sitebuild.pages import read_page, site_errors


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_site(tmp_path, vi: str, en: str | None, snippets=("demo/ok.py",)):
    for name in snippets:
        write(tmp_path / "snippets" / name, "print('ok')\n")
    write(tmp_path / "docs" / "vi" / "page.md", vi)
    if en is not None:
        write(tmp_path / "docs" / "en" / "page.md", en)
    return tmp_path / "docs", tmp_path / "snippets"


RUNNABLE = '```python { .runnable }\n--8<-- "demo/ok.py"\n```\n'


def test_the_sites_pages_follow_every_rule():
    assert site_errors(DOCS, SNIPPETS) == []


def test_every_page_has_the_same_heading_ids_snippets_and_demos_as_its_twin():
    for vi_page in sorted((DOCS / "vi").glob("*.md")):
        vi, en = read_page(vi_page), read_page(DOCS / "en" / vi_page.name)
        assert vi.heading_ids == en.heading_ids, vi_page.name
        assert vi.includes == en.includes, vi_page.name
        assert vi.runnable_snippets == en.runnable_snippets, vi_page.name
        assert vi.labs == en.labs, vi_page.name


def test_a_page_without_its_twin_is_named(tmp_path):
    docs, snippets = make_site(tmp_path, "# Trang { #top }\n", None)
    assert site_errors(docs, snippets) == [
        f"{docs / 'vi' / 'page.md'}: no en twin at {docs / 'en' / 'page.md'}"
    ]


def test_a_heading_id_on_one_side_only_is_named(tmp_path):
    docs, snippets = make_site(
        tmp_path, "# Trang { #top }\n## Đường dẫn { #path }\n", "# Page { #top }\n"
    )
    assert site_errors(docs, snippets) == [
        f"{docs / 'vi' / 'page.md'}: heading ids missing from {docs / 'en' / 'page.md'}: path"
    ]


def test_a_heading_without_an_explicit_id_is_named_with_its_line(tmp_path):
    docs, snippets = make_site(tmp_path, "# Trang { #top }\n\n## Đường dẫn\n", "# Page { #top }\n")
    errors = site_errors(docs, snippets)
    assert any(
        f"{docs / 'vi' / 'page.md'}:3: heading 'Đường dẫn' has no explicit id" in e for e in errors
    )


def test_a_missing_snippet_is_named(tmp_path):
    page = '# T { #top }\n```python { .runnable }\n--8<-- "demo/gone.py"\n```\n'
    docs, snippets = make_site(tmp_path, page, page)
    errors = site_errors(docs, snippets)
    assert (
        f"{docs / 'vi' / 'page.md'}:2: snippet file not found: {snippets / 'demo/gone.py'}"
        in errors
    )


def test_a_named_section_of_a_snippet_is_found_and_a_missing_one_is_named(tmp_path):
    page = '# T {{ #top }}\n```python\n--8<-- "demo/ok.py:{}"\n```\n'
    docs, snippets = make_site(tmp_path, page.format("setup"), page.format("gone"))
    (snippets / "demo/ok.py").write_text("# --8<-- [start:setup]\nx = 1\n# --8<-- [end:setup]\n")
    errors = site_errors(docs, snippets)
    missing = (
        f"{docs / 'en' / 'page.md'}:2: snippet section 'gone' not found in "
        f"{snippets / 'demo/ok.py'} (needs [start:gone] and [end:gone])"
    )
    assert missing in errors
    assert not any("page.md:2" in error and missing not in error for error in errors), errors


def test_runnable_blocks_in_a_different_order_are_reported(tmp_path):
    other = '```python { .runnable }\n--8<-- "demo/two.py"\n```\n'
    docs, snippets = make_site(
        tmp_path,
        "# T { #top }\n" + RUNNABLE + other,
        "# T { #top }\n" + other + RUNNABLE,
        snippets=("demo/ok.py", "demo/two.py"),
    )
    assert any("snippet includes differ" in e for e in site_errors(docs, snippets))


def test_a_real_build_with_a_missing_snippet_fails_and_names_the_file(tmp_path):
    for language in ("vi", "en"):
        for chapter in (DOCS / language).glob("*.md"):
            write(tmp_path / "docs" / language / chapter.name, chapter.read_text(encoding="utf-8"))
    write(
        tmp_path / "docs" / "vi" / "wsgi.md",
        '# WSGI { #top }\n```python { .runnable }\n--8<-- "wsgi/no-such-file.py"\n```\n',
    )
    (tmp_path / "docs" / "assets").symlink_to(DOCS / "assets")
    for shared in ("overrides", "snippets", "sitebuild", "browser", "packages"):
        (tmp_path / shared).symlink_to(ROOT / shared)
    config = write(tmp_path / "mkdocs.yml", f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\n")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert build.returncode != 0
    assert "wsgi/no-such-file.py" in build.stderr
    assert str(tmp_path / "docs" / "vi" / "wsgi.md") in build.stderr


def test_a_lab_block_with_two_snippets_is_named_with_its_line(tmp_path):
    page = '# T { #top }\n```json { .lab }\n--8<-- "demo/ok.py"\n--8<-- "demo/ok.py"\n```\n'
    docs, snippets = make_site(tmp_path, page, page)
    errors = site_errors(docs, snippets)
    assert any(
        e.startswith(f"{docs / 'vi' / 'page.md'}:2: a lab block must include exactly one snippet")
        for e in errors
    )
