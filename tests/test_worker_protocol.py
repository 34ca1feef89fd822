"""The worker protocol is browser/protocol.js alone: the other files name its messages."""

import json
import re
import subprocess
from typing import get_args

import pytest
from pyrunner.browser import simulate_json
from pyrunner.run import Status
from serverlab import LabError, simulate

from harness.paths import ROOT

BROWSER = ROOT / "browser"
# Every file that sends or reads the worker's messages.
PROTOCOL_USERS = [
    BROWSER / "worker.js",
    BROWSER / "worker-core.js",
    BROWSER / "python-worker-client.js",
    BROWSER / "runnable.js",
    BROWSER / "await-tree.js",
    BROWSER / "lab.js",
    ROOT / "harness" / "pyodide_worker.mjs",
]
# A string given as a `type:` or compared with a `.type`; DOM types ("button") are fine.
TYPE_LITERALS = re.compile(
    r"""\btype\s*:\s*["'`]([^"'`]*)["'`]"""
    r"""|\.type\s*[!=]==?\s*["'`]([^"'`]*)["'`]"""
    r"""|["'`]([^"'`]*)["'`]\s*[!=]==?\s*[\w.]*\.type\b"""
)
MESSAGE_NAME = re.compile(r"\bMESSAGE\.(\w+)")


@pytest.fixture(scope="module")
def protocol():
    """protocol.js's exports, as Node loads them."""
    script = (
        f"import {{ MESSAGE, RUN_STATUS }} from {json.dumps(str(BROWSER / 'protocol.js'))};"
        "console.log(JSON.stringify({ MESSAGE, RUN_STATUS }));"
    )
    node = ["node", "--input-type=module", "-e", script]
    return json.loads(subprocess.run(node, check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("path", PROTOCOL_USERS, ids=lambda path: path.name)
def test_no_message_type_is_written_out_of_protocol_js(protocol, path):
    literals = {"".join(groups) for groups in TYPE_LITERALS.findall(path.read_text("utf-8"))}
    assert literals.isdisjoint(protocol["MESSAGE"].values())


def test_the_messages_the_files_use_are_exactly_those_protocol_js_defines(protocol):
    used = {
        name for path in PROTOCOL_USERS for name in MESSAGE_NAME.findall(path.read_text("utf-8"))
    }
    assert used == set(protocol["MESSAGE"])
    assert len(set(protocol["MESSAGE"].values())) == len(protocol["MESSAGE"])


def test_the_page_knows_every_way_pyrunner_can_end_a_run(protocol):
    assert set(get_args(Status)) <= set(protocol["RUN_STATUS"].values())


def test_simulate_json_answers_a_result_as_data():
    params = {"server": "uvicorn", "view": "async-io", "requests": 3, "ms": 50}
    answer = json.loads(simulate_json(json.dumps(params)))
    assert answer == {"result": json.loads(json.dumps(simulate(**params).to_dict()))}


def test_simulate_json_answers_a_refused_setup_as_the_lab_errors_data_not_a_traceback():
    params = {"server": "gunicorn-sync", "view": "sync-io", "requests": 3, "ms": 50, "cores": 0}
    with pytest.raises(LabError) as refused:
        simulate(**params)
    answer = json.loads(simulate_json(json.dumps(params)))
    assert answer == {"error": refused.value.to_dict()}
    assert answer["error"]["field"] == "cores"
