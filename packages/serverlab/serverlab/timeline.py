"""A text timeline of a run: one row per lane (grouped when there are many) plus the queue."""

import math

from serverlab.describe import number
from serverlab.model import Result

_MARKS = ".~?!#"  # idle, io, db wait, blocked, cpu: a column shows the busiest state in it
_LEVEL = {"io": 1, "db_wait": 2, "blocked": 3, "cpu": 4}
LEGEND = (
    "# cpu   ~ io wait   ! blocked (loop, GIL or core busy)   . idle   queued: requests waiting"
)
# Added to the legend only when some request waited for a database connection.
DB_WAIT_LEGEND = "   ? waiting for a database connection"


def render_text(result: Result, width: int = 60, max_rows: int = 16) -> str:
    """Rows of `width` columns from time 0 to the makespan; each column is sampled at its middle."""
    width, max_rows = max(10, width), max(1, max_rows)
    span = max(r.end_ms for r in result.requests)
    if span <= 0:
        return "every request finished at 0 ms; nothing to draw"
    groups = _groups(result.lanes, max_rows)
    row_of = {lane: i for i, (_, members) in enumerate(groups) for lane in members}
    # Coverage counts per row and level as difference arrays keep this linear in segments.
    cover = [[[0] * (width + 1) for _ in _MARKS] for _ in groups]
    queued = [0] * (width + 1)

    def columns(start: float, end: float) -> tuple[int, int]:
        first = max(0, math.ceil(start * width / span - 0.5))
        return first, min(width, math.ceil(end * width / span - 0.5))

    for r in result.requests:
        row = cover[row_of[r.lane]]
        for kind, start, end in r.segments:
            a, b = columns(start, end)
            if a >= b:
                continue
            diff = queued if kind == "queued" else row[_LEVEL[kind]]
            diff[a] += 1
            diff[b] -= 1

    label_width = max(len("queued"), *(len(label) for label, _ in groups)) + 2
    right = f"{number(span)} ms"
    lines = [" " * label_width + "0 ms" + right.rjust(width - 4)]
    lines.append("queued".ljust(label_width) + "".join(_count_marks(queued, width)))
    for (label, _), row in zip(groups, cover, strict=True):
        lines.append(label.ljust(label_width) + _row_marks(row, width))
    db_wait = any(kind == "db_wait" for r in result.requests for kind, _, _ in r.segments)
    lines.append(LEGEND + DB_WAIT_LEGEND if db_wait else LEGEND)
    return "\n".join(lines)


def _groups(lanes: list[str], max_rows: int) -> list[tuple[str, list[str]]]:
    if len(lanes) <= max_rows:
        return [(lane, [lane]) for lane in lanes]
    size = math.ceil(len(lanes) / max_rows)
    chunks = [lanes[i : i + size] for i in range(0, len(lanes), size)]
    return [(c[0] if len(c) == 1 else f"{c[0]}..{c[-1]}", c) for c in chunks]


def _running(diff: list[int], width: int) -> list[int]:
    out, total = [], 0
    for c in range(width):
        total += diff[c]
        out.append(total)
    return out


def _row_marks(levels: list[list[int]], width: int) -> str:
    counts = [_running(diff, width) for diff in levels]
    marks = []
    for c in range(width):
        level = next((lv for lv in (4, 3, 2, 1) if counts[lv][c] > 0), 0)
        marks.append(_MARKS[level])
    return "".join(marks)


def _count_marks(diff: list[int], width: int) -> list[str]:
    return ["." if n == 0 else str(n) if n < 10 else "+" for n in _running(diff, width)]
