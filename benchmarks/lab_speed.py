"""Time serverlab.simulate for 1,000 / 10,000 / 100,000 requests; print (and save) JSON."""

import argparse
import json
import time
from pathlib import Path

from serverlab import simulate

SIZES = (1_000, 10_000, 100_000)
SCENARIOS = {
    "uvicorn-async-io-4w": {"server": "uvicorn", "view": "async-io", "workers": 4},
    "gthread-sync-io-4x8": {
        "server": "gunicorn-gthread",
        "view": "sync-io",
        "workers": 4,
        "threads": 8,
    },
    "uvicorn-sync-io-2w": {"server": "uvicorn", "view": "sync-io", "workers": 2},
    "sync-cpu-8w-2cores": {
        "server": "gunicorn-sync",
        "view": "sync-cpu",
        "workers": 8,
        "cores": 2,
        "ms": 20,
    },
}


def measure() -> dict:
    """Best of three wall-clock timings per scenario and size (one run for the largest)."""
    rows = []
    for name, params in SCENARIOS.items():
        for n in SIZES:
            best = float("inf")
            for _ in range(1 if n >= 100_000 else 3):
                started = time.perf_counter()
                simulate(requests=n, **params)
                best = min(best, time.perf_counter() - started)
            rows.append({"requests": n, "scenario": name, "seconds": round(best, 4)})
    return {"lab_speed": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    args = parser.parse_args()
    text = json.dumps(measure(), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
