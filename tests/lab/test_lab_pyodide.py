"""The lab gives identical results under Pyodide (the browser's Python) and CPython."""

import json

import pytest
from serverlab import LabError, simulate
from test_lab_exact import CANONICAL, params_of, row_id

from harness.pyodide_session import PyodideLabError

pytestmark = pytest.mark.pyodide


@pytest.mark.parametrize("row", CANONICAL, ids=row_id)
def test_a_canonical_scenario_gives_the_same_result_in_pyodide(pyodide, row):
    params = params_of(row)
    expected = json.loads(json.dumps(simulate(**params).to_dict()))
    got = pyodide.simulate(**params)
    assert got == expected
    assert got["makespan_ms"] == row["makespan_ms"]


def test_ten_thousand_requests_simulate_identically_in_pyodide(pyodide):
    params = {"server": "uvicorn", "view": "sync-io", "requests": 10_000, "ms": 100, "workers": 4}
    got = pyodide.simulate(**params)
    assert got == json.loads(json.dumps(simulate(**params).to_dict()))


def test_a_refused_setup_comes_back_from_the_worker_as_data_naming_its_field(pyodide):
    params = {"server": "uvicorn", "view": "sync-io", "requests": 10, "ms": 100, "workers": 0}
    with pytest.raises(LabError) as expected:
        simulate(**params)
    with pytest.raises(PyodideLabError) as refused:
        pyodide.simulate(**params)
    assert refused.value.data == expected.value.to_dict()
    assert refused.value.data["field"] == "workers"
