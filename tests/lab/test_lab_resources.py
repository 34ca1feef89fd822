"""The engine's resources: grant, queue in FIFO order, hand over on release, withdraw."""

import pytest
from serverlab.resources import ConnectionPool, Resource, ThreadPool


class Job:
    """A stand-in holder: resources only need identity (and `slot` for thread pools)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.slot = 0

    def __repr__(self) -> str:
        return self.name


def jobs(n: int) -> list[Job]:
    return [Job(f"j{i}") for i in range(n)]


def test_a_resource_grants_up_to_its_capacity_then_queues():
    cores = Resource(2)
    a, b, c = jobs(3)
    assert cores.request(a) is True
    assert cores.request(b) is True
    assert cores.request(c) is False
    assert list(cores.holders) == [a, b]
    assert list(cores.waiters) == [c]


def test_a_release_hands_the_unit_to_the_oldest_waiter():
    gil = Resource(1)
    a, b, c = jobs(3)
    for job in (a, b, c):
        gil.request(job)
    assert gil.release(a) is b
    assert list(gil.holders) == [b]
    assert gil.release(b) is c
    assert gil.release(c) is None
    assert not gil.holders
    assert not gil.waiters


def test_a_release_with_nobody_waiting_frees_a_unit_for_the_next_request():
    loop = Resource(1)
    a, b = jobs(2)
    loop.request(a)
    assert loop.release(a) is None
    assert loop.request(b) is True


def test_holders_are_kept_in_grant_order():
    cores = Resource(3)
    a, b, c, d = jobs(4)
    for job in (a, b, c, d):
        cores.request(job)
    cores.release(a)  # d takes a's core and comes last
    assert list(cores.holders) == [b, c, d]


def test_a_thread_pool_numbers_threads_from_one_and_reuses_the_lowest_free():
    pool = ThreadPool(3)
    a, b, c, d = jobs(4)
    for job in (a, b, c):
        pool.request(job)
    assert [a.slot, b.slot, c.slot] == [1, 2, 3]
    pool.release(c)
    pool.release(a)
    pool.request(d)
    assert d.slot == 1


def test_a_thread_pool_hands_the_freed_thread_itself_to_the_waiter():
    pool = ThreadPool(2)
    a, b, c = jobs(3)
    for job in (a, b, c):
        pool.request(job)
    assert c.slot == 0  # still waiting: no thread yet
    assert pool.release(b) is c
    assert c.slot == 2


def test_a_connection_pool_queues_a_waiter_until_its_deadline():
    pool = ConnectionPool(1, timeout_us=30_000)
    a, b = jobs(2)
    assert pool.request(a, now=0) is True
    assert pool.request(b, now=5_000) is False
    assert pool.deadlines == {b: 35_000}


def test_a_connection_pool_serves_waiters_in_fifo_order():
    pool = ConnectionPool(1, timeout_us=30_000)
    a, b, c = jobs(3)
    for t, job in enumerate((a, b, c)):
        pool.request(job, now=t)
    assert pool.release(a) is b
    assert pool.release(b) is c
    assert pool.release(c) is None


def test_a_waiter_withdrawn_at_its_timeout_is_skipped_by_the_next_release():
    pool = ConnectionPool(1, timeout_us=30_000)
    a, b, c = jobs(3)
    for job in (a, b, c):
        pool.request(job, now=0)
    assert pool.withdraw(b) is True
    assert pool.release(a) is c
    assert list(pool.holders) == [c]
    assert pool.deadlines == {}


def test_a_timeout_after_the_grant_withdraws_nothing():
    pool = ConnectionPool(1, timeout_us=30_000)
    a, b = jobs(2)
    pool.request(a, now=0)
    pool.request(b, now=0)
    assert pool.release(a) is b
    assert pool.withdraw(b) is False
    assert list(pool.holders) == [b]


def test_a_release_with_only_withdrawn_waiters_frees_the_connection():
    pool = ConnectionPool(2, timeout_us=1)
    a, b, c, d = jobs(4)
    for job in (a, b, c):
        pool.request(job, now=0)
    pool.withdraw(c)
    assert pool.release(a) is None
    assert pool.request(d, now=2) is True
    assert list(pool.holders) == [b, d]


@pytest.mark.parametrize("capacity", [1, 3])
def test_a_full_resource_grants_again_once_every_holder_released(capacity):
    resource = Resource(capacity)
    holders = jobs(capacity)
    for job in holders:
        resource.request(job)
    late = Job("late")
    assert resource.request(late) is False
    assert resource.release(holders[0]) is late
    for job in holders[1:]:
        assert resource.release(job) is None
    assert resource.release(late) is None
    assert resource.request(Job("next")) is True
