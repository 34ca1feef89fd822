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


def headers(language: str) -> list[str]:
    """The static table's column headers in `language` (English for any other)."""
    lang = language if language in scenario.LANGUAGES else "en"
    return [scenario.LABELS["setup"][lang]] + [scenario.METRICS[c][0][lang] for c in COLUMNS]


def cell(result: dict, column: str) -> str:
    """One number of a result with its unit: `300 ms`."""
    unit = scenario.METRICS[column][1]
    return f"{result[column]:g} {unit}" if unit else str(result[column])


def render_lab(preset_path: Path, language: str) -> str:
    """The HTML of one lab: data for the browser and a table of the simulated results."""
    preset = json.loads(preset_path.read_text(encoding="utf-8"))
    rows = []
    for setup in preset["setups"]:
        params = {key: setup[key] for key in scenario.PARAMETER if key in setup}
        result = serverlab.simulate(**params).to_dict()
        cells = [scenario.setup_label(params), *(cell(result, c) for c in COLUMNS)]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{html.escape(name)}</th>" for name in headers(language))
    data = html.escape(json.dumps(preset, ensure_ascii=False), quote=True)
    return (
        f'<div class="lab" data-lab="{data}" data-preset="{html.escape(preset_path.name)}">'
        f'<div class="lab-static"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></div>"
    )
