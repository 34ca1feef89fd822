"""Summary statistics: nearest-rank percentiles and peaks of overlapping intervals."""

import math
from collections.abc import Sequence


def nearest_rank(sorted_values: Sequence[int], pct: float) -> int:
    """The pct-th percentile by nearest rank: the value at rank ceil(pct/100 × n), 1-based."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def peak_overlap(starts: list[int], ends: list[int]) -> int:
    """Most intervals [start, end) open at once; an interval ending at t is gone at t."""
    starts, ends = sorted(starts), sorted(ends)
    peak = current = j = 0
    for s in starts:
        while j < len(ends) and ends[j] <= s:
            current -= 1
            j += 1
        current += 1
        peak = max(peak, current)
    return peak
