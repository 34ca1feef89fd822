"""Timed scenarios that tolerate a busy machine.

Other processes can only slow a run down, never speed it up. So a run slower than the
expected upper bound is repeated (a fresh server each time) and the fastest run is kept.
A run faster than the lower bound is a real failure and is never retried.
"""

from harness.realservers import run_scenario


def fastest_run(scenario, upper_ms, attempts=3):
    """The fastest of up to `attempts` runs, stopping at the first within `upper_ms`."""
    runs = []
    for _ in range(attempts):
        result = run_scenario(scenario)
        assert result["statuses"] == {"200": scenario["requests"]}, result
        runs.append(result)
        if result["makespan_ms"] <= upper_ms:
            break
    best = min(runs, key=lambda run: run["makespan_ms"])
    return {**best, "attempts": len(runs), "all_makespans_ms": [r["makespan_ms"] for r in runs]}
