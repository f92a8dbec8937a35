"""CPU priority of the threads that do heavy work beside the event loop, and the loop's share of the GIL.

On Linux a thread's nice value is its own, and threads it starts inherit it. The event loop stays at the
process's priority and everything else runs below it: transcription and the other worker threads by
`compute_nice` (2; CTranslate2's own threads inherit it from the thread that loads the model), the
interviewer's voice and the turn model by `worker_nice` (10), so the loop answers at once and the candidate's
words are transcribed before the interviewer's are synthesized. Nice only matters when the CPU is contended:
an idle machine runs every thread at full speed.

Measured with 24 sessions (bench/capacity.py): during the loop's stalls over 50 ms it ran on a CPU for only
~10 ms; it waited ~20-30 ms for one (the run queue) and the rest for the GIL, which every call that releases
it (a VAD window in onnxruntime, a large numpy operation) hands to another thread for up to the switch
interval (5 ms by default; `favour_event_loop` makes it 1 ms).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

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


SWITCH_INTERVAL_S = 0.001


def favour_event_loop() -> None:
    """A thread waiting for the GIL asks for it after 1 ms, not 5: the event loop gets it back sooner from the
    worker threads' Python code (their heavy parts run without it)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def niced_executor(nice: int, name: str, workers: int | None = None) -> ThreadPoolExecutor:
    """A thread pool whose threads run `nice` below the thread that starts them."""
    return ThreadPoolExecutor(workers, thread_name_prefix=name, initializer=lower_priority, initargs=(nice,))


def thread_nice() -> int:
    """The calling thread's nice value (tests)."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
