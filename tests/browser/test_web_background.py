"""The workspace's background computations (no browser): one at a time, kept per key, and the
newest finished result of a family stands in while a newer one is computed."""

from __future__ import annotations

import threading

from tradecoop.web.overview import Background


def test_an_earlier_result_stands_in_while_the_newer_one_is_computed() -> None:
    jobs = Background(ttl=60, size=4)
    first = jobs.submit(("overview", "BLR", "RU-CHE", 1), lambda: "revision 1", family=("overview", "BLR", "RU-CHE"))
    assert first.result(timeout=10) == "revision 1"
    assert jobs.submit(("overview", "BLR", "RU-CHE", 1), lambda: "again") is first  # kept, not recomputed
    release = threading.Event()
    newer = jobs.submit(("overview", "BLR", "RU-CHE", 2), lambda: release.wait(10) and "revision 2",
                        family=("overview", "BLR", "RU-CHE"))
    assert not newer.done()
    assert jobs.latest(("overview", "BLR", "RU-CHE")) is first  # shown meanwhile
    release.set()
    assert newer.result(timeout=10) == "revision 2"
    assert jobs.latest(("overview", "BLR", "RU-CHE")) is newer
    assert jobs.latest(("overview", "BLR", "RUS")) is None


def test_a_failed_computation_is_not_kept_as_the_latest() -> None:
    jobs = Background(ttl=60, size=4)

    def fail() -> str:
        raise RuntimeError("store unreadable")

    failed = jobs.submit(("ranking", 1), fail, family=("ranking",))
    assert isinstance(failed.exception(timeout=10), RuntimeError)
    assert jobs.latest(("ranking",)) is None
