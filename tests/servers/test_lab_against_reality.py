"""The server lab's predicted makespan matches real servers running the demo project."""

import pytest
import serverlab

from benchmarks.matrix import scenario
from harness.scenarios import fastest_run, simulate_kwargs

pytestmark = pytest.mark.servers

TOLERANCE = 0.25


# I/O scenarios: the lab and the machine must agree within 25 %.
SCENARIOS = [
    scenario("gunicorn-sync", "sync-io", workers=2, requests=6, ms=200, threads=1),
    scenario("gunicorn-sync", "async-io", workers=1, requests=4, ms=150, threads=1),
    scenario("gunicorn-gthread", "sync-io", workers=1, requests=8, ms=100, threads=4),
    scenario("uvicorn", "async-io", workers=1, requests=10, ms=200, threads=1),
    scenario("uvicorn", "sync-io", workers=1, requests=10, ms=200, threads=1),
    scenario("uvicorn", "async-blocking", workers=1, requests=4, ms=150, threads=1),
    # Uvicorn workers share one listening socket and the first loop to wake accepts the
    # whole burst, so a second worker does not help: the lab's "shared-accept" default.
    scenario("uvicorn", "async-blocking", workers=2, requests=10, ms=100, threads=1),
]


def scenario_id(setup):
    return "{server}-{workers}x{threads}-{view}-{requests}req-{ms}ms".format(**setup)


def predicted_and_measured(setup):
    predicted = serverlab.simulate(**simulate_kwargs(setup)).to_dict()["makespan_ms"]
    measured = fastest_run(setup, upper_ms=predicted * (1 + TOLERANCE))
    return predicted, measured


@pytest.mark.parametrize("setup", SCENARIOS, ids=scenario_id)
def test_the_lab_predicts_the_real_makespan_within_a_quarter(setup):
    predicted, measured = predicted_and_measured(setup)
    assert abs(measured["makespan_ms"] - predicted) <= TOLERANCE * predicted, (predicted, measured)
