"""The start-up handoff: what a worker reads reaches the screen exactly once."""

from __future__ import annotations

import threading

from tui.handoff import Handoff


def test_a_value_offered_in_time_is_taken_and_not_posted_again() -> None:
    handoff: Handoff[str] = Handoff()
    worker = threading.Thread(target=lambda: results.append(handoff.offer("article")))
    results: list[bool] = []
    worker.start()
    assert handoff.take(timeout=30) == "article"
    worker.join()
    assert results == [True]  # the worker leaves it to the first frame


def test_a_value_offered_after_the_wait_is_left_to_the_worker() -> None:
    """A slow read must still reach the screen: the worker posts it itself."""
    handoff: Handoff[str] = Handoff()
    assert handoff.take(timeout=0) is None
    assert handoff.offer("article") is False


def test_a_declined_handoff_ends_the_wait() -> None:
    """A first start (the samples are imported) does not hold the first frame back."""
    handoff: Handoff[str] = Handoff()
    waiting = threading.Thread(target=lambda: results.append(handoff.take(timeout=60)))
    results: list[str | None] = []
    waiting.start()
    handoff.decline()
    waiting.join(timeout=30)
    assert not waiting.is_alive() and results == [None]
    assert handoff.offer("article") is False
