"""The benchmark matrix: every row a valid lab scenario, calibrated and judged as documented."""

import pytest
import serverlab

from benchmarks import matrix


def test_every_row_of_the_matrix_is_a_scenario_the_lab_can_predict():
    for setup in matrix.MATRIX + matrix.QUICK:
        predicted = matrix.predict(setup, cores=2)
        assert predicted["makespan_ms"] > 0, setup


def test_every_scenario_of_the_matrix_has_its_own_name():
    names = [matrix.scenario_id(setup) for setup in matrix.MATRIX]
    assert len(set(names)) == len(names)


def test_the_matrix_covers_every_server_of_the_lab_and_both_database_views():
    assert {s["server"] for s in matrix.MATRIX} == set(serverlab.SERVERS)
    assert {s["view"] for s in matrix.MATRIX} >= set(matrix.DB_VIEWS)


def test_a_row_with_an_unknown_parameter_is_refused():
    with pytest.raises(ValueError, match="db_pol"):
        matrix.scenario("uvicorn", "async-db", 1, 10, 100, db_pol=2)


def test_a_database_row_is_calibrated_on_its_own_view_with_a_pool_that_does_not_queue():
    row = matrix.scenario("uvicorn", "async-db", 1, 6, 300, db_pool=2, db_pool_timeout_ms=500)
    setup = matrix.calibration_setup(row)
    assert (setup["view"], setup["ms"], setup["db_pool"]) == ("async-db", 0, 10)
    assert setup["requests"] >= setup["db_pool"]
    assert matrix.calibration_key(row) == ("uvicorn", "async-db")


def test_a_row_without_a_database_is_calibrated_on_the_servers_own_io_view():
    wsgi = matrix.calibration_setup(matrix.scenario("uwsgi", "sync-cpu", 2, 10, 100))
    asgi = matrix.calibration_setup(matrix.scenario("granian-asgi", "async-cpu", 1, 10, 100))
    assert (wsgi["view"], asgi["view"]) == ("sync-io", "async-io")
    assert matrix.calibration_key(matrix.scenario("uwsgi", "sync-io", 1, 10, 100)) == ("uwsgi", "")


def test_each_database_row_runs_against_the_postgresql_with_its_max_connections():
    small = matrix.scenario("uvicorn", "sync-db", 1, 12, 300, db_max_connections=10)
    usual = matrix.scenario("uvicorn", "sync-db", 1, 10, 200)
    urls = {10: "postgres://small", 100: "postgres://usual"}
    assert matrix.database_for(small, urls) == "postgres://small"
    assert matrix.database_for(usual, urls) == "postgres://usual"
    assert matrix.database_for(matrix.scenario("uvicorn", "async-io", 1, 10, 100), urls) is None


def run_with(statuses, makespan_ms=300.0):
    return {
        "statuses": statuses,
        "makespan_ms": makespan_ms,
        **{p: makespan_ms for p in matrix.PERCENTILES},
        "processes_used": 1,
        "threads_used": 1,
        "busy_before_pct": 0.0,
    }


def test_a_database_row_matches_when_the_same_requests_fail_as_predicted():
    setup = matrix.scenario("uvicorn", "async-db", 1, 6, 300, db_pool=2, db_pool_timeout_ms=500)
    predicted = matrix.predict(setup, cores=2)
    assert predicted["failed"] == 2
    runs = [run_with({"200": 4, "500": 2}, predicted["makespan_ms"])] * 3
    assert matrix.summarise(setup, predicted, runs)["within_25pct"] is True


def test_a_database_row_misses_when_more_requests_fail_than_predicted():
    setup = matrix.scenario("uvicorn", "async-db", 1, 6, 300, db_pool=2, db_pool_timeout_ms=500)
    predicted = matrix.predict(setup, cores=2)
    runs = [run_with({"200": 1, "500": 5}, predicted["makespan_ms"])] * 3
    assert matrix.summarise(setup, predicted, runs)["within_25pct"] is False


def test_a_500_from_a_view_the_model_says_succeeds_makes_the_run_unusable():
    setup = matrix.scenario("uvicorn", "async-io", 1, 10, 100)
    predicted = matrix.predict(setup, cores=2)
    record = matrix.summarise(setup, predicted, [run_with({"200": 9, "500": 1}, 110)] * 3)
    assert (record["measured"], record["failed_runs"], record["within_25pct"]) == (None, 3, False)


def test_a_measurement_inside_the_racy_range_counts_as_a_match():
    setup = matrix.scenario("granian-wsgi", "sync-io", 2, 10, 200)
    predicted = matrix.predict(setup, cores=2)
    low, high = predicted["range_ms"]
    record = matrix.summarise(setup, predicted, [run_with({"200": 10}, (low + high) / 2)] * 3)
    assert (record["diff_pct"], record["within_25pct"]) == (0.0, True)
