"""ProperDocs, the drop-in MkDocs 1.x fork, builds the same site from the same mkdocs.yml.

It is the way out should MkDocs 1.x stop installing (README, "Maintainers"). Pages carry no
build time; the one build-dependent part of a page is the generator meta tag.
"""

import re
from pathlib import Path

import pytest

from harness.static_site import build_site

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
MAIN_CONTENT = re.compile(r"<article\b.*?</article>", re.DOTALL)


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory):
    """The site built with `properdocs build --strict`, same config, hook and plugins."""
    site = tmp_path_factory.mktemp("properdocs-site")
    try:
        return build_site(site, generator="properdocs")
    except RuntimeError as error:
        pytest.fail(f"ProperDocs cannot build this site: {error}")


def files(site: Path) -> set[str]:
    return {str(path.relative_to(site)) for path in site.rglob("*") if path.is_file()}


def pages(site: Path) -> list[str]:
    return sorted(name for name in files(site) if name.endswith(".html"))


def main_content(html: str) -> str:
    found = MAIN_CONTENT.search(html)
    assert found, "page without <article>"
    return found.group()


def test_properdocs_writes_the_same_files_as_mkdocs(built_site, properdocs_site):
    assert files(properdocs_site) == files(built_site)


def test_every_page_has_the_same_main_content_in_both_builds(built_site, properdocs_site):
    assert pages(built_site), "the MkDocs build has no page"
    different = [
        page
        for page in pages(built_site)
        if main_content((properdocs_site / page).read_text())
        != main_content((built_site / page).read_text())
    ]
    assert different == []


def test_pages_differ_in_nothing_but_the_generator_meta_tag(built_site, properdocs_site):
    def normalised(site: Path, page: str) -> str:
        return GENERATOR.sub("<meta generator>", (site / page).read_text())

    different = [
        page
        for page in pages(built_site)
        if normalised(properdocs_site, page) != normalised(built_site, page)
    ]
    assert different == []
