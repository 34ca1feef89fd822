"""The Vietnamese pages follow the house style: newer tone marks, each term glossed once."""

import re

from harness.paths import ROOT

VI = ROOT / "docs" / "vi"
GLOSSARY = VI / "glossary.md"

# The newer placement puts the mark on the first vowel of an open "oa", "oe" or "uy"
# (hóa, khóa, hòe, thủy), the older one on the second (hoá, khoá, hoè, thuỷ). With a
# final consonant both styles agree (hoàn, toán), and after "q" the "u" is part of the
# consonant (quý), so neither counts.
OLD_TONE_MARK = re.compile(r"(?<![qQ])(?:[oO][áàảãạéèẻẽẹ]|[uU][ýỳỷỹỵ])(?![^\W\d_])")

# A glossary row whose Vietnamese term carries a rendering: "| process (tiến trình) | ...".
GLOSSED_TERM = re.compile(r"^\| ([^|(]+?) \(([^|)]+)\) \|", re.MULTILINE)


def old_tone_marks(text: str) -> list[str]:
    return [m.group(0) for m in OLD_TONE_MARK.finditer(text)]


def glosses() -> dict[str, str]:
    """Each glossed term of the Vietnamese glossary and its rendering."""
    return {m.group(2): m.group(1) for m in GLOSSED_TERM.finditer(GLOSSARY.read_text("utf-8"))}


def test_vietnamese_pages_use_the_newer_tone_mark_placement():
    found = {
        page.name: old_tone_marks(page.read_text("utf-8"))
        for page in sorted(VI.glob("*.md"))
        if old_tone_marks(page.read_text("utf-8"))
    }
    assert found == {}


def test_the_tone_mark_check_tells_the_two_placements_apart():
    assert old_tone_marks("tối ưu hoá, khoá, tuỳ, thuỷ, hoè") == ["oá", "oá", "uỳ", "uỷ", "oè"]
    assert old_tone_marks("tối ưu hóa, khóa, tùy, thủy, hoàn toàn, quý, toán") == []


def test_a_term_is_glossed_only_in_the_glossary():
    repeated = {
        f"{page.name}: {term} ({gloss})"
        for gloss, term in glosses().items()
        for page in sorted(VI.glob("*.md"))
        if page != GLOSSARY and f"({gloss})" in page.read_text("utf-8")
    }
    assert sorted(repeated) == []


def test_the_glossary_gives_renderings_to_check():
    assert glosses()["tiến trình"] == "process"
