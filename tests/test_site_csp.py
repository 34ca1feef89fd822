"""Every built page carries a strict Content-Security-Policy that allows its own inline scripts."""

import re

import pytest

from harness.site_pages import CHAPTERS, LANGUAGES, built_page
from sitebuild.csp import inline_script_hashes, policy_for, with_policy

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]+)">')
PAGES = [(language, chapter) for language in LANGUAGES for chapter in CHAPTERS]


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split("; "))}


@pytest.mark.parametrize(("language", "chapter"), PAGES)
def test_every_page_carries_its_policy_before_any_script(built_site, language, chapter):
    html = built_page(built_site, language, chapter).read_text(encoding="utf-8")
    meta = META.search(html)
    assert meta, "no Content-Security-Policy <meta>"
    assert html.find("<script") > meta.end(), "a script comes before the policy"
    assert len(META.findall(html)) == 1


@pytest.mark.parametrize(("language", "chapter"), PAGES)
def test_scripts_run_only_from_the_site_and_by_hash(built_site, language, chapter):
    html = built_page(built_site, language, chapter).read_text(encoding="utf-8")
    policy = directives(META.search(html)["policy"])
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert [s for s in scripts if not s.startswith("'sha256-")] == ["'self'", "'wasm-unsafe-eval'"]
    page_without_policy = META.sub("", html)
    assert sorted(s for s in scripts if s.startswith("'sha256-")) == sorted(
        inline_script_hashes(page_without_policy)
    )
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["worker-src"] == policy["connect-src"] == ["'self'"]


def test_the_404_page_carries_the_policy_too(built_site):
    assert META.search((built_site / "404.html").read_text(encoding="utf-8"))


def test_an_inline_script_is_allowed_by_the_hash_of_exactly_its_text():
    page = '<html><head><meta charset="utf-8"><script>let a = 1;</script></head></html>'
    # printf 'let a = 1;' | openssl dgst -sha256 -binary | base64
    assert inline_script_hashes(page) == ["'sha256-xY6QKfH9PRsQnLz56nj6MBwiK5oHg+im1Jkpdp1x/Ck='"]
    assert "'sha256-xY6QKfH9PRsQnLz56nj6MBwiK5oHg+im1Jkpdp1x/Ck='" in policy_for(page)


def test_data_blocks_and_scripts_with_a_source_need_no_hash():
    page = (
        '<meta charset="utf-8"><script id="__config" type="application/json">{}</script>'
        '<script src="a.js"></script>'
    )
    assert inline_script_hashes(page) == []


def test_a_page_without_a_charset_meta_fails_the_build_loudly():
    with pytest.raises(ValueError, match="meta charset"):
        with_policy("<html><head><script>1</script></head></html>")
