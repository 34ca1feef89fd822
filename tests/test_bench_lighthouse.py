"""How `make bench` condenses a page's Lighthouse runs into its row."""

from benchmarks.lighthouse_scores import median_run


def run(performance: int, tbt: float) -> dict:
    return {"scores": {"performance": performance}, "metrics_ms": {"total-blocking-time": tbt}}


def test_a_page_row_is_its_run_with_the_median_performance_and_keeps_every_score():
    row = median_run([run(97, 160), run(92, 350), run(95, 230)])
    assert row["scores"]["performance"] == 95
    assert row["metrics_ms"]["total-blocking-time"] == 230
    assert row["performance_runs"] == [97, 92, 95]


def test_of_two_runs_the_row_is_the_lower_one():
    assert median_run([run(96, 0), run(94, 0)])["scores"]["performance"] == 94
