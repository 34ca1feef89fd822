"""Render a `.lab` block at build time: the preset for the browser and a static table.

Readers without JavaScript (or before Python has loaded) still see the numbers, computed
here by the same `serverlab` package that runs in the browser.
"""

import html
import json
from pathlib import Path

import serverlab
from serverlab import scenario

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


def render_lab(preset_path: Path, language: str) -> str:
    """The HTML of one lab: data for the browser and a table of the simulated results."""
    preset = json.loads(preset_path.read_text(encoding="utf-8"))
    setups = [{key: s[key] for key in scenario.PARAMETER if key in s} for s in preset["setups"]]
    shown = columns(setups)
    rows = []
    for params in setups:
        result = serverlab.simulate(**params).to_dict()
        cells = [scenario.setup_label(params), *(cell(result, c) for c in shown)]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{html.escape(name)}</th>" for name in headers(language, shown))
    data = html.escape(json.dumps(preset, ensure_ascii=False), quote=True)
    return (
        f'<div class="lab" data-lab="{data}" data-preset="{html.escape(preset_path.name)}">'
        f'<div class="lab-static"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></div>"
    )
