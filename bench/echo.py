"""Echo bench: the interviewer's own voice fed back into the microphone stream, with and without the
candidate talking over it, through the real Silero endpointer, with and without the echo guard.

Interviewer: Piper en_US-joe-medium (espeak-ng when `viva[voice]` is not installed), three replies.
Echo: delayed 60-500 ms, attenuated 6-30 dB, a reflection 60 ms later at -9 dB, background noise.
Candidate (over it, 1.5 s into the reply): the LibriVox recordings (real speech) at 0 and -6 dB.
`false_barge_ins`: speech starts in echo-only streams; `heard_ms`: from the candidate's first sound to the
endpointer's speech start (audio time: what the server decides, before network).

    PYTHONPATH=. python bench/echo.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import real_speech  # noqa: E402
from speech import RATE, say  # noqa: E402
from stats import machine, summary  # noqa: E402

REPLIES = [
    "Tell me how you would design a rate limiter for a public API. Think about bursts and fairness.",
    "Good. What happens to reads while a follower is catching up? Walk me through it.",
    "Let's talk about caching. Where would you put the cache, and how do you keep it fresh?",
]
DELAYS_MS = (60, 150, 300, 500)
LEVELS_DB = (-6, -12, -20, -30)
CANDIDATE_DB = (0, -6)


def interviewer_voice():
    try:
        from app.voice.speaker.piper_voice import PiperSpeaker

        speaker = PiperSpeaker()
        speaker.load()
        return speaker.name, [(speaker.synthesize(t), speaker.sample_rate) for t in REPLIES]
    except Exception:  # noqa: BLE001 - not installed: espeak-ng at 16 kHz
        work = Path("/tmp/viva-bench-speech")
        return "espeak-ng", [(say(t, work), RATE) for t in REPLIES]


def room(played: np.ndarray, delay_ms: int, level_db: float, candidate: np.ndarray | None,
         candidate_db: float, at_s: float = 1.5) -> tuple[np.ndarray, int | None]:
    n = len(played) + RATE
    mic = np.random.default_rng(delay_ms).normal(0, 0.002, n).astype(np.float32)
    gain, d = 10 ** (level_db / 20), delay_ms * RATE // 1000
    mic[d : d + len(played)] += gain * played[: n - d]
    r = d + 960
    mic[r : r + len(played)] += 0.35 * gain * played[: n - r]
    if candidate is None:
        return mic, None
    onset = int(at_s * RATE)
    piece = candidate[: n - onset] * 10 ** (candidate_db / 20)
    mic[onset : onset + len(piece)] += piece
    loud = np.nonzero(np.abs(piece) > 0.02)[0]
    return mic, onset + (int(loud[0]) if len(loud) else 0)


def run_stream(mic: np.ndarray, reference: tuple[np.ndarray, int] | None) -> tuple[list[int], float]:
    from app.voice.echo_guard import EchoGuard
    from app.voice.endpointing import Endpointer, SpeechStart
    from app.voice.vad import SileroVad

    endpointer, guard, starts, spent = Endpointer(SileroVad()), EchoGuard(), [], 0.0
    if reference is not None:
        guard.add_reference(*reference)
    for pos in range(0, len(mic), 320):
        frame = mic[pos : pos + 320]
        if reference is not None:
            t = time.perf_counter()
            frame = guard.clean(frame)
            spent += time.perf_counter() - t
        if any(isinstance(e, SpeechStart) for e in endpointer.feed(frame)):
            starts.append(pos + 320)
    return starts, spent / max(1, len(mic) // 320)


def main() -> int:
    from app.voice.echo_guard import resample

    name, replies = interviewer_voice()
    candidates = [pcm.astype(np.float32) / 32768 for _, pcm in real_speech.clips()[:3]]
    rows, costs = [], []
    alone = []  # the same candidates with no echo and no guard: how soon the endpointer hears them anyway
    for i, (pcm, rate) in enumerate(replies):
        played = resample(pcm.astype(np.float32) / 32768, rate)
        for cdb in CANDIDATE_DB:
            mic, onset = room(played, 60, -200, candidates[i % len(candidates)], cdb)
            starts = [s for s in run_stream(mic, None)[0] if s >= onset - 320]
            if starts:
                alone.append((starts[0] - onset) * 1000 / RATE)
    for delay in DELAYS_MS:
        for level in LEVELS_DB:
            false_plain = false_guard = 0
            heard, missed = [], 0
            for i, (pcm, rate) in enumerate(replies):
                played = resample(pcm.astype(np.float32) / 32768, rate)
                mic, _ = room(played, delay, level, None, 0)
                false_plain += bool(run_stream(mic, None)[0])
                starts, cost = run_stream(mic, (pcm, rate))
                false_guard += bool(starts)
                costs.append(cost * 1e6)
                for cdb in CANDIDATE_DB:
                    mic, onset = room(played, delay, level, candidates[i % len(candidates)], cdb)
                    starts, _ = run_stream(mic, (pcm, rate))
                    after = [s for s in starts if s >= onset - 320]
                    if after:
                        heard.append((after[0] - onset) * 1000 / RATE)
                    else:
                        missed += 1
            rows.append({"delay_ms": delay, "echo_db": level, "replies": len(replies),
                         "false_barge_ins_without_guard": false_plain, "false_barge_ins_with_guard": false_guard,
                         "talk_over": len(replies) * len(CANDIDATE_DB), "missed": missed, "heard_ms": summary(heard)})
    out = {"machine": machine(), "voice": name, "rows": rows, "guard_us_per_20ms_frame": summary(costs),
           "heard_ms_without_echo": summary(alone)}
    print(json.dumps(out, indent=1))
    total = {k: sum(r[k] for r in rows) for k in ("false_barge_ins_without_guard", "false_barge_ins_with_guard",
                                                   "talk_over", "missed")}
    heard = [r["heard_ms"]["p50"] for r in rows if r["heard_ms"]["p50"] is not None]
    print("\n| echo streams | false barge-ins without guard | with guard | talk-overs heard | heard after "
          "(median of cells, worst cell, ms) | same speech, no echo (median ms) |")
    print(f"| --- | --- | --- | --- | --- | --- |\n| {len(rows) * len(replies)} | "
          f"{total['false_barge_ins_without_guard']} | {total['false_barge_ins_with_guard']} | "
          f"{total['talk_over'] - total['missed']} / {total['talk_over']} | "
          f"{float(np.median(heard)):.0f}, {max(heard):.0f} | {out['heard_ms_without_echo']['p50']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
