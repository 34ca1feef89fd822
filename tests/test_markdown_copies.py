"""The pages' Markdown copies (index.md beside each page) and each language's llms.txt."""

import re
import urllib.request
from pathlib import Path

import pytest
from test_site_language import vietnamese_share

from harness.paths import DOCS, ROOT
from harness.site_pages import CHAPTERS, LANGUAGES, built_page
from sitebuild.fences import Kind, read
from sitebuild.figures import FIGURE

SNIPPETS = ROOT / "snippets"
LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.S | re.M)


def copy_of(site: Path, language: str, chapter: str) -> str:
    return (built_page(site, language, chapter).parent / "index.md").read_text(encoding="utf-8")


def built_pages(site: Path, language: str) -> set[Path]:
    """The folders of every built page of a language (vi at the root, other languages under it)."""
    root = site / LANGUAGES[language]
    others = [site / folder for lang, folder in LANGUAGES.items() if folder and lang != language]
    pages = set()
    for page in root.rglob("index.html"):
        if page.parent.name in ("assets", "pyodide", "search") or any(
            page.is_relative_to(other) for other in others
        ):
            continue
        pages.add(page.parent)
    return pages


def resolves(site: Path, folder: Path, target: str) -> bool:
    """Whether a relative link, read from a file in `folder`, names a file of the built site."""
    path = (folder / target.split("#")[0]).resolve()
    return path.is_relative_to(site.resolve()) and (
        path.is_file() or (path / "index.html").is_file()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_built_page_has_its_markdown_copy_beside_it(built_site, language):
    pages = built_pages(built_site, language)
    assert len(pages) >= len(CHAPTERS)
    missing = [page for page in pages if not (page / "index.md").is_file()]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_copy_has_no_include_line_and_no_unfilled_figure(built_site, language, chapter):
    text = copy_of(built_site, language, chapter)
    assert "--8<--" not in text
    assert FIGURE.search(text) is None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_copy_holds_each_runnable_snippet_and_its_expected_output(built_site, language, chapter):
    text = copy_of(built_site, language, chapter)
    runnables = [
        b for b in read(DOCS / language / f"{chapter}.md").blocks if b.kind == Kind.RUNNABLE
    ]
    for block in runnables:
        code = (SNIPPETS / block.includes[0]).read_text(encoding="utf-8")
        output = (SNIPPETS / block.includes[0]).with_suffix(".out").read_text(encoding="utf-8")
        if "--8<--" not in code:  # section markers are dropped, as the page drops them
            assert code.rstrip("\n") in text, block.includes[0]
        assert f"```text\n{output.rstrip()}\n```" in text, block.includes[0]


def test_the_concurrency_copy_shows_its_first_demo_word_for_word(built_site):
    demo = next(b for b in read(DOCS / "en" / "concurrency.md").blocks if b.kind == Kind.RUNNABLE)
    code = (SNIPPETS / demo.includes[0]).read_text(encoding="utf-8").rstrip("\n")
    assert f"```python\n{code}\n```\n\nOutput:\n\n```text\n" in copy_of(
        built_site, "en", "concurrency"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_relative_link_of_a_copy_resolves_from_its_folder(built_site, language, chapter):
    folder = built_page(built_site, language, chapter).parent
    prose = FENCE.sub("", copy_of(built_site, language, chapter))
    targets = [m["target"] for m in LINK.finditer(prose) if not re.match(r"[a-z]+:", m["target"])]
    assert targets, "a chapter links to other pages"
    assert [t for t in targets if not resolves(built_site, folder, t)] == []


def llms_links(site: Path, language: str) -> list[str]:
    return LINK.findall((site / LANGUAGES[language] / "llms.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_in_llms_txt_names_a_file_of_the_built_site(built_site, language):
    folder = built_site / LANGUAGES[language]
    links = llms_links(built_site, language)
    assert links and [t for t in links if not resolves(built_site, folder, t)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_llms_txt_lists_every_page_of_its_language_exactly_once(built_site, language):
    folder = built_site / LANGUAGES[language]
    links = [t for t in llms_links(built_site, language) if t.endswith("index.md")]
    copies = [(folder / t).resolve().parent for t in links]
    assert sorted(copies) == sorted(page.resolve() for page in built_pages(built_site, language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_llms_txt_opens_with_the_site_name_and_summary_and_links_the_other_language(
    built_site, language
):
    text = (built_site / LANGUAGES[language] / "llms.txt").read_text(encoding="utf-8")
    home = built_page(built_site, language, "index").read_text(encoding="utf-8")
    name, summary = re.match(r"# (.+)\n\n> (.+)\n", text).groups()
    assert re.search(r"<title>([^<]*)</title>", home)[1].endswith(name)
    assert f'<meta name="description" content="{summary}">' in home
    others = [t for t in llms_links(built_site, language) if t.endswith("llms.txt")]
    assert len(others) == len(LANGUAGES) - 1


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_vietnamese_copy_is_written_in_vietnamese(built_site, chapter):
    vi = vietnamese_share(FENCE.sub("", copy_of(built_site, "vi", chapter)))
    en = vietnamese_share(FENCE.sub("", copy_of(built_site, "en", chapter)))
    assert vi > 0.2 and en < vi / 4


def test_the_site_server_sends_a_copy_as_utf8_markdown(site_url):
    with urllib.request.urlopen(site_url + "en/concurrency/index.md") as response:
        assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
        assert response.read().decode("utf-8").startswith("# Concurrency")
