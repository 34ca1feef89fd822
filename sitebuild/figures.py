"""Numbers quoted in prose, filled in at build time from the data they come from.

A sentence never types a measured or simulated number; it names where the number lives:

- `{{ measured ID FIELD [DECIMALS] }}`: a field of the `make bench` record ID in
  snippets/benchmarks/results.json, dotted (`measured.median_ms`, `predicted.makespan_ms`,
  `diff_pct`, `predicted.request_overhead_ms`; a list's items by index: `predicted.range_ms.0`).
- `{{ lab PRESET N METRIC [DECIMALS] }}`: a headline number (serverlab.scenario.METRICS) of
  setup N (from 1) of the lab preset snippets/PRESET, simulated by serverlab exactly as the
  preset's own table on the page is.
- `{{ bench COUNT [KIND] }}`: a count over the results: `scenarios` or `within` (scenarios
  within the tolerance), optionally of one kind (`io`, `cpu`), or `repetitions`.

Numbers are written in the page's language (decimal comma in Vietnamese). Anything unknown
fails the build with a FigureError naming what was asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import serverlab
from serverlab import scenario

from sitebuild.results import KINDS, ResultsError, Text, load

FIGURE = re.compile(r"\{\{\s*(?P<kind>[a-z]+)\s+(?P<args>[^{}]*?)\s*\}\}")


class FigureError(ValueError):
    """A figure names a record, field, preset or count that does not exist."""


@cache
def _results(path: Path, mtime: float) -> dict:
    try:
        return load(path)
    except ResultsError as error:
        raise FigureError(str(error)) from None


@cache
def _simulated(path: Path, mtime: float) -> list[dict]:
    """Every setup of a preset simulated once per build (the page's table simulates it too)."""
    preset = json.loads(path.read_text(encoding="utf-8"))
    summaries = []
    for setup in preset["setups"]:
        params = {key: setup[key] for key in scenario.PARAMETER if key in setup}
        result = serverlab.simulate(**params).to_dict()
        result.pop("requests")
        summaries.append(result)
    return summaries


def _read(path: Path, reader: Callable[[Path, float], object]):
    try:
        return reader(path, path.stat().st_mtime)
    except FileNotFoundError:
        raise FigureError(f"no such file: {path}") from None


def _decimals(args: list[str], at: int) -> int:
    if len(args) <= at:
        return 0
    if not args[at].isdigit():
        raise FigureError(f"decimals must be a whole number; got {args[at]!r}")
    return int(args[at])


_MISSING = object()


def _field(value: object, key: str) -> object:
    """One step of a dotted field: a dict's key, or a list's index counted from 0."""
    if isinstance(value, dict):
        return value.get(key, _MISSING)
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        return value[int(key)]
    return _MISSING


def _measured(args: list[str], snippets: Path, text: Text) -> str:
    """`measured ID FIELD [DECIMALS]`: one field of one benchmark record."""
    if len(args) not in (2, 3):
        raise FigureError("measured takes ID FIELD [DECIMALS]")
    data = _read(snippets / "benchmarks" / "results.json", _results)
    records = {record["id"]: record for record in data["servers"]}
    if args[0] not in records:
        raise FigureError(f"no benchmark record {args[0]!r} in results.json")
    value = records[args[0]]
    for key in args[1].split("."):
        value = _field(value, key)
        if value is _MISSING:
            raise FigureError(f"benchmark record {args[0]!r} has no field {args[1]!r}")
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise FigureError(f"{args[0]} {args[1]} is not a number: {value!r}")
    return text.number(value, _decimals(args, 2))


def _lab(args: list[str], snippets: Path, text: Text) -> str:
    """`lab PRESET N METRIC [DECIMALS]`: a headline number of one simulated preset setup."""
    if len(args) not in (3, 4) or not args[1].isdigit():
        raise FigureError("lab takes PRESET N METRIC [DECIMALS], N counting setups from 1")
    summaries = _read(snippets / args[0], _simulated)
    index = int(args[1]) - 1
    if not 0 <= index < len(summaries):
        raise FigureError(f"{args[0]} has {len(summaries)} setups; asked for setup {args[1]}")
    if args[2] not in scenario.METRICS:
        raise FigureError(f"unknown metric {args[2]!r}; known: {', '.join(scenario.METRICS)}")
    return text.number(summaries[index][args[2]], _decimals(args, 3))


def _bench(args: list[str], snippets: Path, text: Text) -> str:
    """`bench COUNT [KIND]`: how many scenarios (or within the tolerance), or repetitions."""
    data = _read(snippets / "benchmarks" / "results.json", _results)
    if args == ["repetitions"]:
        return text.number(data["run"]["repetitions"])
    if not args or args[0] not in ("scenarios", "within") or len(args) > 2:
        raise FigureError("bench takes scenarios|within [KIND] or repetitions")
    if len(args) == 2 and args[1] not in KINDS:
        raise FigureError(f"kind must be one of {', '.join(KINDS)}; got {args[1]!r}")
    records = [r for r in data["servers"] if len(args) == 1 or r["kind"] == args[1]]
    if args[0] == "within":
        records = [r for r in records if r["within_25pct"]]
    return text.number(len(records))


FIGURES: dict[str, Callable[[list[str], Path, Text], str]] = {
    "measured": _measured,
    "lab": _lab,
    "bench": _bench,
}


def fill(markdown: str, language: str, snippets: Path) -> str:
    """The page's Markdown with every figure replaced by its number in `language`."""
    text = Text(language, 1, 25)

    def replace(match: re.Match) -> str:
        figure = FIGURES.get(match["kind"])
        try:
            if figure is None:
                known = ", ".join(FIGURES)
                raise FigureError(f"unknown figure {match['kind']!r}; known: {known}")
            return figure(match["args"].split(), snippets, text)
        except FigureError as error:
            raise FigureError(f"{match[0]}: {error}") from None

    return FIGURE.sub(replace, markdown)
