"""Render a `.lab` block at build time: the preset for the browser and a static table.

Readers without JavaScript (or before Python has loaded) still see the numbers, computed
here by the same `serverlab` package that runs in the browser.
"""

import html
import json
from pathlib import Path

HEADERS = {
    "vi": (
        "Cấu hình",
        "Thời gian hoàn tất (makespan)",
        "Độ trễ p50",
        "Độ trễ p95",
        "Thread tối đa",
    ),
    "en": ("Setup", "Makespan", "p50 latency", "p95 latency", "Peak threads"),
}
SIMULATE_KEYS = ("server", "view", "requests", "ms", "workers", "threads", "cores")


def describe(setup: dict) -> str:
    """A short label for a setup, the same in both languages (it is made of code names)."""
    threads = f"×{setup.get('threads', 1)}" if setup["server"] == "gunicorn-gthread" else ""
    return (
        f"{setup['server']} {setup.get('workers', 1)}{threads} · {setup['view']} · "
        f"{setup['requests']} × {setup['ms']} ms"
    )


def render_lab(preset_path: Path, language: str) -> str:
    """The HTML of one lab: data for the browser and a table of the simulated results."""
    import serverlab

    preset = json.loads(preset_path.read_text(encoding="utf-8"))
    rows = []
    for setup in preset["setups"]:
        params = {key: setup[key] for key in SIMULATE_KEYS if key in setup}
        result = serverlab.simulate(**params).to_dict()
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(cell))}</td>"
                for cell in (
                    describe(setup),
                    f"{result['makespan_ms']:g} ms",
                    f"{result['p50_ms']:g} ms",
                    f"{result['p95_ms']:g} ms",
                    result["peak_threads"],
                )
            )
            + "</tr>"
        )
    head = "".join(f"<th>{name}</th>" for name in HEADERS.get(language, HEADERS["en"]))
    data = html.escape(json.dumps(preset, ensure_ascii=False), quote=True)
    return (
        f'<div class="lab" data-lab="{data}" data-preset="{html.escape(preset_path.name)}">'
        f'<div class="lab-static"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></div>"
    )
