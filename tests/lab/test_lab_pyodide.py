"""The lab gives identical results under Pyodide (the browser's Python) and CPython."""

import json

import pytest
from serverlab import simulate
from test_lab_exact import CANONICAL

pytestmark = pytest.mark.pyodide


def params_of(row):
    server, view, requests, ms, workers, threads, cores, extra, _, _ = row
    return {
        "server": server,
        "view": view,
        "requests": requests,
        "ms": ms,
        "workers": workers,
        "threads": threads,
        "cores": cores,
        **extra,
    }


@pytest.mark.parametrize("row", CANONICAL, ids=lambda row: "-".join(map(str, row[:7])))
def test_a_canonical_scenario_gives_the_same_result_in_pyodide(pyodide, row):
    params = params_of(row)
    expected = json.loads(json.dumps(simulate(**params).to_dict()))
    got = pyodide.simulate(**params)
    assert got == expected
    assert got["makespan_ms"] == row[8]


def test_ten_thousand_requests_simulate_identically_in_pyodide(pyodide):
    params = {"server": "uvicorn", "view": "sync-io", "requests": 10_000, "ms": 100, "workers": 4}
    got = pyodide.simulate(**params)
    assert got == json.loads(json.dumps(simulate(**params).to_dict()))
