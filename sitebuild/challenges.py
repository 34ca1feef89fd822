"""Challenges: read one from snippets/challenges/, work out its answer, render its form.

A challenge file is TOML with both languages' words side by side. Its kind decides where
the right answer comes from:
- predict: a lab preset's result from `serverlab` (never typed): a number, or a choice
  among typed numbers that must contain it, or the setup with the lowest or highest figure;
- pick: a typed answer among choices, which tests/test_challenges.py verifies by running
  each choice's code (`verify = "blocks-loop"`) or against a snippet's output (`"output"`);
- fix: a runnable starter the reader edits until pyrunner's check (pyrunner.checks) passes;
  the solution file, shown in the answer, must pass it and the starter must not.

The form is Markdown with HTML (md_in_html), so the page's own Markdown renders the
question, code and explanation exactly as it renders the rest of the page.
"""

import html
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import serverlab
from pyrunner.checks import CHECKS
from serverlab import scenario

from sitebuild import fences
from sitebuild.fences import Kind
from sitebuild.labs import render_lab
from sitebuild.runnable import runnable_markdown

VERIFY = ("blocks-loop", "output")
COMPARE = {"lowest": min, "highest": max}
LANGUAGES = scenario.LANGUAGES
# A number answer within this fraction of the model's counts as right: the reader reasons
# in round figures (about 300 ms), not to the millisecond.
TOLERANCE = 0.1
CHOICE_IDS = "abcdefgh"
# Material's search leaves out what carries this: the answers, the reasons and the choices'
# code would grow the index every first visit fetches before intent, and a search must not
# hand out answers. The question stays searchable.
NOT_SEARCHED = "data-search-exclude"

# The words the build writes into a challenge; the page script's own (Check, feedback,
# progress) are in browser/challenge-strings.js.
LABELS = {
    "challenge": {"vi": "Thử thách", "en": "Challenge"},
    "answer": {"vi": "Đáp án và giải thích", "en": "Answer and explanation"},
    "right_answer": {"vi": "Đáp án", "en": "Answer"},
    "your_answer": {"vi": "Câu trả lời của bạn", "en": "Your answer"},
    "section": {"vi": "Phần liên quan", "en": "Where this is explained"},
    "solution": {"vi": "Một lời giải", "en": "One solution"},
    "try_lab": {
        "vi": "Đổi tham số rồi nhấn Mô phỏng để xem dòng thời gian thay đổi ra sao.",
        "en": "Change the parameters and press Simulate to see how the timeline moves.",
    },
    "progress": {"vi": "{n} thử thách", "en": "{n} challenges"},
}


class ChallengeError(ValueError):
    """A challenge file the build cannot use; the message names the file and the fault."""


@dataclass(frozen=True)
class Choice:
    """One option of a pick or predict challenge; `text` and `why` are per language."""

    id: str
    text: dict[str, str] = field(default_factory=dict)
    code: str = ""
    why: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Challenge:
    """A challenge as authored, with its right answer worked out."""

    slug: str
    kind: str
    teaches: str
    question: dict[str, str]
    explanation: dict[str, str]
    answer: str
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    preset: str = ""
    starter: str = ""
    solution: str = ""
    check: str = ""  # pyrunner.checks: {"name": ..., and the check's arguments} as JSON
    verify: str = ""
    snippet: str = ""


def _words(data: dict, key: str, path: Path) -> dict[str, str]:
    words = data.get(key)
    if not isinstance(words, dict) or any(not words.get(lang) for lang in LANGUAGES):
        raise ChallengeError(f"{path}: '{key}' needs text in {', '.join(LANGUAGES)}")
    return {lang: words[lang].strip() for lang in LANGUAGES}


def _choices(data: dict, path: Path) -> tuple[Choice, ...]:
    choices = []
    for number, raw in enumerate(data.get("choices", [])):
        text = {lang: raw["text"][lang].strip() for lang in LANGUAGES} if "text" in raw else {}
        why = {lang: raw["why"][lang].strip() for lang in LANGUAGES} if "why" in raw else {}
        if not text and not raw.get("code"):
            raise ChallengeError(f"{path}: choice {number + 1} has neither text nor code")
        choices.append(Choice(CHOICE_IDS[number], text, raw.get("code", "").strip("\n"), why))
    return tuple(choices)


def _figure(value: float) -> str:
    return f"{value:g}"


def _predicted(data: dict, path: Path, snippets: Path) -> dict:
    """A predict challenge's answer, unit and choices, from serverlab's result for its preset."""
    spec = data.get("predict") or {}
    metric = spec.get("metric")
    if metric not in scenario.METRICS:
        raise ChallengeError(f"{path}: predict.metric must be one of {', '.join(scenario.METRICS)}")
    preset_path = snippets / spec.get("preset", "")
    preset = json.loads(preset_path.read_text(encoding="utf-8"))
    setups = [{k: s[k] for k in scenario.PARAMETER if k in s} for s in preset["setups"]]
    figures = [serverlab.simulate(**setup).to_dict()[metric] for setup in setups]
    unit = scenario.METRICS[metric][1]
    found = {"preset": spec["preset"], "unit": unit, "figures": figures}
    if compare := spec.get("compare"):
        if compare not in COMPARE or len(setups) < 2:
            raise ChallengeError(
                f"{path}: predict.compare needs 2+ setups and one of {list(COMPARE)}"
            )
        best = COMPARE[compare](figures)
        if figures.count(best) > 1:
            raise ChallengeError(
                f"{path}: two setups tie on {metric} ({_figure(best)}): no single answer"
            )
        labels = [scenario.setup_label(setup) for setup in setups]
        choices = tuple(
            Choice(CHOICE_IDS[i], {lang: f"`{label}`" for lang in LANGUAGES})
            for i, label in enumerate(labels)
        )
        return {**found, "answer": CHOICE_IDS[figures.index(best)], "choices": choices, "unit": ""}
    if len(setups) != 1:
        raise ChallengeError(f"{path}: a predict challenge without 'compare' needs one setup")
    answer = figures[0]
    if "choices" in spec:
        typed = [float(value) for value in spec["choices"]]
        if answer not in typed:
            raise ChallengeError(
                f"{path}: serverlab gives {metric} = {_figure(answer)}, which is not among the "
                f"choices {[_figure(v) for v in typed]}: the model moved, so update the choices"
            )
        choices = tuple(
            Choice(CHOICE_IDS[i], {lang: f"{_figure(v)} {unit}".strip() for lang in LANGUAGES})
            for i, v in enumerate(typed)
        )
        return {**found, "answer": CHOICE_IDS[typed.index(answer)], "choices": choices}
    return {**found, "answer": _figure(answer), "choices": ()}


def _load_predict(data: dict, common: dict, path: Path, snippets: Path) -> Challenge:
    """A predict challenge: its answer from serverlab; `{answer}`, `{figures[i]}` filled in."""
    try:
        found = _predicted(data, path, snippets)
    except ChallengeError:
        raise
    except (OSError, KeyError, TypeError, ValueError, serverlab.LabError) as error:
        raise ChallengeError(f"{path}: its preset cannot be simulated: {error!r}") from None
    figures = [_figure(v) for v in found["figures"]]
    explanation = {
        lang: text.format(answer=f"{figures[0]} {found['unit']}".strip(), figures=figures)
        for lang, text in common["explanation"].items()
    }
    return Challenge(
        **{**common, "explanation": explanation},
        answer=found["answer"],
        choices=found["choices"],
        unit=found["unit"],
        preset=found["preset"],
    )


def _load_pick(data: dict, common: dict, path: Path, snippets: Path) -> Challenge:
    """A pick challenge: its typed answer, which tests/test_challenges.py verifies."""
    choices = _choices(data, path)
    answer = data.get("answer", "")
    if answer not in [c.id for c in choices] or len(choices) < 2:
        raise ChallengeError(f"{path}: 'answer' must be the letter of one of 2+ choices")
    if data.get("verify") not in VERIFY:
        raise ChallengeError(f"{path}: 'verify' must be one of {', '.join(VERIFY)}")
    snippet = data.get("snippet", "")
    if data["verify"] == "output" and not (snippets / snippet).is_file():
        raise ChallengeError(f"{path}: verify = 'output' needs the snippet it quotes")
    return Challenge(
        **common, answer=answer, choices=choices, verify=data["verify"], snippet=snippet
    )


def _load_fix(data: dict, common: dict, path: Path, snippets: Path) -> Challenge:
    """A fix challenge: its starter, its solution and the check that tells them apart."""
    for key in ("starter", "solution", "check"):
        if not data.get(key):
            raise ChallengeError(f"{path}: a fix challenge needs '{key}'")
    if data["check"].get("name") not in CHECKS:
        raise ChallengeError(f"{path}: check.name must be one of {', '.join(CHECKS)}")
    for key in ("starter", "solution"):
        if not (snippets / data[key]).is_file():
            raise ChallengeError(f"{path}: {key} {data[key]} is not a file under snippets/")
    return Challenge(
        **common,
        answer="",
        starter=data["starter"],
        solution=data["solution"],
        check=json.dumps(data["check"]),
    )


LOADERS = {"predict": _load_predict, "pick": _load_pick, "fix": _load_fix}


def load(path: Path, snippets: Path) -> Challenge:
    """Read one challenge file and work out its answer; ChallengeError names what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ChallengeError(f"{path}: {error}") from None
    kind = data.get("kind")
    if kind not in LOADERS:
        raise ChallengeError(f"{path}: kind must be one of {', '.join(LOADERS)}")
    common = {
        "slug": path.stem,
        "kind": kind,
        "teaches": data.get("teaches", ""),
        "question": _words(data, "question", path),
        "explanation": _words(data, "explanation", path),
    }
    if not common["teaches"]:
        raise ChallengeError(f"{path}: 'teaches' must name the id of the section that explains it")
    return LOADERS[kind](data, common, path, snippets)


def _attributes(values: dict[str, str]) -> str:
    return " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in values.items())


def _code(code: str, lexer: str) -> str:
    return f"\n```{lexer}\n{code}\n```\n"


def _choice_markup(challenge: Challenge, choice: Choice, language: str) -> str:
    """One radio button, with its text as its label and its code as its description."""
    ident = f"challenge-{challenge.slug}-{choice.id}"
    label = choice.text.get(language) or choice.id.upper()
    described = f' aria-describedby="{ident}-code"' if choice.code else ""
    radio = (
        f'<input type="radio" name="challenge-{challenge.slug}" id="{ident}" '
        f'value="{choice.id}"{described}> <label for="{ident}">{label}</label>'
    )
    lexer = choice_lexer(challenge)
    opening = f'<div id="{ident}-code" {NOT_SEARCHED} markdown="block">'
    code = f"{opening}\n{_code(choice.code, lexer)}\n</div>"
    code = code if choice.code else ""
    return f'<div class="challenge-choice" markdown="block">\n{radio}\n\n{code}\n</div>'


def choice_lexer(challenge: Challenge) -> str:
    """How a choice's code is highlighted: candidate outputs are not Python."""
    return "text" if challenge.verify == "output" else "python"


def answer_text(challenge: Challenge, language: str) -> str:
    """The right answer as the reader would have given it."""
    if challenge.kind == "fix":
        return ""
    if challenge.choices:
        choice = next(c for c in challenge.choices if c.id == challenge.answer)
        return f"({choice.id.upper()}) {choice.text.get(language, '')}".strip()
    return f"{challenge.answer} {challenge.unit}".strip()


def _runnable(snippet: str) -> list[str]:
    """A runnable block of `snippet`, as a page's own runnable fence becomes."""
    fence = [f'```python {{ .runnable data-snippet="{snippet}" }}', f'--8<-- "{snippet}"', "```"]
    return runnable_markdown(snippet, fence)


def _body(challenge: Challenge, language: str, snippets: Path) -> list[str]:
    """The question's inputs: radio buttons, a number field or the starter's runnable code."""
    slug = challenge.slug
    if challenge.kind == "fix":
        return [
            '<div class="challenge-code" markdown="block">',
            "",
            *_runnable(challenge.starter),
            "",
            "</div>",
        ]
    choices = [_choice_markup(challenge, choice, language) for choice in challenge.choices]
    if challenge.snippet:  # the code whose output the choices guess
        return ["", "```python", f'--8<-- "{challenge.snippet}"', "```", "", *choices]
    if choices:
        return choices
    unit = f" ({challenge.unit})" if challenge.unit else ""
    return [
        f'<p><label for="challenge-{slug}-number">{LABELS["your_answer"][language]}{unit}</label> '
        f'<input type="number" id="challenge-{slug}-number" name="challenge-{slug}" '
        'inputmode="decimal" min="0" step="any"></p>'
    ]


def _answer_block(challenge: Challenge, language: str, section: str, snippets: Path) -> list[str]:
    """The collapsed answer: what is right, why, where it is taught, and its lab or solution."""
    words = LABELS
    ident = f"challenge-{challenge.slug}-answer"
    lines = [f'<details class="challenge-answer" id="{ident}" {NOT_SEARCHED} markdown="block">']
    lines.append(f"<summary>{words['answer'][language]}</summary>")
    if text := answer_text(challenge, language):
        lines += ["", f"**{words['right_answer'][language]}:** {text}"]
    lines += [
        "",
        '<div class="challenge-explanation" markdown="block">',
        "",
        challenge.explanation[language],
        "",
        "</div>",
        "",
    ]
    if challenge.preset:
        lines += [
            render_lab(snippets / challenge.preset, language),
            "",
            words["try_lab"][language],
            "",
        ]
    if challenge.solution:
        lines += [
            f"{words['solution'][language]}:",
            "",
            *_runnable(challenge.solution),
            "",
        ]
    link = f"{words['section'][language]}: [{section}](#{challenge.teaches})"
    lines += [f'<p class="challenge-section" markdown="span">{link}</p>', "", "</details>"]
    return lines


def render(path: Path, language: str, snippets: Path, sections: dict[str, str], number: int) -> str:
    """The challenge as Markdown with HTML: its form, then its collapsed answer."""
    challenge = load(path, snippets)
    if challenge.teaches not in sections:
        raise ChallengeError(
            f"{path}: 'teaches' names #{challenge.teaches}, not a section of this page"
        )
    data = {
        "class": "challenge",
        "id": f"challenge-{challenge.slug}",
        "data-challenge": challenge.slug,
        "data-kind": challenge.kind,
        "data-answer": challenge.answer,
        "data-tolerance": ""
        if challenge.choices or challenge.kind != "predict"
        else str(TOLERANCE),
        "data-check": challenge.check,
        "novalidate": "",
        "markdown": "block",
    }
    data = {name: value for name, value in data.items() if value or name in ("novalidate",)}
    legend = f'<span class="challenge-label">{LABELS["challenge"][language]} {number}</span> '
    # Why each wrong choice is wrong, shown by the page script after that choice is checked.
    why = [
        f'<div class="challenge-why" data-choice="{c.id}" hidden {NOT_SEARCHED} markdown="block">'
        f"\n\n{c.why[language]}\n\n</div>"
        for c in challenge.choices
        if c.why
    ]
    lines = [
        '<div class="challenge-wrap" markdown="block">',
        "",
        f"<form {_attributes(data)}>",
        '<fieldset markdown="block">',
        f'<legend markdown="span">{legend}{challenge.question[language]}</legend>',
        "",
        *_body(challenge, language, snippets),
        "",
        "</fieldset>",
        *why,
        "</form>",
        "",
        *_answer_block(challenge, language, sections[challenge.teaches], snippets),
        "",
        "</div>",
    ]
    return "\n".join(lines)


def page_challenges(page: fences.Document) -> list[str]:
    """The slugs of the challenges a page includes, in page order."""
    return [Path(b.includes[0]).stem for b in page.blocks if b.kind == Kind.CHALLENGE]


def section_titles(page: fences.Document) -> dict[str, str]:
    """Each explicit heading id of a page and the heading's words, without their attributes."""
    return {h.id: fences.EXPLICIT_ID.sub("", h.text).strip() for h in page.headings if h.id}


def render_progress(language: str, chapters: list[tuple[str, str, list[str]]]) -> str:
    """The home page's summary: each chapter (page file, title, challenge slugs) and its count.

    Without JavaScript it lists the counts; the page script adds how many the reader solved.
    """
    rows = []
    for page, title, slugs in chapters:
        count = LABELS["progress"][language].format(n=len(slugs))
        data = html.escape(json.dumps(slugs), quote=True)
        rows.append(f'<li data-challenges="{data}" markdown="span">[{title}]({page}): {count}</li>')
    return "\n".join(['<ul class="challenge-progress" markdown="block">', *rows, "</ul>"])


def page_title(page: fences.Document) -> str:
    """A page's first heading, its title, without attributes."""
    first = page.headings[0]
    return fences.EXPLICIT_ID.sub("", first.text).strip()


def nav_pages(nav: list) -> list[str]:
    """The page files of MkDocs' nav in reading order (sections flattened)."""
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages
