"""The command line: `python -m serverlab simulate --server ... --view ...`."""

import argparse
import json
import sys

from serverlab.describe import LANGS, describe
from serverlab.errors import LabError
from serverlab.lab import simulate
from serverlab.servers import DISPATCHES, SERVERS
from serverlab.timeline import render_text
from serverlab.views import VIEW_KINDS


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: no usage dump, exit status 2."""

    def error(self, message: str) -> None:
        self.exit(2, f"serverlab: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m serverlab", description="Simulate WSGI/ASGI servers.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sim = commands.add_parser("simulate", help="run one scenario and print the result")
    sim.add_argument("--server", choices=SERVERS, default="uvicorn")
    sim.add_argument("--view", choices=VIEW_KINDS, default="async-io")
    sim.add_argument("--requests", type=int, default=10)
    sim.add_argument("--ms", type=float, default=100, help="view duration in milliseconds")
    sim.add_argument("--workers", type=int, default=1)
    sim.add_argument("--threads", type=int, default=1)
    sim.add_argument("--cores", type=int, default=2)
    sim.add_argument("--rate", type=float, default=None, help="arrivals per second")
    sim.add_argument("--dispatch", choices=DISPATCHES, default=None, help="uvicorn only")
    sim.add_argument("--thread-start-ms", type=float, default=0)
    sim.add_argument("--switch-ms", type=float, default=0)
    sim.add_argument("--request-overhead-ms", type=float, default=0)
    sim.add_argument("--slice-ms", type=float, default=5)
    sim.add_argument("--width", type=int, default=60, help="timeline width in columns")
    sim.add_argument("--lang", choices=LANGS, default="en")
    sim.add_argument("--json", action="store_true", help="print Result.to_dict() as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        result = simulate(
            server=args.server,
            view=args.view,
            requests=args.requests,
            ms=_plain(args.ms),
            workers=args.workers,
            threads=args.threads,
            cores=args.cores,
            rate_rps=args.rate,
            dispatch=args.dispatch,
            thread_start_ms=_plain(args.thread_start_ms),
            switch_ms=_plain(args.switch_ms),
            request_overhead_ms=_plain(args.request_overhead_ms),
            slice_ms=_plain(args.slice_ms),
        )
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


def _plain(x: float) -> float:
    """Whole floats from the command line become ints, so params echo `100`, not `100.0`."""
    return int(x) if x.is_integer() else x
