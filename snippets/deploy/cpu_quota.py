import math


def cpus_from_cpu_max(text: str) -> float | None:
    """CPUs a cgroup v2 quota grants: "QUOTA PERIOD" in microseconds, or "max" for none."""
    quota, period = text.split()
    return None if quota == "max" else int(quota) / int(period)


def usable_cpus(cpu_max: str, affinity: int) -> int:
    """What to size workers by: the quota rounded up, never more than the CPUs we may run on."""
    quota = cpus_from_cpu_max(cpu_max)
    return affinity if quota is None else min(affinity, math.ceil(quota))


# A 16-CPU node. os.process_cpu_count() sees the affinity mask (16 here, or the
# --cpuset-cpus list); the quota lives only in /sys/fs/cgroup/cpu.max.
host = 16
for cpu_max in ("max 100000", "200000 100000", "150000 100000", "50000 100000"):
    cpus = usable_cpus(cpu_max, host)
    print(
        f"cpu.max {cpu_max!r:17} process_cpu_count {host:2}  usable {cpus:2}"
        f"  Gunicorn (2 x {cpus}) + 1 = {2 * cpus + 1:2}  from the host: {2 * host + 1}"
    )
