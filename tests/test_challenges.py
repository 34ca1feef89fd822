"""Every challenge's answer key agrees with what the code and the model actually do."""

import asyncio
import html
import json
import re
import time
import tomllib
from pathlib import Path

import pytest
import serverlab
from pyrunner import browser, checks

from harness.paths import DOCS, SNIPPETS
from harness.site_pages import CHAPTERS, LANGUAGES, built_page
from harness.snippet_files import challenge_files, expected_output
from sitebuild import challenges, fences
from sitebuild.fences import Kind

FILES = challenge_files()

# Every chapter ends with challenges but the home page (it shows the progress instead),
# the glossary (a reference) and the benchmarks page (measurements, no lesson of its own).
WITHOUT = {"index", "glossary", "benchmarks"}
# A choice blocks the loop when, for most of its wait, no other task ran: an await that
# only hands the loop back sees gaps of scheduling delay, tens of ms on a loaded machine.
BLOCKED_SHARE = 0.7


def challenge_id(path: Path) -> str:
    return path.stem


def blocks_the_loop(code: str) -> bool:
    """Whether a choice's `view()` keeps other tasks from running while it waits."""
    namespace = {"asyncio": asyncio, "time": time}
    exec(code, namespace)
    longest, seconds = asyncio.run(checks.longest_block(namespace["view"]()))
    return longest >= BLOCKED_SHARE * seconds


def checked_run(snippet: str, check: str) -> dict:
    """Run a snippet as the worker does, through pyrunner.browser, with a challenge's check."""
    source = (SNIPPETS / snippet).read_text(encoding="utf-8")
    return asyncio.run(
        browser.run(source, lambda stream, text: None, lambda data: None, None, check)
    )


def test_there_are_challenge_files():
    assert len(FILES) >= 2


@pytest.mark.parametrize("path", FILES, ids=challenge_id)
def test_each_challenge_file_loads_and_its_answer_is_worked_out(path):
    challenge = challenges.load(path, SNIPPETS)
    assert challenge.question["vi"] != challenge.question["en"]
    if challenge.kind != "fix":
        assert challenge.answer


@pytest.mark.parametrize("path", challenge_files("predict"), ids=challenge_id)
def test_a_predict_answer_is_serverlabs_result_for_its_preset(path):
    challenge = challenges.load(path, SNIPPETS)
    preset = json.loads((SNIPPETS / challenge.preset).read_text(encoding="utf-8"))
    spec = tomllib.loads(path.read_text(encoding="utf-8"))["predict"]
    figures = [serverlab.simulate(**s).to_dict()[spec["metric"]] for s in preset["setups"]]
    if "compare" in spec:
        best = min(figures) if spec["compare"] == "lowest" else max(figures)
        assert challenge.answer == challenges.CHOICE_IDS[figures.index(best)]
    elif "choices" in spec:
        assert spec["choices"][challenges.CHOICE_IDS.index(challenge.answer)] == figures[0]
    else:
        assert float(challenge.answer) == figures[0]


@pytest.mark.parametrize("path", challenge_files("pick"), ids=challenge_id)
def test_a_pick_answer_is_the_one_choice_that_does_what_the_question_asks(path):
    challenge = challenges.load(path, SNIPPETS)
    if challenge.verify == "blocks-loop":
        blocking = [c.id for c in challenge.choices if blocks_the_loop(c.code)]
        assert blocking == [challenge.answer]
    else:
        printed = expected_output(SNIPPETS / challenge.snippet).strip()
        matching = [c.id for c in challenge.choices if c.code.strip() == printed]
        assert matching == [challenge.answer]


@pytest.mark.parametrize("path", challenge_files("fix"), ids=challenge_id)
def test_a_fix_challenges_solution_passes_its_check_and_its_starter_does_not(path):
    challenge = challenges.load(path, SNIPPETS)
    starter = checked_run(challenge.starter, challenge.check)
    solution = checked_run(challenge.solution, challenge.check)
    assert starter["status"] == solution["status"] == "ok"
    assert starter["verdict"]["passed"] is False
    assert solution["verdict"]["passed"] is True
    for verdict in (starter["verdict"], solution["verdict"]):
        assert set(verdict["messages"]) == {"vi", "en"}


def test_a_check_reports_a_view_that_raises_as_a_failed_verdict_not_an_error():
    source = (
        "async def dashboard():\n    raise ValueError('boom')\nasync def fetch(n):\n    return n\n"
    )
    check = json.dumps(
        {"name": "waits-overlap", "view": "dashboard", "call": "fetch", "expected": [1]}
    )
    result = asyncio.run(browser.run(source, lambda s, t: None, lambda d: None, None, check))
    assert result["status"] == "ok"
    assert result["verdict"]["passed"] is False
    assert "ValueError: boom" in result["verdict"]["messages"]["en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("chapter", sorted(set(CHAPTERS) - WITHOUT))
def test_every_chapter_ends_with_two_to_four_challenges(language, chapter):
    document = fences.read(DOCS / language / f"{chapter}.md")
    blocks = [b for b in document.blocks if b.kind == Kind.CHALLENGE]
    assert 2 <= len(blocks) <= 4
    ids = [h.id for h in document.headings]
    assert "challenges" in ids
    after = ids[ids.index("challenges") + 1 :]
    assert after in ([], ["sources"]), "only the sources may follow the challenges"
    section = next(h.line for h in document.headings if h.id == "challenges")
    assert all(b.line > section for b in blocks)


def test_every_challenge_file_is_used_on_exactly_one_page_in_each_language():
    for language in LANGUAGES:
        used = [
            Path(b.includes[0]).stem
            for page in sorted((DOCS / language).glob("*.md"))
            for b in fences.read(page).blocks
            if b.kind == Kind.CHALLENGE
        ]
        assert sorted(used) == sorted(p.stem for p in FILES)


def write_challenge(folder: Path, text: str) -> Path:
    path = folder / "challenges" / "page-broken.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PREDICT_TEXT = """kind = "predict"
teaches = "models"
question = {{ vi = "Bao lâu?", en = "How long?" }}
explanation = {{ vi = "Vì vậy.", en = "Because." }}
[predict]
preset = "lab/challenge-concurrency-sync-rounds.json"
metric = "makespan_ms"
choices = {choices}
"""


def test_a_predict_whose_choices_miss_the_models_answer_fails_naming_the_file(tmp_path):
    (tmp_path / "lab").mkdir()
    preset = SNIPPETS / "lab" / "challenge-concurrency-sync-rounds.json"
    (tmp_path / "lab" / preset.name).write_text(preset.read_text(encoding="utf-8"))
    path = write_challenge(tmp_path, PREDICT_TEXT.format(choices="[100, 200, 600]"))
    with pytest.raises(
        challenges.ChallengeError, match=re.escape("page-broken.toml: serverlab gives")
    ):
        challenges.load(path, tmp_path)


def test_a_challenge_missing_a_language_fails_naming_the_file_and_the_key(tmp_path):
    text = PREDICT_TEXT.format(choices="[300]").replace(', en = "How long?"', "")
    path = write_challenge(tmp_path, text)
    with pytest.raises(
        challenges.ChallengeError, match=re.escape("page-broken.toml: 'question' needs")
    ):
        challenges.load(path, tmp_path)


def test_a_challenge_that_teaches_a_section_the_page_lacks_fails_naming_it():
    path = SNIPPETS / "challenges" / "concurrency-spot-blocking.toml"
    with pytest.raises(challenges.ChallengeError, match="names #event-loop, not a section"):
        challenges.render(path, "en", SNIPPETS, {"gil": "The GIL"}, 1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_built_challenge_is_a_form_with_its_answer_closed_beside_it(built_site, language):
    for page in sorted((DOCS / language).glob("*.md")):
        slugs = challenges.page_challenges(fences.read(page))
        if not slugs:
            continue
        built = built_page(built_site, language, page.stem).read_text(encoding="utf-8")
        for slug in slugs:
            form = re.search(rf'<form class="challenge"[^>]* id="challenge-{slug}"', built)
            assert form, f"{page.stem}: no form for {slug}"
            assert f'<details class="challenge-answer" id="challenge-{slug}-answer">' in built
        assert built.count('<form class="challenge"') == len(slugs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_lists_every_chapter_with_challenges_and_their_slugs(built_site, language):
    home = built_page(built_site, language, "index").read_text(encoding="utf-8")
    listed = re.findall(r'<li data-challenges="([^"]+)">', home)
    pages = [fences.read(DOCS / language / f"{chapter}.md") for chapter in CHAPTERS]
    expected = [slugs for page in pages if (slugs := challenges.page_challenges(page))]
    assert [json.loads(html.unescape(item)) for item in listed] == expected


def test_search_finds_a_challenges_question_but_not_its_answer(built_site):
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    challenge = challenges.load(
        SNIPPETS / "challenges" / "concurrency-spot-blocking.toml", SNIPPETS
    )
    question = challenge.question["en"].split("`")[-1].strip()[:40]
    assert question.replace('"', '\\"') in index
    explanation = challenge.explanation["en"].split("`")[-1].strip()[:40]
    assert explanation not in index
