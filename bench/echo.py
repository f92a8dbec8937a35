"""Echo bench: the interviewer's own voice fed back into the microphone stream, with and without the
candidate talking over it, through the real Silero endpointer, with and without the echo guard.

Interviewer: Piper en_US-joe-medium (espeak-ng when `viva[voice]` is not installed), three replies.
Echo: delayed 60-500 ms, attenuated 6-30 dB, a reflection 60 ms later at -9 dB, background noise.
Candidate (over it, 1.5 s into the reply): the LibriVox recordings (real speech) at 0 and -6 dB.
`false_barge_ins`: speech starts in echo-only streams; `heard_ms`: from the candidate's first sound to the
endpointer's speech start (audio time: what the server decides, before network).

Plus the shapes that hurt the candidate rather than the interviewer:
- a "none" row: headphones (or the browser's echo cancellation took it all): the reference plays, no echo
  comes back, the candidate talks over it;
- the room's barge-in: when the endpointer reports SpeechStart while the reference plays, `guard.stop()`
  ~150 ms later (the round trip of the room's `interrupt`, frontend/js/room.js bargeIn), as the server does;
- `damaged_pct`: of the candidate's voiced 20 ms frames (clean candidate rms > VOICED) from their onset on, the
  share the guard muted or changed by more than ~6 dB (the error against the microphone without the echo, i.e.
  candidate + noise, more than half that frame's rms): "room" with the interrupt, "no interrupt" for a client
  that talks over the reply without stopping it (bench/run.py's latency client);
- "early": a second reply of the same session (the guard saw the first one through the same room), the
  candidate starting 0.4 s into it;
- headphones over the session's first reply: no echo, the candidate (LibriVox, and espeak-ng as
  bench/latency.py speaks) starting 0, 0.3, 0.8 and 1.5 s into it.
Piper's replies are synthesised once and kept in /tmp/viva-bench-speech (its synthesis is not deterministic).

    PYTHONPATH=. python bench/echo.py
"""

from __future__ import annotations

import hashlib
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
        # Piper's synthesis is not deterministic (its noise): the replies are kept once made, so that runs
        # before and after a change of the guard hear the same voice
        key = hashlib.sha1(repr((speaker.name, REPLIES)).encode()).hexdigest()[:16]
        cache = Path("/tmp/viva-bench-speech") / f"piper-{key}.npz"
        if cache.exists():
            kept = np.load(cache)
            return speaker.name, [(kept[f"r{i}"], int(kept["rate"])) for i in range(len(REPLIES))]
        speaker.load()
        out = [(speaker.synthesize(t), speaker.sample_rate) for t in REPLIES]
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, rate=out[0][1], **{f"r{i}": pcm for i, (pcm, _) in enumerate(out)})
        return speaker.name, out
    except Exception:  # noqa: BLE001 - not installed: espeak-ng at 16 kHz
        work = Path("/tmp/viva-bench-speech")
        return "espeak-ng", [(say(t, work), RATE) for t in REPLIES]


VOICED = 0.01  # clean candidate rms above which a 20 ms frame counts as the candidate's voice (~-40 dBFS)
INTERRUPT_MS = 150  # the room's `interrupt` reaches the server this long after its speech_start
EARLY_S = 0.4  # the "early" shape: the candidate starts this far into the session's second reply
GAP_S = 1.0  # between the two replies of that session
HEADPHONE_ONSETS_S = (0.0, 0.3, 0.8, 1.5)  # headphones: the candidate starts this far into the session's first reply
ESPEAK_CANDIDATE = ("We shard by customer id.", "We cache the user profiles because they are read often.")


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0


def room(played: np.ndarray, delay_ms: int, level_db: float, candidate: np.ndarray | None,
         candidate_db: float, at_s: float = 1.5) -> tuple[np.ndarray, int | None, np.ndarray]:
    """The microphone (echo + a reflection + noise, + the candidate from `at_s`), the candidate's first loud
    sample, and the candidate's own track on the same timeline (zeros without one)."""
    n = len(played) + RATE
    mic = np.random.default_rng(delay_ms).normal(0, 0.002, n).astype(np.float32)
    voice = np.zeros(n, dtype=np.float32)
    gain, d = 10 ** (level_db / 20), delay_ms * RATE // 1000
    mic[d : d + len(played)] += gain * played[: n - d]
    r = d + 960
    mic[r : r + len(played)] += 0.35 * gain * played[: n - r]
    if candidate is None:
        return mic, None, voice
    onset = int(at_s * RATE)
    piece = candidate[: n - onset] * 10 ** (candidate_db / 20)
    mic[onset : onset + len(piece)] += piece
    voice[onset : onset + len(piece)] = piece
    loud = np.nonzero(np.abs(piece) > 0.02)[0]
    return mic, onset + (int(loud[0]) if len(loud) else 0), voice


def session(first: np.ndarray, second: np.ndarray, delay_ms: int, level_db: float, candidate: np.ndarray,
            candidate_db: float) -> tuple[np.ndarray, int, np.ndarray, int]:
    """Two replies through the same room, the candidate over the second (EARLY_S into it): the audio, the
    candidate's first loud sample, their track, and the stream sample at which the second reply left."""
    mic1, _, voice1 = room(first, delay_ms, level_db, None, 0)
    gap_n = -(len(mic1) + int(GAP_S * RATE)) % 320 + int(GAP_S * RATE)  # the reply leaves at a frame's start
    gap = np.random.default_rng(delay_ms + 1).normal(0, 0.002, gap_n).astype(np.float32)
    mic2, onset, voice2 = room(second, delay_ms, level_db, candidate, candidate_db, at_s=EARLY_S)
    at = len(mic1) + len(gap)
    return np.concatenate([mic1, gap, mic2]), at + onset, np.concatenate([voice1, 0 * gap, voice2]), at


def run_stream(mic: np.ndarray, references: list[tuple[int, np.ndarray, int]] | None, interrupt: bool = True,
               echo: np.ndarray | None = None, voice: np.ndarray | None = None,
               onset: int = 0) -> tuple[list[int], float, tuple[int, int, int]]:
    """Speech starts, the guard's mean cost per frame (s), and (voiced, damaged, muted) 20 ms frames of the
    candidate from `onset` on. `references`: (stream sample it leaves at, pcm, rate) per reply; `interrupt`:
    the room stops the reply INTERRUPT_MS after a speech start heard while it plays; `echo`: the echo alone in
    `mic` (what a perfect guard takes out); `voice`: the candidate's own track."""
    from app.voice.echo_guard import EchoGuard
    from app.voice.endpointing import Endpointer, SpeechStart
    from app.voice.vad import SileroVad

    endpointer, guard, starts, spent = Endpointer(SileroVad()), EchoGuard(), [], 0.0
    pending = sorted(references or [], key=lambda r: r[0])
    stop_at, voiced, damaged, muted = None, 0, 0, 0
    for pos in range(0, len(mic), 320):
        while pending and pending[0][0] <= pos:
            _, pcm, rate = pending.pop(0)
            guard.add_reference(pcm, rate)
        if stop_at is not None and pos >= stop_at:
            guard.stop()  # the server's answer to the room's `interrupt`
            stop_at = None
        frame = mic[pos : pos + 320]
        if references:
            t = time.perf_counter()
            frame = guard.clean(frame)
            spent += time.perf_counter() - t
        if voice is not None and pos + 320 > onset and _rms(voice[pos : pos + 320]) > VOICED:
            voiced += 1
            want = mic[pos : pos + 320] - (echo[pos : pos + 320] if echo is not None else 0)
            if not np.any(frame):
                muted += 1
                damaged += 1
            elif _rms(frame - want) > 0.5 * _rms(want):  # the error within 6 dB of what should pass
                damaged += 1
        if any(isinstance(e, SpeechStart) for e in endpointer.feed(frame)):
            starts.append(pos + 320)
            if interrupt and references and guard.active and guard.ref.end > guard.pos and stop_at is None:
                stop_at = pos + 320 + INTERRUPT_MS * RATE // 1000
    return starts, spent / max(1, len(mic) // 320), (voiced, damaged, muted)


def _pct(counts: list[tuple[int, int, int]], which: int) -> float | None:
    voiced = sum(c[0] for c in counts)
    return round(100 * sum(c[which] for c in counts) / voiced, 1) if voiced else None


def main() -> int:
    from app.voice.echo_guard import resample

    name, replies = interviewer_voice()
    candidates = [pcm.astype(np.float32) / 32768 for _, pcm in real_speech.clips()[:3]]
    rows, costs = [], []
    alone = []  # the same candidates with no echo and no guard: how soon the endpointer hears them anyway
    played_all = [resample(pcm.astype(np.float32) / 32768, rate) for pcm, rate in replies]
    for i, played in enumerate(played_all):
        for cdb in CANDIDATE_DB:
            mic, onset, _ = room(played, 60, -200, candidates[i % len(candidates)], cdb)
            starts = [s for s in run_stream(mic, None)[0] if s >= onset - 320]
            if starts:
                alone.append((starts[0] - onset) * 1000 / RATE)
    cells = [(d, lv) for d in DELAYS_MS for lv in LEVELS_DB] + [(0, None)]  # None: no echo (headphones)
    for delay, level in cells:
        db = -200 if level is None else level
        false_plain = false_guard = 0
        heard, missed, room_dmg, loose_dmg, early_dmg, early_heard, early_missed = [], 0, [], [], [], [], 0
        early_false = 0
        for i, ((pcm, rate), played) in enumerate(zip(replies, played_all, strict=True)):
            candidate = candidates[i % len(candidates)]
            mic, _, _ = room(played, delay, db, None, 0)
            echo = mic - room(played, delay, -200, None, 0)[0]
            false_plain += bool(run_stream(mic, None)[0])
            starts, cost, _ = run_stream(mic, [(0, pcm, rate)])
            false_guard += bool(starts)
            costs.append(cost * 1e6)
            for cdb in CANDIDATE_DB:
                mic, onset, voice = room(played, delay, db, candidate, cdb)
                starts, cost, counts = run_stream(mic, [(0, pcm, rate)], True, echo, voice, onset)
                costs.append(cost * 1e6)
                room_dmg.append(counts)
                after = [s for s in starts if s >= onset - 320]
                if after:
                    heard.append((after[0] - onset) * 1000 / RATE)
                else:
                    missed += 1
                loose_dmg.append(run_stream(mic, [(0, pcm, rate)], False, echo, voice, onset)[2])
                # the "early" shape: the session's previous reply, then this one with the candidate 0.4 s in
                (prev_pcm, prev_rate), prev = replies[i - 1], played_all[i - 1]
                mic2, onset2, voice2, at = session(prev, played, delay, db, candidate, cdb)
                clean2 = session(prev, played, delay, -200, candidate, cdb)[0]
                starts2, _, counts2 = run_stream(mic2, [(0, prev_pcm, prev_rate), (at, pcm, rate)], True,
                                                 mic2 - clean2, voice2, onset2)
                early_dmg.append(counts2)
                placed = at + int(EARLY_S * RATE)  # the candidate's first sample (their first loud one: onset2)
                early_false += any(s < placed for s in starts2)
                after2 = [s for s in starts2 if s >= placed]
                if after2:
                    early_heard.append(max(0, after2[0] - onset2) * 1000 / RATE)
                else:
                    early_missed += 1
        rows.append({"delay_ms": delay if level is not None else None, "echo_db": level, "replies": len(replies),
                     "false_barge_ins_without_guard": false_plain, "false_barge_ins_with_guard": false_guard,
                     "talk_over": len(replies) * len(CANDIDATE_DB), "missed": missed, "heard_ms": summary(heard),
                     "damaged_pct": _pct(room_dmg, 1), "muted_pct": _pct(room_dmg, 2),
                     "damaged_no_interrupt_pct": _pct(loose_dmg, 1), "early_damaged_pct": _pct(early_dmg, 1),
                     "early_missed": early_missed, "early_false_barge_ins": early_false,
                     "early_heard_ms": summary(early_heard)})
    # headphones: no echo at all, the candidate (LibriVox and espeak-ng, as bench/latency.py speaks) over the
    # session's first reply at several onsets, with the room's interrupt and without
    voices = candidates + [say(t, Path("/tmp/viva-bench-speech")).astype(np.float32) / 32768 for t in ESPEAK_CANDIDATE]
    phones: dict[float, dict] = {}
    for at_s in HEADPHONE_ONSETS_S:
        dmg, loose, heard_hp, missed_hp = [], [], [], 0
        for (pcm, rate), played in zip(replies, played_all, strict=True):
            for voice_pcm in voices:
                mic, onset, voice = room(played, 0, -200, voice_pcm, 0, at_s=at_s)
                starts, _, counts = run_stream(mic, [(0, pcm, rate)], True, None, voice, onset)
                dmg.append(counts)
                loose.append(run_stream(mic, [(0, pcm, rate)], False, None, voice, onset)[2])
                placed = int(at_s * RATE)
                after = [s for s in starts if s >= placed]
                if after:
                    heard_hp.append(max(0, after[0] - onset) * 1000 / RATE)
                else:
                    missed_hp += 1
        phones[at_s] = {"streams": len(dmg), "missed": missed_hp, "heard_ms": summary(heard_hp),
                        "damaged_pct": _pct(dmg, 1), "muted_pct": _pct(dmg, 2),
                        "damaged_no_interrupt_pct": _pct(loose, 1)}
    out = {"machine": machine(), "voice": name, "rows": rows, "headphones_first_reply": phones,
           "guard_us_per_20ms_frame": summary(costs), "heard_ms_without_echo": summary(alone)}
    print(json.dumps(out, indent=1))
    total = {k: sum(r[k] for r in rows) for k in ("false_barge_ins_without_guard", "false_barge_ins_with_guard",
                                                   "talk_over", "missed", "early_false_barge_ins")}
    heard = [r["heard_ms"]["p50"] for r in rows if r["heard_ms"]["p50"] is not None]
    print("\n| echo streams | false barge-ins without guard | with guard | talk-overs heard | heard after "
          "(median of cells, worst cell, ms) | same speech, no echo (median ms) |")
    print(f"| --- | --- | --- | --- | --- | --- |\n| {len(rows) * len(replies)} | "
          f"{total['false_barge_ins_without_guard']} | {total['false_barge_ins_with_guard']} | "
          f"{total['talk_over'] - total['missed']} / {total['talk_over']} | "
          f"{float(np.median(heard)):.0f}, {max(heard):.0f} | {out['heard_ms_without_echo']['p50']} |")
    print("\nPer cell (damaged: % of the candidate's voiced frames muted or changed by > 6 dB, from their onset)\n")
    print("| delay ms | echo dB | false barge-ins (no guard / guard) | heard | heard after p50, max ms | damaged % "
          "room (muted %) | damaged % no interrupt | early: false starts, heard, p50 ms, damaged % |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        t = r["talk_over"]
        print(f"| {r['delay_ms'] if r['delay_ms'] is not None else '-'} | "
              f"{r['echo_db'] if r['echo_db'] is not None else 'none'} | "
              f"{r['false_barge_ins_without_guard']} / {r['false_barge_ins_with_guard']} | "
              f"{t - r['missed']} / {t} | {r['heard_ms']['p50']}, {r['heard_ms']['max']} | "
              f"{r['damaged_pct']} ({r['muted_pct']}) | {r['damaged_no_interrupt_pct']} | "
              f"{r['early_false_barge_ins']}, {t - r['early_missed']} / {t}, {r['early_heard_ms']['p50']}, "
              f"{r['early_damaged_pct']} |")
    print("\nHeadphones (no echo), the candidate over the session's first reply (3 replies x 5 voices per onset)\n")
    print("| onset s | heard | heard after p50, max ms | damaged % room (muted %) | damaged % no interrupt |")
    print("| --- | --- | --- | --- | --- |")
    for at_s, h in phones.items():
        print(f"| {at_s} | {h['streams'] - h['missed']} / {h['streams']} | {h['heard_ms']['p50']}, "
              f"{h['heard_ms']['max']} | {h['damaged_pct']} ({h['muted_pct']}) | {h['damaged_no_interrupt_pct']} |")
    print(f"\nearly shape: {total['early_false_barge_ins']} streams with a speech start before the candidate")
    cost = out["guard_us_per_20ms_frame"]
    print(f"\nguard cost per 20 ms frame: p50 {cost['p50']} us, p95 {cost['p95']} us, max {cost['max']} us "
          f"(mean over each stream)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
