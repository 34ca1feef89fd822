"""A diagram's source, shown until Mermaid draws it, can be scrolled by keyboard."""

import re

import pytest

from harness.site_pages import LANGUAGES, built_page

MERMAID_SOURCE = re.compile(r'<pre class="mermaid"><code(?P<attributes>[^>]*)>')


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_diagram_source_is_focusable_for_keyboard_scrolling(built_site, language):
    html = built_page(built_site, language, "basics").read_text(encoding="utf-8")
    sources = MERMAID_SOURCE.findall(html)
    assert sources, "the basics page has diagrams"
    assert all('tabindex="0"' in attributes for attributes in sources)
