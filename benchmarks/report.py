"""The facts of the machine, and the report of a run: bench.json and a readable bench.md."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from serverlab.scenario import PERCENTILES

ROOT = Path(__file__).resolve().parent.parent
REPORT_DIR = ROOT / "benchmarks" / "report"
SITE_RESULTS = ROOT / "snippets" / "benchmarks" / "results.json"
SERVERLAB_PYPROJECT = ROOT / "packages" / "serverlab" / "pyproject.toml"

# httptools and uvloop are listed to show they are absent: Uvicorn then runs on h11 and asyncio.
PACKAGES = (
    "django",
    "gunicorn",
    "uvicorn",
    "uvicorn-worker",
    "hypercorn",
    "asgiref",
    "h11",
    "httptools",
    "uvloop",
    "gevent",
    "pyuwsgi",
    "granian",
    "daphne",
    "psycopg",
    "psycopg-pool",
)
NOT_MEASURED = "not measured"


def package_versions() -> dict[str, str | None]:
    """Installed versions (None when absent); serverlab is read from its source tree."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    with SERVERLAB_PYPROJECT.open("rb") as file:
        versions["serverlab"] = tomllib.load(file)["project"]["version"]
    return versions


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what the platform module knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine_facts() -> dict:
    """What the numbers depend on: cores, CPU, OS, Python and package versions, load."""
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(),
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": package_versions(),
        "load_before": load_average(),
    }


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def site_subset(report: dict) -> dict:
    """What the benchmarks page shows: the machine, how the run went, the matrix records."""
    return {key: report[key] for key in ("machine", "run", "servers")}


def write(report: dict, *, refresh_site: bool) -> list[Path]:
    """Write bench.json and bench.md (and the site's results.json); return the paths."""
    written = [REPORT_DIR / "bench.json", REPORT_DIR / "bench.md"]
    write_json(written[0], report)
    written[1].write_text(markdown(report), encoding="utf-8")
    if refresh_site:
        write_json(SITE_RESULTS, site_subset(report))
        written.append(SITE_RESULTS)
    return written


# ---------------------------------------------------------------------------- Markdown


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _machine_md(machine: dict, run: dict) -> list[str]:
    packages = ", ".join(
        f"{name} {version or 'not installed'}" for name, version in machine["packages"].items()
    )
    rows = [
        ["Date (UTC)", machine["date_utc"]],
        ["CPU", machine["cpu_model"]],
        ["Cores (os.cpu_count / affinity)", f"{machine['cpu_count']} / {machine['cpu_affinity']}"],
        ["OS", machine["os"]],
        ["Python", machine["python"]],
        ["Packages", packages],
        ["Load average before / after", f"{machine['load_before']} / {machine.get('load_after')}"],
        ["Mode", f"{run['mode']} ({run['repetitions']} repetitions per scenario)"],
        ["Run time", f"{run['duration_s']:.0f} s"],
    ]
    return ["## Machine", "", *_table(["Fact", "Value"], rows)]


def _servers_md(records: list[dict], tolerance_pct: float) -> list[str]:
    lines = [
        "## Real servers: measured makespan against the pure model",
        "",
        f"Median of the repetitions; I/O scenarios must be within ±{tolerance_pct:g} % "
        "of the model.",
        "",
    ]
    rows, latency = [], []
    for r in records:
        m = r["measured"]
        setup = f"{r['server']} {r['workers']}×{r['threads']}"
        shape = f"{r['requests']} × {r['ms']} ms"
        if m is None:
            rows.append(
                [
                    setup,
                    r["view"],
                    shape,
                    _ms(r["predicted"]["makespan_ms"]),
                    "failed",
                    "",
                    "",
                    "no",
                    "; ".join(r["errors"]),
                ]
            )
            continue
        ok = {True: "yes", False: "**NO**", None: "(CPU)"}[r["within_25pct"]]
        runs = ", ".join(_ms(v) for v in m["makespans_ms"])
        rows.append(
            [
                setup,
                r["view"],
                shape,
                _ms(r["predicted"]["makespan_ms"]),
                _ms(m["median_ms"]),
                f"{_ms(m['min_ms'])}–{_ms(m['max_ms'])} ({runs})",
                f"{r['diff_pct']:+.1f} %",
                ok,
                ", ".join(map(str, m["processes_used"])),
            ]
        )
        latency.append(
            [
                setup,
                r["view"],
                shape,
                *(f"{_ms(m[p])} / {_ms(r['predicted'][p])}" for p in PERCENTILES),
            ]
        )
    headers = [
        "Setup",
        "View",
        "Burst",
        "Predicted ms",
        "Measured median ms",
        "Spread min–max (runs)",
        "Diff",
        "Within",
        "Processes used",
    ]
    lines += _table(headers, rows)
    lines += ["### Latency percentiles (measured / predicted, ms)", ""]
    percentiles = [p.removesuffix("_ms") for p in PERCENTILES]
    lines += _table(["Setup", "View", "Burst", *percentiles], latency)
    return lines


def _lab_md(rows: list[dict]) -> list[str]:
    table = [[r["scenario"], f"{r['requests']:,}", f"{r['seconds']:.3f}"] for r in rows]
    return [
        "## Lab speed: serverlab.simulate() wall time (best of 3; 1 run at 100,000)",
        "",
        *_table(["Scenario", "Requests", "Seconds"], table),
    ]


def _browser_md(browser) -> list[str]:
    if not isinstance(browser, dict):
        return ["## Browser", "", str(browser), ""]
    return ["## Browser", "", "```json", json.dumps(browser, indent=2), "```", ""]


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value / 1_000_000:.2f} MB"


def _against(value, target, shown) -> str:
    """A figure with its target and whether it meets it (at most the target)."""
    if target is None:
        return shown(value)
    return f"{shown(value)} (≤ {shown(target)}: {'yes' if value <= target else '**no**'})"


def _picture(picture: dict | None) -> str:
    if picture is None:
        return ""
    python = picture["python_wire_bytes_before_picture"]
    when = (
        f"{_ms(picture['click_to_picture_ms'])} ms after a click on Simulate"
        if picture["needed_simulate"]
        else f"{_ms(picture['navigation_to_picture_ms'])} ms from navigation, no click"
    )
    paint = "at first paint" if picture["at_first_paint"] else "not at first paint"
    target = picture["target_python_bytes"]
    met = "yes" if python <= target and picture["at_first_paint"] else "**no**"
    return (
        f"{when}, {paint}; Python before it {_mb(python)} "
        f"(target {target} bytes, at first paint: {met})"
    )


def _network_md(network) -> list[str]:
    if not isinstance(network, dict):
        return ["## Network: shaped links per page kind", "", str(network), ""]
    rows = []
    for r in network["summary"]:
        extra = r.get("django_extra_wire_bytes")
        warm = r.get("lab_picture", {}).get("needed_simulate")  # Simulate loaded Python first.
        rows.append(
            [
                r["profile"]
                + (f", CPU {r['cpu_slowdown']:g}× slower" if r["cpu_slowdown"] != 1 else ""),
                r["kind"],
                r["runs"],
                _mb(r["before_intent_wire_bytes"]),
                _against(r["first_run_wire_bytes"], r["first_run_target"], _mb),
                "" if extra is None else _against(extra, r["django_extra_target"], _mb),
                ", ".join(Path(u).name for u in r["urls_fetched_twice_on_wire"]) or "none",
                len(r["urls_fetched_twice_by_browser"]),
                _against(r["click_to_first_output_ms"], r["click_to_first_output_target_ms"], _ms)
                + (" (after Simulate: not cold)" if warm else ""),
                _picture(r.get("lab_picture")),
            ]
        )
    headers = [
        "Link",
        "Page kind",
        "Runs",
        "Before intent",
        "First Run on the wire",
        "Django adds",
        "Bodies sent twice",
        "URLs the browser fetched twice",
        "Click to first output, cold (ms)",
        "Lab picture",
    ]
    return [
        "## Network: shaped links per page kind",
        "",
        f"Chromium {network['chromium']}, {network['repetitions']} run per language and link; "
        "medians over the languages run. " + network["notes"],
        "",
        *_table(headers, rows),
        *(f"- Failed run: {error}" for error in network["errors"]),
        "",
    ]


def _features_md(features) -> list[str]:
    if not isinstance(features, dict):
        return ["## Features before intent", "", str(features), ""]
    names = list(features["pages"][0]["feature_script_bytes"]) if features["pages"] else []
    rows = [
        [
            page["page"],
            page["requests"],
            f"{page['bytes'] / 1000:.1f}",
            page["python_requests"],
            *(f"{page['feature_script_bytes'][name] / 1000:.1f}" for name in names),
            f"{page['challenge_markup']['challenges']}: "
            f"{page['challenge_markup']['raw_bytes'] / 1000:.1f} raw, "
            f"{page['challenge_markup']['gzip_bytes_added'] / 1000:.1f} gzip",
        ]
        for page in features["pages"]
    ]
    headers = ["Page", "Requests", "kB", "Python requests", *(f"{n} kB" for n in names)]
    return [
        "## Features before intent",
        "",
        f"Each page cold, then {features['idle_ms_before_intent']} ms idle. " + features["notes"],
        "",
        *_table([*headers, "Challenge markup (kB)"], rows),
        "",
    ]


def _lighthouse_md(lighthouse) -> list[str]:
    if not isinstance(lighthouse, dict):
        return ["## Lighthouse", "", str(lighthouse), ""]
    targets = lighthouse["targets"]
    rows = []
    for page in lighthouse["pages"]:
        if "error" in page:
            rows.append([page["page"], "", "", "", "", page["error"]])
            continue
        scores = page["scores"]
        cells = [f"{scores[c]}" if scores[c] >= targets[c] else f"**{scores[c]}**" for c in targets]
        rows.append(
            [page["page"], *cells, ", ".join(page["failing_audits_that_weigh_on_the_score"])]
        )
    headers = [
        "Page",
        *(f"{name} (≥ {target})" for name, target in targets.items()),
        "Failing audits that weigh on a score",
    ]
    return [
        "## Lighthouse",
        "",
        f"Lighthouse {lighthouse['lighthouse']}, {lighthouse['form_factor']}, served from "
        f"{lighthouse['served_from']}; {lighthouse['repetitions']} runs per page, the median "
        "run's scores shown (performance of every run in bench.json). "
        f"{lighthouse['pages_meeting_targets']} of {len(lighthouse['pages'])} pages meet every "
        "target; scores below target are bold. bench.json lists every failing audit.",
        "",
        *_table(headers, rows),
    ]


def markdown(report: dict) -> str:
    """The whole report as a Markdown document, for reading in a terminal or on GitHub."""
    run = report["run"]
    lines = ["# make bench report", "", *_machine_md(report["machine"], run)]
    if isinstance(report["servers"], list):
        lines += _servers_md(report["servers"], run["tolerance_pct"])
    else:
        lines += ["## Real servers", "", str(report["servers"]), ""]
    if isinstance(report["lab_speed"], list):
        lines += _lab_md(report["lab_speed"])
    else:
        lines += ["## Lab speed", "", str(report["lab_speed"]), ""]
    lines += _browser_md(report["browser"])
    lines += _network_md(report.get("network", NOT_MEASURED))
    lines += _features_md(report.get("features", NOT_MEASURED))
    lines += _lighthouse_md(report.get("lighthouse", NOT_MEASURED))
    return "\n".join(lines)
