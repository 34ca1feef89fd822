import math

# Latencies (ms) of 20 requests fired at once: 16 served at once, 4 queued behind others.
served_at_once = [102, 101, 103, 100, 104, 101, 102, 100, 103, 101, 102, 100, 101, 103, 102, 101]
queued = [205, 206, 310, 412]
latencies = served_at_once + queued


def percentile(values, p):
    """Nearest-rank percentile: the smallest value with at least p % of the values <= it."""
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


mean = sum(latencies) / len(latencies)
print(f"mean {mean:.1f} ms")
for p in (50, 95, 99):
    print(f"p{p}  {percentile(latencies, p)} ms")
print(f"makespan (all answered) {max(latencies)} ms")
