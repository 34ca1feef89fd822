"""The command line: `python -m serverlab simulate --server ... --view ...`."""

import argparse
import json
import sys

from serverlab.describe import describe
from serverlab.errors import LabError
from serverlab.lab import simulate
from serverlab.scenario import (
    CHOICE,
    LANGUAGES,
    NUMBER,
    OPTIONAL_NUMBER,
    PARAMETERS,
    WHOLE,
    Parameter,
    help_label,
)
from serverlab.timeline import render_text

# How argparse reads each parameter type; choices are checked by argparse itself.
_CONVERTERS = {WHOLE: int, NUMBER: float, OPTIONAL_NUMBER: float}


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: no usage dump, exit status 2."""

    def error(self, message: str) -> None:
        self.exit(2, f"serverlab: error: {message}\n")


def _add(command: argparse.ArgumentParser, parameter: Parameter) -> None:
    """One option of `simulate`, generated from the parameter's row in the vocabulary."""
    notes = [] if parameter.min is None else [f"from {parameter.min} to {parameter.max}"]
    if parameter.default is not None:
        notes.append(f"default: {parameter.default}")
    text = help_label(parameter)["en"] + "".join(f" ({note})" for note in notes)
    options: dict = {"dest": parameter.name, "default": parameter.default, "help": text}
    if parameter.type == CHOICE:
        # Every name the vocabulary knows: which ones a server accepts is simulate()'s call.
        options["choices"] = parameter.choices
    else:
        options["type"] = _CONVERTERS[parameter.type]
    command.add_argument(parameter.flag, **options)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m serverlab", description="Simulate WSGI/ASGI servers.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sim = commands.add_parser("simulate", help="run one scenario and print the result")
    for parameter in PARAMETERS:
        _add(sim, parameter)
    sim.add_argument("--width", type=int, default=60, help="timeline width in columns")
    sim.add_argument("--lang", choices=LANGUAGES, default="en")
    sim.add_argument("--json", action="store_true", help="print Result.to_dict() as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    params = {p.name: _plain(getattr(args, p.name)) for p in PARAMETERS}
    try:
        result = simulate(**params)
    except LabError as exc:
        print(f"serverlab: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(describe(result, args.lang))
        print()
        print(render_text(result, width=args.width))
    return 0


def _plain(value):
    """Whole floats from the command line become ints, so params echo `100`, not `100.0`."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
