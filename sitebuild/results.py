"""Render `make bench` results at build time: tables and an SVG chart in the page's language.

A `.results` fence on a page includes snippets/benchmarks/results.json and chooses what
to show with `data-table` (machine, makespan, latency, io-cpu, chart). Optional filters keep
only some records, all of them at once: `data-kind` ("io" or "cpu"), `data-server` and
`data-view` (space-separated lab names, e.g. `data-server="uvicorn gunicorn-sync"`). The io-cpu
table pairs every kept CPU record with its I/O twin, so it applies the server and view filters
to the CPU record and ignores `data-kind`. A filter that leaves nothing to show is an error.
A makespan table that shows a database view adds its database setup and failed requests.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from serverlab import scenario

TABLES = ("machine", "makespan", "latency", "io-cpu", "chart")
KINDS = ("io", "cpu")
ATTRIBUTE = re.compile(r'data-(?P<name>table|kind|server|view)="(?P<value>[^"]*)"')
# Filters by a lab parameter: its choices are the one list of names they take.
FILTERS = ("server", "view")
THIN = "\u202f"  # narrow no-break space: groups thousands the same way in both languages
# Server names, ranges and "10 × 100" read badly when split over two lines; wide tables scroll.
NOWRAP = ' style="white-space: nowrap"'

STRINGS = {
    "vi": {
        "decimal": ",",
        "setup": "Worker × thread",
        "burst": "Request × ms",
        "predicted": "Dự đoán (ms)",
        "measured": "Đo được, trung vị (ms)",
        "spread": "Dao động min–max (ms)",
        "diff": "Chênh lệch",
        "within": "Trong ±{tol} %",
        "processes": "Số process đã trả lời",
        "yes": "có",
        "no": "không",
        "not_io": "không áp dụng (CPU)",
        "failed": "lỗi",
        "p": "{p}: đo / dự đoán (ms)",
        "database": "Database",
        "no_pool": "không có pool",
        "pool": "pool {n}",
        "pool_timeout": ", chờ tối đa {s} s",
        "max_connections": ", max_connections {n}",
        "failed_requests": "Request lỗi: đo được (dự đoán)",
        "io_view": "Chờ I/O: view",
        "io_ms": "Chờ I/O: đo (dự đoán), ms",
        "cpu_view": "Tính CPU: view",
        "cpu_ms": "Tính CPU: đo (dự đoán), ms",
        "cpu_spread": "Tính CPU: min–max (ms)",
        "fact": "Thông tin",
        "value": "Giá trị",
        "date": "Ngày đo (UTC)",
        "cpu": "CPU",
        "cores": "Số core (os.cpu_count / được phép dùng)",
        "os": "Hệ điều hành",
        "python": "Python",
        "packages": "Phiên bản gói",
        "not_installed": "không cài",
        "load": "Load average trước / sau (1, 5, 15 phút)",
        "repetitions": "Số lần đo mỗi kịch bản",
        "duration": "Thời gian chạy toàn bộ",
        "seconds": "{n} giây",
        "caption_makespan": "Makespan trên server thật so với mô hình (đã tính chi phí đo được)"
        "{kind}: trung vị của {reps} lần đo",
        "caption_latency": "Độ trễ p50, p95, p99 (nearest-rank){kind}: trung vị của {reps} lần "
        "đo, so với mô hình",
        "caption_io_cpu": "Cùng cấu hình, cùng số request: chờ I/O so với tính toán CPU",
        "caption_machine": "Máy đã đo",
        "kind_io": " (kịch bản I/O)",
        "kind_cpu": " (kịch bản CPU)",
        "legend_predicted": "Dự đoán (mô hình)",
        "legend_measured": "Đo được (trung vị)",
        "legend_spread": "min–max của các lần đo",
        "chart_label": "Biểu đồ cột: makespan đo được (trung vị, có vạch min–max) so với dự "
        "đoán của mô hình cho {scenarios}{kind}. Số liệu đầy đủ nằm trong bảng makespan.",
        "scenarios": "{n} kịch bản",
        "scenarios_1": "1 kịch bản",
        "chart_caption": "Makespan (ms): cột gạch chéo là dự đoán của mô hình, cột đặc là trung "
        "vị đo được, vạch ngang là khoảng min–max{kind}. Bảng makespan chứa cùng các số này.",
    },
    "en": {
        "decimal": ".",
        "setup": "Workers × threads",
        "burst": "Requests × ms",
        "predicted": "Predicted (ms)",
        "measured": "Measured, median (ms)",
        "spread": "Spread min–max (ms)",
        "diff": "Difference",
        "within": "Within ±{tol} %",
        "processes": "Processes that answered",
        "yes": "yes",
        "no": "no",
        "not_io": "n/a (CPU)",
        "failed": "failed",
        "p": "{p}: measured / predicted (ms)",
        "database": "Database",
        "no_pool": "no pool",
        "pool": "pool {n}",
        "pool_timeout": ", {s} s timeout",
        "max_connections": ", max_connections {n}",
        "failed_requests": "Failed requests: measured (predicted)",
        "io_view": "I/O wait: view",
        "io_ms": "I/O wait: measured (predicted), ms",
        "cpu_view": "CPU work: view",
        "cpu_ms": "CPU work: measured (predicted), ms",
        "cpu_spread": "CPU work: min–max (ms)",
        "fact": "Fact",
        "value": "Value",
        "date": "Date (UTC)",
        "cpu": "CPU",
        "cores": "Cores (os.cpu_count / allowed)",
        "os": "Operating system",
        "python": "Python",
        "packages": "Package versions",
        "not_installed": "not installed",
        "load": "Load average before / after (1, 5, 15 min)",
        "repetitions": "Runs per scenario",
        "duration": "Whole run time",
        "seconds": "{n} s",
        "caption_makespan": "Makespan on real servers against the model (with the measured costs)"
        "{kind}: median of "
        "{reps} runs",
        "caption_latency": "Latency p50, p95, p99 (nearest rank){kind}: median of {reps} runs, "
        "against the model",
        "caption_io_cpu": "Same setup, same requests: waiting on I/O against computing on the CPU",
        "caption_machine": "The machine that ran the benchmark",
        "kind_io": " (I/O scenarios)",
        "kind_cpu": " (CPU scenarios)",
        "legend_predicted": "Predicted (model)",
        "legend_measured": "Measured (median)",
        "legend_spread": "min–max of the runs",
        "chart_label": "Bar chart: measured makespan (median, with a min–max whisker) against "
        "the model's prediction for {scenarios}{kind}. The makespan table holds every number.",
        "scenarios": "{n} scenarios",
        "scenarios_1": "1 scenario",
        "chart_caption": "Makespan (ms): hatched bars are the model's prediction, solid bars the "
        "measured median, whiskers the min–max{kind}. The makespan table holds the same numbers.",
    },
}


class ResultsError(Exception):
    """The results file or a `.results` block is unusable; the message says how to fix it."""


def options(info: str) -> dict[str, str]:
    """The `data-*` attributes a fence's attribute list sets, as render() keywords."""
    return {match["name"]: match["value"] for match in ATTRIBUTE.finditer(info)}


def load(path: Path) -> dict:
    """The committed benchmark results, or an error that names the file and how to make it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(
            f"benchmark results not found: {path}. Run `make bench` (python -m benchmarks) "
            "to measure and write it."
        ) from None
    except ValueError as error:
        raise ResultsError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data.get("servers"), list) or "machine" not in data:
        raise ResultsError(f"{path} has no 'machine' facts or 'servers' list from `make bench`")
    return data


def render_results(path: Path, language: str, table: str = "", **filters: str | None) -> str:
    """The HTML of one `.results` block: read the file, then render()."""
    return render(load(path), language, table, **filters)


def render(
    data: dict,
    language: str,
    table: str,
    kind: str | None = None,
    server: str | None = None,
    view: str | None = None,
) -> str:
    """One table or the chart, as a single line of HTML (Markdown keeps it as raw HTML)."""
    if table not in TABLES:
        raise ResultsError(f"data-table must be one of {', '.join(TABLES)}; got {table!r}")
    if kind is not None and kind not in KINDS:
        raise ResultsError(f"data-kind must be one of {', '.join(KINDS)} or absent; got {kind!r}")
    names = {"server": lab_names("server", server), "view": lab_names("view", view)}
    text = Text(language, data["run"].get("repetitions", 1), data["run"].get("tolerance_pct", 25))
    if table == "machine":
        body = machine_table(data, text)
    elif table == "io-cpu":
        cpu = [r for r in select(data["servers"], "cpu", names) if io_twin(r, data["servers"])]
        _require(cpu, "cpu with an I/O twin", names)
        body = io_cpu_table(cpu, data["servers"], text)
    else:
        records = select(data["servers"], kind, names)
        _require(records, kind, names)
        draw = {"makespan": makespan_table, "latency": latency_table, "chart": chart}[table]
        body = draw(records, text, kind)
    return f'<div class="bench-results" data-table="{table}">{body}</div>'


def lab_names(parameter: str, value: str | None) -> frozenset[str] | None:
    """The lab names a `data-server` or `data-view` filter lists; None when it is absent."""
    if value is None:
        return None
    choices = scenario.PARAMETER[parameter].choices
    names = value.split()
    unknown = [name for name in names if name not in choices]
    if unknown or not names:
        raise ResultsError(
            f"data-{parameter} must list names from {', '.join(choices)}; "
            f"got {', '.join(map(repr, unknown)) if unknown else 'none'}"
        )
    return frozenset(names)


def select(records: list[dict], kind: str | None, names: dict) -> list[dict]:
    """The records of that kind whose server and view the filters list (None keeps all)."""
    return [
        r
        for r in records
        if (kind is None or r["kind"] == kind)
        and all(names[key] is None or r[key] in names[key] for key in FILTERS)
    ]


def _require(records: list[dict], kind: str | None, names: dict) -> None:
    """A page must not show an empty table: name the filters that left no record."""
    if records:
        return
    given = [f"kind {kind}"] if kind else []
    given += [f"{key} {' '.join(sorted(names[key]))}" for key in FILTERS if names[key]]
    raise ResultsError(f"no benchmark record matches the filters ({', '.join(given) or 'none'})")


class Text:
    """The page language's words and number format."""

    def __init__(self, language: str, repetitions: int, tolerance_pct: float) -> None:
        lang = language if language in STRINGS else "en"
        # Column headers that name a scenario parameter use the lab's own label for it.
        labels = {name: scenario.PARAMETER[name].label[lang] for name in ("server", "view")}
        self.strings = {**STRINGS[lang], **labels}
        self.repetitions = repetitions
        self.tolerance_pct = tolerance_pct

    def __getitem__(self, key: str) -> str:
        return self.strings[key]

    def number(self, value: float | None, decimals: int = 0) -> str:
        if value is None:
            return "—"
        grouped = f"{value:,.{decimals}f}"
        return grouped.replace(",", THIN).replace(".", self["decimal"])

    def percent(self, value: float | None) -> str:
        if value is None:
            return "—"
        sign = "+" if value > 0 else "−" if value < 0 else ""
        return f"{sign}{self.number(abs(value), 1)} %"

    def kind(self, kind: str | None) -> str:
        return self[f"kind_{kind}"] if kind else ""

    def scenarios(self, n: int) -> str:
        """`n` scenarios, in the singular for one."""
        return self["scenarios_1" if n == 1 else "scenarios"].format(n=n)


def _table(caption: str, headers: list[str], rows: list[list[str]], nowrap: bool = True) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{NOWRAP if nowrap else ''}>{html.escape(str(cell))}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    return (
        f'<table><caption style="text-align: left">{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _setup(record: dict) -> str:
    return f"{record['workers']} × {record['threads']}"


def _burst(record: dict, text: Text) -> str:
    return f"{text.number(record['requests'])} × {text.number(record['ms'])}"


def machine_table(data: dict, text: Text) -> str:
    machine, run = data["machine"], data["run"]
    packages = ", ".join(
        f"{name} {version or text['not_installed']}"
        for name, version in machine["packages"].items()
    )

    def averages(values) -> str:
        return " · ".join(text.number(v, 2) for v in values) if values else "—"

    rows = [
        [text["date"], machine["date_utc"]],
        [text["cpu"], machine["cpu_model"]],
        [text["cores"], f"{machine['cpu_count']} / {machine['cpu_affinity']}"],
        [text["os"], machine["os"]],
        [text["python"], machine["python"]],
        [text["packages"], packages],
        [
            text["load"],
            f"{averages(machine['load_before'])} / {averages(machine.get('load_after'))}",
        ],
        [text["repetitions"], str(text.repetitions)],
        [text["duration"], text["seconds"].format(n=text.number(run.get("duration_s")))],
    ]
    return _table(text["caption_machine"], [text["fact"], text["value"]], rows, nowrap=False)


def makespan_table(records: list[dict], text: Text, kind: str | None) -> str:
    # Only a table that shows a database view has its database columns.
    database = any(_uses_database(r) for r in records)
    headers = [text["server"], text["view"], text["setup"], text["burst"]]
    headers += [text["database"]] if database else []
    headers += [text["predicted"], text["measured"], text["spread"], text["diff"]]
    headers += [text["failed_requests"]] if database else []
    headers += [text["within"].format(tol=text.number(text.tolerance_pct)), text["processes"]]
    within = {True: text["yes"], False: text["no"], None: text["not_io"]}
    rows = []
    for r in records:
        m = r["measured"]
        setup = [r["server"], r["view"], _setup(r), _burst(r, text)]
        setup += [_database(r, text)] if database else []
        failed = [_failed(r, text)] if database else []
        if m is None:
            measured = [text["failed"], "—", "—", *failed, text["no"], "—"]
        else:
            used = m["processes_used"]
            measured = [
                text.number(m["median_ms"]),
                _spread(m, text),
                text.percent(r["diff_pct"]),
                *failed,
                within[r["within_25pct"]],
                "–".join(str(n) for n in sorted({min(used), max(used)})),
            ]
        rows.append([*setup, _predicted(r["predicted"], text), *measured])
    caption = text["caption_makespan"].format(kind=text.kind(kind), reps=text.repetitions)
    return _table(caption, headers, rows)


def _uses_database(record: dict) -> bool:
    return scenario.uses_database(record["view"])


def _setting(record: dict, name: str) -> float:
    """A database setting of the record; an absent one is the lab's default."""
    return record.get(name, scenario.PARAMETER[name].default)


def _database(record: dict, text: Text) -> str:
    """The database setup in words: `pool 2, 0.5 s timeout, max_connections 10`."""
    if not _uses_database(record):
        return "—"
    pool = _setting(record, "db_pool")
    words = text["pool"].format(n=text.number(pool)) if pool else text["no_pool"]
    timeout_ms = _setting(record, "db_pool_timeout_ms")
    # Without a pool each request opens its own connection: there is no pool to wait for.
    if pool and timeout_ms != scenario.PARAMETER["db_pool_timeout_ms"].default:
        seconds = timeout_ms / 1000
        words += text["pool_timeout"].format(s=text.number(seconds, _decimals(seconds)))
    limit = _setting(record, "db_max_connections")
    if limit != scenario.PARAMETER["db_max_connections"].default:
        words += text["max_connections"].format(n=text.number(limit))
    return words


def _decimals(value: float) -> int:
    """How many decimals show a value as it is, up to three (0.5 → 1, 10 → 0)."""
    return len(f"{value:.3f}".rstrip("0").partition(".")[2])


def _failed(record: dict, text: Text) -> str:
    """Requests answered 500, measured (predicted): `2 (2)`; "—" for a view without one."""
    if not _uses_database(record):
        return "—"
    m = record["measured"]
    # The measured count is a median over runs, so it can be a half.
    measured = "—" if m is None else text.number(m["failed"], _decimals(m["failed"]))
    return f"{measured} ({text.number(record['predicted']['failed'])})"


def _predicted(predicted: dict, text: Text) -> str:
    """The model's makespan, or its range where the accepting worker is a race."""
    if "range_ms" in predicted:
        low, high = predicted["range_ms"]
        return f"{text.number(low)}–{text.number(high)}"
    return text.number(predicted["makespan_ms"])


def _spread(measured: dict, text: Text) -> str:
    return f"{text.number(measured['min_ms'])}–{text.number(measured['max_ms'])}"


def latency_table(records: list[dict], text: Text, kind: str | None) -> str:
    percentiles = ("p50", "p95", "p99")
    headers = [text["server"], text["view"], text["setup"], text["burst"]]
    headers += [text["p"].format(p=p) for p in percentiles]
    rows = []
    for r in records:
        m = r["measured"] or {}
        rows.append(
            [
                r["server"],
                r["view"],
                _setup(r),
                _burst(r, text),
                *(
                    f"{text.number(m.get(f'{p}_ms'))} / {text.number(r['predicted'][f'{p}_ms'])}"
                    for p in percentiles
                ),
            ]
        )
    caption = text["caption_latency"].format(kind=text.kind(kind), reps=text.repetitions)
    return _table(caption, headers, rows)


def io_twin(cpu: dict, records: list[dict]) -> dict | None:
    """The I/O scenario with the same server, setup and burst as a CPU one (sync or async)."""
    view = cpu["view"].replace("-cpu", "-io")
    keys = ("server", "workers", "threads", "requests", "ms")
    for r in records:
        if r["view"] == view and all(r[k] == cpu[k] for k in keys):
            return r
    return None


def io_cpu_table(cpu_records: list[dict], records: list[dict], text: Text) -> str:
    """Each CPU record next to its I/O twin, which is looked up among all the records."""
    headers = [
        text["server"],
        text["setup"],
        text["burst"],
        text["io_view"],
        text["io_ms"],
        text["cpu_view"],
        text["cpu_ms"],
        text["cpu_spread"],
    ]

    def measured(r: dict) -> str:
        median = r["measured"]["median_ms"] if r["measured"] else None
        return f"{text.number(median)} ({text.number(r['predicted']['makespan_ms'])})"

    rows = []
    for cpu in cpu_records:
        io = io_twin(cpu, records)
        m = cpu["measured"]
        spread = _spread(m, text) if m else "—"
        rows.append(
            [
                cpu["server"],
                _setup(cpu),
                _burst(cpu, text),
                io["view"],
                measured(io),
                cpu["view"],
                measured(cpu),
                spread,
            ]
        )
    return _table(text["caption_io_cpu"], headers, rows)


# ------------------------------------------------------------------------------ chart

WIDTH = 760
LABEL_W = 350
VALUE_W = 56
ROW_H = 34
BAR_H = 11
TOP = 44
FG = "var(--md-default-fg-color)"
LIGHT = "var(--md-default-fg-color--lightest)"
MEASURED = "var(--md-primary-fg-color)"
PREDICTED = "var(--md-accent-fg-color)"


def _nice_step(top: float) -> float:
    """A round grid step (1, 2 or 5 × a power of ten) giving at most about 6 lines."""
    step = 1.0
    while top / step > 6:
        for factor in (2, 2.5, 2):
            step *= factor
            if top / step <= 6:
                break
    return step


def chart(records: list[dict], text: Text, kind: str | None) -> str:
    """Horizontal bars per scenario: predicted (hatched) over measured (solid, min–max)."""
    hatch = f"bench-hatch-{kind or 'all'}"
    top = max(
        [r["predicted"]["makespan_ms"] for r in records]
        + [r["measured"]["max_ms"] for r in records if r["measured"]]
        + [1]
    )
    step = _nice_step(top)
    top = step * -(-top // step)
    plot_w = WIDTH - LABEL_W - VALUE_W
    height = TOP + ROW_H * len(records) + 8

    def x(value: float) -> float:
        return round(LABEL_W + value / top * plot_w, 1)

    parts = [
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" '
        f'style="fill: var(--md-default-bg-color)"/><line x1="0" y1="0" x2="0" y2="6" '
        f'style="stroke: {PREDICTED}; stroke-width: 3"/></pattern></defs>'
    ]
    parts += _legend(text, hatch)
    grid = 0.0
    while grid <= top:
        parts.append(
            f'<line x1="{x(grid)}" y1="{TOP - 6}" x2="{x(grid)}" y2="{height - 8}" '
            f'style="stroke: {LIGHT}"/><text x="{x(grid)}" y="{TOP - 10}" '
            f'text-anchor="middle" style="fill: {FG}">{text.number(grid)}</text>'
        )
        grid += step
    for i, r in enumerate(records):
        parts += _bars(r, TOP + i * ROW_H, x, text, hatch)
    label = text["chart_label"].format(scenarios=text.scenarios(len(records)), kind=text.kind(kind))
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{html.escape(label)}" style="font-size: 13px; max-width: {WIDTH}px">'
        + "".join(parts)
        + "</svg>"
    )
    caption = html.escape(text["chart_caption"].format(kind=text.kind(kind)))
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _legend(text: Text, hatch: str) -> list[str]:
    y = 4
    return [
        f'<rect x="0" y="{y}" width="18" height="{BAR_H}" style="fill: url(#{hatch}); '
        f'stroke: {PREDICTED}"/><text x="24" y="{y + 10}" style="fill: {FG}">'
        f"{html.escape(text['legend_predicted'])}</text>",
        f'<rect x="200" y="{y}" width="18" height="{BAR_H}" style="fill: {MEASURED}"/>'
        f'<text x="224" y="{y + 10}" style="fill: {FG}">'
        f"{html.escape(text['legend_measured'])}</text>",
        f'<line x1="400" y1="{y + 5}" x2="424" y2="{y + 5}" style="stroke: {FG}; '
        f'stroke-width: 1.5"/><line x1="400" y1="{y}" x2="400" y2="{y + BAR_H}" '
        f'style="stroke: {FG}"/><line x1="424" y1="{y}" x2="424" y2="{y + BAR_H}" '
        f'style="stroke: {FG}"/><text x="430" y="{y + 10}" style="fill: {FG}">'
        f"{html.escape(text['legend_spread'])}</text>",
    ]


def _bars(record: dict, y: float, x, text: Text, hatch: str) -> list[str]:
    predicted = record["predicted"]["makespan_ms"]
    m = record["measured"]
    parts = [
        f'<text x="{LABEL_W - 8}" y="{y + BAR_H + 4}" text-anchor="end" style="fill: {FG}">'
        f"{html.escape(scenario.setup_label(record))}</text>",
        f'<rect x="{LABEL_W}" y="{y}" width="{x(predicted) - LABEL_W}" height="{BAR_H}" '
        f'style="fill: url(#{hatch}); stroke: {PREDICTED}"/>'
        f'<text x="{x(predicted) + 4}" y="{y + 9}" style="fill: {FG}">'
        f"{text.number(predicted)}</text>",
    ]
    if m is None:
        return parts
    y2 = y + BAR_H + 2
    mid = y2 + BAR_H / 2
    parts.append(
        f'<rect x="{LABEL_W}" y="{y2}" width="{x(m["median_ms"]) - LABEL_W}" height="{BAR_H}" '
        f'style="fill: {MEASURED}"/>'
        f'<line x1="{x(m["min_ms"])}" y1="{mid}" x2="{x(m["max_ms"])}" y2="{mid}" '
        f'style="stroke: {FG}; stroke-width: 1.5"/>'
        f'<line x1="{x(m["min_ms"])}" y1="{y2}" x2="{x(m["min_ms"])}" y2="{y2 + BAR_H}" '
        f'style="stroke: {FG}"/>'
        f'<line x1="{x(m["max_ms"])}" y1="{y2}" x2="{x(m["max_ms"])}" y2="{y2 + BAR_H}" '
        f'style="stroke: {FG}"/>'
        f'<text x="{max(x(m["max_ms"]), x(m["median_ms"])) + 4}" y="{y2 + 9}" '
        f'style="fill: {FG}; font-weight: bold">{text.number(m["median_ms"])}</text>'
    )
    return parts
