"""Render a `.lab` block at build time: the preset for the browser, its pictures and a table.

Readers without JavaScript (or before Python has loaded) still see each setup's timeline
and the numbers, computed here by the same `serverlab` package that runs in the browser
and drawn by the browser's own chart code (sitebuild/lab_pictures.py).
"""

import html
import json
from dataclasses import dataclass
from pathlib import Path

import serverlab
from serverlab import scenario

from sitebuild.lab_pictures import Picture, draw, prefix

# The static table's columns after the setup: headline numbers of Result.to_dict().
COLUMNS = ("makespan_ms", "p50_ms", "p95_ms", "peak_threads")
# Where a setup queries the database, requests can fail: their count gets a column too.
DATABASE_COLUMNS = (*COLUMNS, "failed")


def columns(setups: list[dict]) -> tuple[str, ...]:
    """The table's number columns: the failed count only for a preset with a database view."""
    views = ({**scenario.DEFAULTS, **setup}["view"] for setup in setups)
    database = any(scenario.uses_database(view) for view in views)
    return DATABASE_COLUMNS if database else COLUMNS


def headers(language: str, shown: tuple[str, ...]) -> list[str]:
    """The static table's column headers in `language` (English for any other)."""
    lang = language if language in scenario.LANGUAGES else "en"
    return [scenario.LABELS["setup"][lang]] + [scenario.METRICS[c][0][lang] for c in shown]


def cell(result: dict, column: str) -> str:
    """One number of a result with its unit: `300 ms`."""
    unit = scenario.METRICS[column][1]
    return f"{result[column]:g} {unit}" if unit else str(result[column])


@dataclass(frozen=True)
class Simulated:
    """A preset file as read, its setups' model parameters and their simulated results."""

    path: Path
    text: str
    preset: dict
    setups: list[dict]
    results: list[dict]

    @classmethod
    def read(cls, path: Path, text: str) -> "Simulated":
        preset = json.loads(text)
        setups = [{key: s[key] for key in scenario.PARAMETER if key in s} for s in preset["setups"]]
        results = [serverlab.simulate(**params).to_dict() for params in setups]
        return cls(path.resolve(), text, preset, setups, results)

    def pictures(self, language: str) -> list[Picture]:
        """What the chart code draws for this preset in `language`: one picture a setup."""
        lang = language if language in scenario.LANGUAGES else "en"
        return [
            Picture(result, lang, scenario.setup_label(params), prefix(self.path.name, i))
            for i, (params, result) in enumerate(zip(self.setups, self.results, strict=True))
        ]

    def markup(self, language: str, pictures: list[str]) -> str:
        """The lab's HTML: data for the browser, then its pictures and table for everyone."""
        shown = columns(self.setups)
        rows = []
        for params, result in zip(self.setups, self.results, strict=True):
            cells = [scenario.setup_label(params), *(cell(result, c) for c in shown)]
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{html.escape(name)}</th>" for name in headers(language, shown))
        data = html.escape(json.dumps(self.preset, ensure_ascii=False), quote=True)
        return (
            f'<div class="lab" data-lab="{data}" data-preset="{html.escape(self.path.name)}">'
            f'<div class="lab-static"><div class="lab-pictures">'
            f"{''.join(pictures)}</div><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div></div>"
        )


# (preset file, its text, language) -> the lab's HTML. Drawing starts a Node process, so
# the first lab of a build draws every preset beside it at once, in both languages.
_rendered: dict[tuple[Path, str, str], str] = {}


def _key(path: Path, text: str, language: str) -> tuple[Path, str, str]:
    return (path.resolve(), text, language)


def _others(preset_path: Path) -> list[Simulated]:
    """The presets beside `preset_path` not rendered yet; a broken one fails in its own block."""
    labs = []
    for path in sorted(preset_path.parent.glob("*.json")):
        if path.resolve() == preset_path.resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            if _key(path, text, scenario.LANGUAGES[0]) not in _rendered:
                labs.append(Simulated.read(path, text))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return labs


def render_lab(preset_path: Path, language: str) -> str:
    """The HTML of one lab: data for the browser, each setup's timeline and a results table."""
    text = preset_path.read_text(encoding="utf-8")
    key = _key(preset_path, text, language)
    if key not in _rendered:
        labs = [Simulated.read(preset_path, text), *_others(preset_path)]
        languages = sorted({*scenario.LANGUAGES, language})
        batch = [(lab, lang, lab.pictures(lang)) for lab in labs for lang in languages]
        drawn = iter(draw([picture for _, _, pictures in batch for picture in pictures]))
        for lab, lang, pictures in batch:
            markup = [next(drawn) for _ in pictures]
            _rendered[_key(lab.path, lab.text, lang)] = lab.markup(lang, markup)
    return _rendered[key]
