"""Turn-taking: false cut-offs in thinking pauses and delay after real ends, Viva vs silence only.

Runs Viva's own endpointer (app/voice/endpointing.py) with the real Silero VAD over espeak-ng answers,
frame by frame. For Viva, the pause's words come from the real transcriber, handed to the endpointer
as late as they would arrive live (after the measured transcription time, counted in audio). The
silence-only detector is the same endpointer with the same settings and no words: it ends a turn
after `turn_silence_ms` of silence, whatever was said.

- paused answers: two halves with a pause of 0.4-1.0 s between; a cut-off is a turn ended in it, that is
  before the endpointer has heard the speech go on (the voice detector confirms resumed speech ~100 ms
  after it resumes: a turn closed in that margin is closed on a candidate already talking). A
  cut-off whose speech resumes within the conversation's CONTINUE_WITHIN_MS of the decision is
  *recovered*: live, the reply is withdrawn and the halves are one turn (app/voice/conversation.py);
  the candidate may have heard the interviewer begin. `split` counts the cut-offs left;
- endings: answers that really end; the delay is from the end of speech to the end-of-turn decision.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from speech import RATE, say, silence, speech_end, trim, with_pauses
from stats import summary
from texts import ENDINGS, PAUSED

PAUSES_S = (0.4, 0.6, 0.8, 1.0)
FRAME = RATE * 20 // 1000


@dataclass
class Simulated:
    """What the endpointer decided over one case: the samples at which it ended a turn (reason silence) and at
    which it heard speech start (confirmed, `SpeechStart` emitted)."""

    ends: list[int]
    heard: list[int]


@dataclass
class Case:
    pcm: np.ndarray
    resume: int | None  # sample where speech resumes after the thinking pause (None: no pause)
    pause: float | None
    ends: int  # sample one past the last speech


def cases(speech_dir: Path) -> list[Case]:
    lead = silence(0.5)
    out = []
    for first, second in PAUSED:
        for p in PAUSES_S:
            pcm, spans = with_pauses([say(first, speech_dir), say(second, speech_dir)], [p])
            full = np.concatenate([lead, pcm, silence(3.0)])
            out.append(Case(full, len(lead) + spans[0][1], p, len(lead) + speech_end(pcm)))
    for text in ENDINGS:
        pcm = trim(say(text, speech_dir))
        out.append(Case(np.concatenate([lead, pcm, silence(3.0)]), None, None, len(lead) + len(pcm)))
    return out


def simulate(case: Case, cfg, transcriber, context: dict | None = None, model=None,
             scores: list[float] | None = None, glossary: str = "", pauses: list[dict] | None = None) -> Simulated:
    """When the endpointer decided turn ends (reason silence) and heard speech start. Each chunk is transcribed with the
    prompt a session gives it (`glossary`, the round's vocabulary, and the turn's earlier words). With a turn
    `model`, each pause's score reaches the endpointer as late as it would live (after the measured inference
    time); the scores are appended to `scores`. Each pause is appended to `pauses`: the sample where the voice
    detector ended the speech (`end`), the turn's words then, P(sentence end), the turn model's score, and the
    sample at which resumed speech was heard (`heard`; absent: none followed)."""
    from app.voice.endpointing import Chunk, ChunkCancelled, Endpointer, SpeechEnd, SpeechStart, TurnEnd
    from app.voice.stt.base import Transcript, build_prompt
    from app.voice.vad import SileroVad

    ep = Endpointer(SileroVad(), cfg)
    if context and hasattr(ep, "set_context"):
        ep.set_context(**context)
    texts: dict[tuple[int, int], Transcript] = {}
    hints: list[tuple[int, int, int]] = []  # (apply at sample, turn, index)
    rated: list[tuple[int, int, int, float]] = []  # (apply at sample, turn, index, score)
    ends, heard = [], []
    audio = case.pcm.astype(np.float32) / 32768
    for pos in range(0, len(audio), FRAME):
        for due in [h for h in hints if h[0] <= pos]:
            hints.remove(due)
            _, turn, index = due
            parts = [texts.get((turn, i)) for i in range(index + 1)]
            if None not in parts:
                ep.set_hint(turn, index, " ".join(p.text for p in parts if p.text), parts[-1].end_p)
        for due in [r for r in rated if r[0] <= pos]:
            rated.remove(due)
            ep.set_turn_score(*due[1:])
        for ev in ep.feed(audio[pos : pos + FRAME]):
            if isinstance(ev, Chunk) and transcriber is not None:
                t = time.perf_counter()
                earlier = " ".join(texts[(ev.turn, i)].text for i in range(ev.index) if (ev.turn, i) in texts)
                texts[(ev.turn, ev.index)] = transcriber.transcribe(ev.audio, build_prompt(glossary, earlier))
                took = getattr(transcriber, "took_s", None) or time.perf_counter() - t  # (a replayed time)
                if ev.speculative:
                    hints.append((pos + FRAME + int(took * RATE), ev.turn, ev.index))
                if ev.speculative and model is not None:
                    t = time.perf_counter()
                    p = model.complete(audio[max(ep.turn_start, ev.end_ms * RATE // 1000 - 8 * RATE):
                                             ev.end_ms * RATE // 1000])
                    rated.append((pos + FRAME + int((time.perf_counter() - t) * RATE), ev.turn, ev.index, p))
                    if scores is not None:
                        scores.append(p)
                    if pauses:
                        pauses[-1]["score"] = p
                if ev.speculative and pauses:
                    parts = [texts.get((ev.turn, i)) for i in range(ev.index + 1)]
                    pauses[-1].update(text=" ".join(p.text for p in parts if p and p.text), end_p=parts[-1].end_p)
            elif isinstance(ev, ChunkCancelled):
                texts.pop((ev.turn, ev.index), None)
            elif isinstance(ev, TurnEnd) and ev.reason == "silence":
                ends.append(ev.decided_ms * RATE // 1000)
            elif isinstance(ev, SpeechStart):
                heard.append(pos + FRAME)
                if pauses and "heard" not in pauses[-1]:
                    pauses[-1]["heard"] = pos + FRAME
            elif isinstance(ev, SpeechEnd) and pauses is not None:
                pauses.append({"end": ev.at_ms * RATE // 1000})
    return Simulated(ends, heard)


def score(all_cases: list[Case], decisions: list[Simulated], rejoin_ms: int = 0) -> dict:
    """A paused answer is cut into when a turn ends before the endpointer heard the speech go on (the first speech
    start it confirmed from the resumption on); before 5 Dec, night, only before the speech went on."""
    cut = split = 0
    per_pause: dict[str, list[int]] = {}
    delays = []
    paused = [c for c in all_cases if c.resume is not None]
    for case, decided in zip(all_cases, decisions, strict=True):
        ends = decided.ends
        if case.resume is not None:
            resumed = min((h for h in decided.heard if h >= case.resume), default=case.resume)
            early = [e for e in ends if e < resumed]
            hit = bool(early)
            cut += hit
            split += hit and (resumed - early[-1]) * 1000 / RATE > rejoin_ms
            per_pause.setdefault(f"{case.pause:.1f}", []).append(int(hit))
        after = [e for e in ends if e >= case.ends]
        if after:
            delays.append((after[0] - case.ends) * 1000 / RATE)
    return {"false_cutoff_pct": round(100 * cut / max(1, len(paused)), 1), "paused_answers": len(paused),
            "split_pct": round(100 * split / max(1, len(paused)), 1),
            "cutoff_pct_by_pause_s": {k: round(100 * sum(v) / len(v)) for k, v in sorted(per_pause.items())},
            "end_delay_ms": summary(delays), "missed_ends": sum(1 for d in decisions if not d.ends)}


def run(transcriber, speech_dir: Path, turn_silence_ms: int = 700, word_wait_ms: int = 300,
        context: dict | None = None) -> dict:
    from app.voice.endpointing import EndpointConfig

    all_cases = cases(speech_dir)
    viva_cfg = EndpointConfig(turn_silence_ms=turn_silence_ms, word_wait_ms=word_wait_ms)
    plain_cfg = EndpointConfig(turn_silence_ms=turn_silence_ms, word_wait_ms=0)
    from app.voice.conversation import CONTINUE_WITHIN_MS

    out = {"viva": score(all_cases, [simulate(c, viva_cfg, transcriber, context) for c in all_cases],
                         CONTINUE_WITHIN_MS),
           "viva_open_question": score(all_cases, [simulate(c, viva_cfg, transcriber, {"patient": True})
                                                   for c in all_cases], CONTINUE_WITHIN_MS),
           "silence_only": score(all_cases, [simulate(c, plain_cfg, None) for c in all_cases])}
    out["settings"] = {"turn_silence_ms": turn_silence_ms, "word_wait_ms": word_wait_ms,
                       "pauses_s": list(PAUSES_S), "context": context}
    return out
