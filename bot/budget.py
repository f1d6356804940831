"""A CPU-time budget for one job: a page or text that takes too long is stopped.

A profiling timer (``ITIMER_PROF``) counts the process's CPU time, user and
system, and sends ``SIGPROF`` when the budget is spent; the handler turns it
into :class:`TooComplexError` in the running job. Unlike ``RLIMIT_CPU``, which
counts whole seconds and whose hard limit a process can never raise again, the
timer is exact to a few milliseconds and is simply cleared for the next job.
It repeats every second after it first fires, so a library's broad
``except Exception`` that swallows the first one cannot keep the job alive. A
job stuck in C code that never lets the handler run is the caller's to stop
(the bot's service kills such a worker after a long grace period).

CPU time, not wall time: a job waiting for a busy core is not charged for it.
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from bot.errors import TooComplexError

__all__ = ["cpu_budget", "cpu_seconds_used"]

_REPEAT_SECONDS = 1.0


def cpu_seconds_used() -> float:
    """User plus system CPU seconds this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _over_budget(signum: int, frame: FrameType | None) -> None:
    raise TooComplexError("the text took too long to summarise")


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Run the block with at most ``seconds`` of CPU time, else ``TooComplexError``.

    ``None`` or a value ≤ 0 means no budget. Outside the main thread (signals
    reach only the main thread) the block runs unbounded.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _over_budget)
    signal.setitimer(signal.ITIMER_PROF, seconds, _REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
