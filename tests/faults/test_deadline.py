"""The run's deadline: a timer interrupts whatever blocks past it, nested blocks keep the earliest."""
from __future__ import annotations

import signal
import time

import pytest

from cmdai import deadline
from cmdai.errors import BackendTimeoutError


def too_slow(name: str = "outer"):
    return lambda: BackendTimeoutError(f"{name} too slow")


def test_a_blocking_call_is_interrupted_at_the_deadline():
    start = time.monotonic()
    with pytest.raises(BackendTimeoutError):
        with deadline.enforced(start + 0.2, too_slow()):
            time.sleep(5)

    assert time.monotonic() - start < 1.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)


def test_the_earliest_of_nested_deadlines_wins():
    start = time.monotonic()
    with pytest.raises(BackendTimeoutError) as caught:
        with deadline.enforced(start + 0.2, too_slow("outer")):
            with deadline.enforced(start + 10, too_slow("inner")):
                time.sleep(5)

    assert "too slow" in caught.value.message
    assert time.monotonic() - start < 1.0


def test_a_passed_deadline_fails_at_once_and_an_infinite_one_sets_no_timer():
    with pytest.raises(BackendTimeoutError):
        with deadline.enforced(time.monotonic() - 1, too_slow()):
            pytest.fail("the block must not run")
    with deadline.enforced(float("inf"), too_slow()):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_run_fixes_its_deadline_once_from_its_start():
    deadline.start_invocation(at_process_start=False)
    try:
        first = deadline.deadline_for(5)
        time.sleep(0.05)
        assert deadline.deadline_for(30) == first == deadline.current()
    finally:
        deadline.end_invocation()
    assert deadline.current() is None
    assert deadline.deadline_for(5) > first  # outside a run: from now


def test_the_innermost_block_names_the_timeout_when_deadlines_are_equal():
    end = time.monotonic() + 0.2
    with pytest.raises(BackendTimeoutError) as caught:
        with deadline.enforced(end, too_slow("outer")):
            with deadline.enforced(end, too_slow("inner")):
                time.sleep(5)
            time.sleep(0.3)  # never reached: the inner error propagates

    assert caught.value.message == "inner too slow"


def test_another_user_of_the_timer_keeps_its_alarms():
    # The widget's budget and ticks use the same timer: they fire during and after a block.
    calls = []

    def widget_tick(signum, frame):
        calls.append(time.monotonic())
        signal.setitimer(signal.ITIMER_REAL, 0.1)  # the next tick

    previous = signal.signal(signal.SIGALRM, widget_tick)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with deadline.enforced(time.monotonic() + 5, too_slow()):
            time.sleep(0.35)
        during = len(calls)
        assert signal.getsignal(signal.SIGALRM) is widget_tick
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.1
        time.sleep(0.25)
    finally:
        # Ignore first: a tick already pending would otherwise re-arm the timer after it is stopped,
        # and fire into the default handler, which ends the whole test run.
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert during >= 2 and len(calls) > during
