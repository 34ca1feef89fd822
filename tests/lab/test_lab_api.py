"""The public API: parameter checks, Result.to_dict, describe() and the text timeline."""

import json

import pytest
from serverlab import LabError, describe, simulate
from serverlab.timeline import render_text


@pytest.mark.parametrize(
    ("kwargs", "field", "named"),
    [
        ({"workers": 0}, "workers", "workers must be a whole number from 1 to 64"),
        ({"workers": 65}, "workers", "workers"),
        ({"workers": 1.5}, "workers", "workers"),
        ({"workers": True}, "workers", "workers"),
        (
            {"server": "gunicorn-gthread", "threads": 257},
            "threads",
            "threads must be a whole number",
        ),
        ({"cores": 0}, "cores", "cores"),
        ({"requests": 0}, "requests", "requests must be a whole number from 1 to 100000"),
        ({"requests": 100_001}, "requests", "requests"),
        ({"ms": -1}, "ms", "ms must be a number from 0 to 60000"),
        ({"ms": 60_001}, "ms", "ms"),
        ({"ms": float("nan")}, "ms", "ms"),
        ({"rate_rps": 0}, "rate_rps", "rate_rps must be above 0"),
        ({"rate_rps": -5}, "rate_rps", "rate_rps"),
        ({"thread_start_ms": -1}, "thread_start_ms", "thread_start_ms"),
        ({"slice_ms": 5000}, "slice_ms", "slice_ms"),
        ({"server": "nginx"}, "server", "gunicorn-sync, gunicorn-gthread, gunicorn-gevent"),
        (
            {"view": "sleepy"},
            "view",
            "sync-io, async-io, async-blocking, sync-cpu, async-cpu, sync-db, async-db",
        ),
        (
            {"threads": 4},
            "threads",
            "these servers have one: gunicorn-gthread, uwsgi, granian-wsgi",
        ),
        (
            {"server": "gunicorn-sync", "threads": 2},
            "threads",
            "threads must be 1 for gunicorn-sync",
        ),
        ({"server": "gunicorn-sync", "dispatch": "least-busy"}, "dispatch", "does not apply"),
        ({"dispatch": "random"}, "dispatch", "round-robin, least-busy"),
        ({"dispatch": "shared-queue"}, "dispatch", "dispatch for uvicorn must be one of"),
    ],
)
def test_bad_parameters_raise_a_lab_error_naming_the_parameter(kwargs, field, named):
    with pytest.raises(LabError, match=named.replace("(", r"\(")) as caught:
        simulate(**kwargs)
    assert caught.value.field == field


def test_lab_error_is_a_value_error():
    assert issubclass(LabError, ValueError)


def test_to_dict_is_json_ready_with_the_documented_keys():
    data = simulate("gunicorn-gthread", "sync-io", requests=5, workers=2, threads=2).to_dict()
    json.dumps(data)
    for key in ("makespan_ms", "throughput_rps", "p50_ms", "p95_ms", "p99_ms"):
        assert isinstance(data[key], float)
    for key in ("peak_concurrency", "peak_threads", "requests", "lanes", "params"):
        assert key in data
    assert data["lanes"] == ["w1/t1", "w1/t2", "w2/t1", "w2/t2"]
    first = data["requests"][0]
    assert {"id", "lane", "arrival_ms", "start_ms", "end_ms", "segments"} <= set(first)
    assert first["segments"] == [["io", 0.0, 100.0]]
    assert data["params"]["server"] == "gunicorn-gthread"


def test_gthread_spreads_simultaneous_requests_over_processes():
    result = simulate("gunicorn-gthread", "sync-io", requests=4, workers=2, threads=2)
    assert [r.lane for r in result.requests] == ["w1/t1", "w2/t1", "w1/t2", "w2/t2"]


def test_uvicorn_lanes_list_each_loop_then_its_request_threads():
    result = simulate("uvicorn", "sync-io", requests=3, workers=2, dispatch="round-robin")
    assert result.lanes == ["w1/loop", "w1/thread1", "w1/thread2", "w2/loop", "w2/thread1"]
    assert [r.lane for r in result.requests] == ["w1/thread1", "w2/thread1", "w1/thread2"]


def test_thread_slots_are_reused_once_a_request_thread_ends():
    result = simulate("uvicorn", "sync-io", requests=5, ms=10, rate_rps=50)
    assert {r.lane for r in result.requests} == {"w1/thread1"}
    assert result.summary.peak_threads == 2


def test_percentiles_use_the_nearest_rank():
    summary = simulate("gunicorn-sync", "sync-io", requests=20, ms=10).summary
    assert (summary.p50_ms, summary.p95_ms, summary.p99_ms) == (100, 190, 200)
    assert summary.throughput_rps == 100
    assert summary.mean_ms == 105


def test_zero_length_runs_have_no_throughput():
    summary = simulate("uvicorn", "async-io", ms=0).summary
    assert summary.makespan_ms == 0 and summary.throughput_rps is None


def test_describe_speaks_english_and_vietnamese():
    result = simulate("gunicorn-sync", "sync-io", requests=10, ms=100, workers=4)
    english = describe(result)
    assert "Makespan: 300 ms." in english
    assert "Throughput: 33.3 requests/s." in english
    vietnamese = describe(result, "vi")
    assert "Thời gian hoàn tất (makespan): 300 ms." in vietnamese
    assert "Thông lượng (throughput): 33,3 request/giây." in vietnamese
    assert "4 worker" in vietnamese


def test_describe_mentions_blocked_time_and_the_event_loop():
    result = simulate("uvicorn", "async-blocking", requests=3, ms=100)
    assert "event loop" in describe(result)
    assert "300 ms" in describe(result, "vi")
    with pytest.raises(LabError, match="lang"):
        describe(result, "fr")


def test_timeline_has_one_row_per_lane_and_a_queue_row():
    result = simulate("gunicorn-sync", "sync-io", requests=10, ms=100, workers=4)
    lines = render_text(result, width=30).splitlines()
    assert lines[0].endswith("300 ms")
    assert lines[1].startswith("queued")
    rows = [line for line in lines if line.startswith("w")]
    assert [row.split()[0] for row in rows] == ["w1", "w2", "w3", "w4"]
    assert rows[0].split()[1] == "~" * 30
    assert rows[3].split()[1] == "~" * 20 + "." * 10


def test_timeline_groups_lanes_when_there_are_many():
    result = simulate("uvicorn", "sync-io", requests=100)
    lines = render_text(result, max_rows=8).splitlines()
    rows = [line for line in lines if line.startswith("w")]
    assert len(rows) == 8
    assert rows[0].startswith("w1/loop..w1/thread")


def test_timeline_marks_blocked_time_on_a_stuck_loop():
    result = simulate("uvicorn", "async-blocking", requests=3, ms=100)
    row = render_text(result, width=30).splitlines()[2]
    assert row.split()[1] == "!" * 20 + "~" * 10
