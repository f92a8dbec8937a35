"""CPU priority of the threads that do heavy work beside the event loop.

On Linux a thread's nice value is its own, and threads it starts inherit it. The event loop stays at the
process's priority; work that can wait a little when the cores are short (the interviewer's voice) runs
niced, so the loop answers at once and the candidate's words are transcribed first. Nice only matters when
the CPU is contended: an idle machine runs every thread at full speed.
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger("viva.voice")


def lower_priority(nice: int) -> None:
    """Raise the calling thread's nice value by `nice` (0: unchanged). Never fails: without the permission
    or off Linux the thread keeps its priority."""
    if nice <= 0:
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except (AttributeError, OSError) as exc:
        log.info("thread priority unchanged (%s)", type(exc).__name__)


def thread_nice() -> int:
    """The calling thread's nice value (tests)."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
