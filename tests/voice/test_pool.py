"""The shared transcription pool: priorities, bounds, promotion, cancellation, errors."""

from __future__ import annotations

import asyncio
import threading

import pytest

from app.voice.pool import PoolFull, Priority, TranscriptionPool
from app.voice.stt import TranscriptionError
from tests.voice.fakes import BatchingFake, FakeTranscriber, silence


def gated() -> FakeTranscriber:
    fake = FakeTranscriber()
    fake.gate = threading.Event()
    return fake


async def wait_started(pool: TranscriptionPool) -> None:
    while pool.running == 0:
        await asyncio.sleep(0.005)


async def blocked(max_queued: int = 8) -> tuple[FakeTranscriber, TranscriptionPool]:
    """A one-worker pool busy with a job (prompt "running") until fake.gate is set."""
    fake = gated()
    pool = TranscriptionPool(fake, workers=1, max_queued=max_queued)
    pool.try_submit(silence(100), "running", Priority.CHUNK)
    await wait_started(pool)
    return fake, pool


async def test_finals_run_before_chunks_before_partials():
    fake, pool = await blocked()
    partial = pool.try_submit(silence(300), "p", Priority.PARTIAL)
    chunk = pool.try_submit(silence(200), "c", Priority.CHUNK)
    final = pool.try_submit(silence(400), "f", Priority.FINAL)
    fake.gate.set()
    await asyncio.gather(partial.future, chunk.future, final.future)
    assert [prompt for _, prompt in fake.calls] == ["running", "f", "c", "p"]
    await pool.close()


async def test_promotion_moves_a_queued_job_ahead():
    fake, pool = await blocked()
    first = pool.try_submit(silence(100), "first", Priority.CHUNK)
    second = pool.try_submit(silence(100), "second", Priority.CHUNK)
    pool.promote(second, Priority.FINAL)
    fake.gate.set()
    await asyncio.gather(first.future, second.future)
    assert [p for _, p in fake.calls] == ["running", "second", "first"]
    assert pool.queued == 0
    await pool.close()


async def test_queue_bound_refuses_then_waits_for_room():
    fake, pool = await blocked(max_queued=2)
    pool.try_submit(silence(100), None, Priority.CHUNK)
    pool.try_submit(silence(100), None, Priority.CHUNK)
    assert pool.full
    with pytest.raises(PoolFull):
        pool.try_submit(silence(100), None, Priority.FINAL)
    waiting = asyncio.create_task(pool.submit(silence(100), "late", Priority.FINAL))
    await asyncio.sleep(0.02)
    assert not waiting.done()  # no room yet: it waits, nothing is dropped
    fake.gate.set()
    job = await waiting
    result = await job.future
    assert result.text == fake.text and "late" in [prompt for _, prompt in fake.calls]
    await pool.close()


async def test_cancelled_jobs_never_run_and_free_their_place():
    fake, pool = await blocked(max_queued=1)
    doomed = pool.try_submit(silence(100), "doomed", Priority.CHUNK)
    pool.cancel(doomed)
    assert doomed.future.cancelled() and not pool.full
    kept = pool.try_submit(silence(100), "kept", Priority.CHUNK)
    fake.gate.set()
    await kept.future
    assert [p for _, p in fake.calls] == ["running", "kept"]
    await pool.close()


async def test_errors_reach_the_caller_and_the_pool_goes_on():
    fake = FakeTranscriber(error=RuntimeError("model exploded"))
    pool = TranscriptionPool(fake, workers=1)
    job = pool.try_submit(silence(100), None, Priority.FINAL)
    with pytest.raises(TranscriptionError):
        await job.future
    fake.error = None
    again = pool.try_submit(silence(100), None, Priority.FINAL)
    assert (await again.future).text == fake.text
    await pool.close()


async def test_prompt_is_computed_when_the_job_starts():
    fake, pool = await blocked()
    state = {"text": "before"}
    job = pool.try_submit(silence(100), lambda: state["text"], Priority.CHUNK)
    state["text"] = "after"
    fake.gate.set()
    await job.future
    assert fake.calls[-1] == (0.1, "after")
    await pool.close()


async def test_two_workers_run_two_jobs_at_once():
    fake = gated()
    pool = TranscriptionPool(fake, workers=2)
    jobs = [pool.try_submit(silence(100), None, Priority.CHUNK) for _ in range(3)]
    while pool.running < 2:
        await asyncio.sleep(0.005)
    assert pool.running == 2 and pool.queued == 1 and not pool.idle
    fake.gate.set()
    await asyncio.gather(*(j.future for j in jobs))
    assert pool.idle
    await pool.close()


async def blocked_batching(size: int) -> tuple[BatchingFake, TranscriptionPool]:
    """A one-worker pool of a batching transcriber, busy with a job alone (prompt "running") until the gate."""
    fake = BatchingFake(batch_size=size)
    fake.gate = threading.Event()
    pool = TranscriptionPool(fake, workers=1, max_queued=8)
    pool.try_submit(silence(100), "running", Priority.CHUNK)
    await wait_started(pool)
    return fake, pool


async def test_a_burst_of_turn_clips_runs_as_one_batched_call():
    """Several sessions' clips queued at once go to a free worker together (in priority order), at most
    batch_size at a time; partials never join a batch."""
    fake, pool = await blocked_batching(3)
    jobs = [pool.try_submit(silence(1000), f"c{i}", Priority.CHUNK) for i in range(3)]
    final = pool.try_submit(silence(1000), "f", Priority.FINAL)
    partial = pool.try_submit(silence(1000), "p", Priority.PARTIAL)
    fake.gate.set()
    got = await asyncio.gather(final.future, *(j.future for j in jobs), partial.future)
    assert fake.batches == [["f", "c0", "c1"]]  # the final first, then the chunks in order
    assert fake.calls == [(0.1, "running"), (1.0, "c2"), (1.0, "p")]  # alone: the rest, and the partial
    assert [t.text for t in got[:3]] == ["we shard by user id f", "we shard by user id c0", "we shard by user id c1"]
    await pool.close()


async def test_one_failed_clip_in_a_batch_fails_only_its_own_job():
    fake, pool = await blocked_batching(4)
    good, bad = (pool.try_submit(silence(1000), p, Priority.CHUNK) for p in ("good", "bad"))
    fake.gate.set()
    assert (await good.future).text.endswith("good")
    with pytest.raises(TranscriptionError):
        await bad.future
    await pool.close()


async def test_clips_of_very_different_lengths_are_not_batched():
    fake, pool = await blocked_batching(4)
    short = pool.try_submit(silence(1000), "short", Priority.CHUNK)
    long_ = pool.try_submit(silence(20_000), "long", Priority.CHUNK)
    fake.gate.set()
    await asyncio.gather(short.future, long_.future)
    assert ["short", "long"] not in fake.batches
    await pool.close()


async def test_two_chunks_of_one_turn_are_never_batched_together():
    """The later chunk's prompt carries the earlier one's words; other sessions' clips may join."""
    fake, pool = await blocked_batching(4)
    first, second = (pool.try_submit(silence(1000), p, Priority.CHUNK, group="turn-1") for p in ("a", "b"))
    other = pool.try_submit(silence(1000), "other", Priority.CHUNK, group="turn-9")
    fake.gate.set()
    await asyncio.gather(first.future, second.future, other.future)
    assert fake.batches == [["a", "other"]] and fake.calls[-1] == (1.0, "b")
    await pool.close()


async def test_transcription_runs_below_the_event_loops_cpu_priority():
    from app.voice.priority import thread_nice

    seen: list[int] = []

    class NiceFake(FakeTranscriber):
        def transcribe(self, audio, prompt=None):
            seen.append(thread_nice())
            return super().transcribe(audio, prompt)

    pool = TranscriptionPool(NiceFake(), workers=1, nice=2)
    await pool.try_submit(silence(100), None, Priority.FINAL).future
    await pool.close()
    assert seen == [min(19, thread_nice() + 2)]  # the loop's thread keeps its own
