"""The build draws every lab preset's timeline into its page, in both languages."""

import html
import json
import re
from collections import Counter

import pytest
from serverlab.scenario import LANGUAGES, PARAMETER, SEGMENT_KINDS, setup_label

from harness.paths import DOCS, SNIPPETS
from sitebuild.fences import Kind, read
from sitebuild.lab_pictures import prefix

LANGUAGE_ROOT = {"vi": "", "en": "en/"}


def page_labs():
    """(language, page file, preset) for every `.lab` block of every page."""
    for language in LANGUAGES:
        for markdown in sorted((DOCS / language).glob("*.md")):
            for block in read(markdown).blocks:
                if block.kind is Kind.LAB:
                    yield language, markdown.stem, block.includes[0]


LABS = list(page_labs())


def built_page(site, language, stem):
    folder = "" if stem == "index" else f"{stem}/"
    return (site / LANGUAGE_ROOT[language] / folder / "index.html").read_text(encoding="utf-8")


def static_part(page, preset_name):
    """The lab's part that readers see before any script: from its data to its table's end."""
    start = page.index(f'data-preset="{preset_name}"')
    return page[start : page.index("</table>", start)]


def setups_of(preset):
    preset = json.loads((SNIPPETS / preset).read_text(encoding="utf-8"))
    return [{k: v for k, v in s.items() if k in PARAMETER} for s in preset["setups"]]


def test_every_page_with_a_lab_is_checked_in_both_languages():
    assert {language for language, _, _ in LABS} == set(LANGUAGES)
    assert len(LABS) >= 2 * len(LANGUAGES)


@pytest.mark.parametrize(("language", "stem", "preset"), LABS, ids=lambda v: str(v))
def test_every_presets_timeline_is_in_the_built_page_before_any_script(
    built_site, language, stem, preset
):
    name = preset.removeprefix("lab/")
    static = static_part(built_page(built_site, language, stem), name)
    assert '<div class="lab-static"><div class="lab-pictures">' in static, "shown, not hidden"
    pictures = static.split('<div class="lab-picture"')[1:]
    setups = setups_of(preset)
    assert len(pictures) == len(setups)
    for index, (setup, picture) in enumerate(zip(setups, pictures, strict=True)):
        label = html.escape(setup_label(setup))
        assert picture.startswith(f' role="group" aria-label="{label}"')
        svg = re.search(r'<svg viewBox="[^"]+" role="img" aria-label="([^"]+)"', picture)
        assert svg and label in svg[1], "the timeline is named by its setup and numbers"
        assert 'class="lab-bar"' in picture
        assert f'id="{prefix(name, index)}-hatch"' in picture
        for kind in SEGMENT_KINDS.values():
            assert f"{html.escape(kind[language])}</span>" in picture


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_id_appears_twice_on_a_built_page_with_labs(built_site, language):
    for stem in sorted({stem for lang, stem, _ in LABS if lang == language}):
        ids = Counter(re.findall(r'\sid="([^"]+)"', built_page(built_site, language, stem)))
        assert [i for i, n in ids.items() if n > 1] == [], f"{language}/{stem}"
