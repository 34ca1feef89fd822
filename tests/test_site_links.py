"""Every internal link and anchor resolves, in both languages."""

from sitebuild.links import broken_links, external_links


def test_every_internal_link_and_anchor_resolves(built_site):
    assert broken_links(built_site) == []


def test_a_broken_anchor_is_reported_with_its_page(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2><a href="../b/#gone">b</a>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<a href="../a/#here">a</a><a href="../c/">c</a>')
    assert broken_links(tmp_path) == [
        "a/index.html: ../b/#gone (no #gone)",
        "b/index.html: ../c/ (no file)",
    ]


def test_primary_sources_are_listed_as_external_links(built_site):
    links = external_links(built_site)
    assert "https://peps.python.org/pep-3333/" in links
    assert any(url.startswith("https://docs.djangoproject.com/") for url in links)
