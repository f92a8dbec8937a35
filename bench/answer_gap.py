"""The answer gap, live: a real server with the server voice, one session answering at real time.

Paused answers (a thinking pause of 0.4-1.5 s inside; by default each is spoken as one sentence and cut
where the pause goes, `--shape halves` speaks its halves alone) and answers that end, spoken by Piper
(natural intonation; espeak-ng when `viva[voice]` is not installed), streamed to a real `viva serve` (offline
brain, tiny.en) in 20 ms frames at real time. Measured at the client: how often the interviewer's voice
arrives inside a thinking pause (it starts speaking), and from the end of an answer's speech to the
interviewer's first audio frame. Run once with the turn model and once without (VIVA_TURN_MODEL=off).
`--texts independent2` (or independent, independent3 ... independent8) speaks the answers another author wrote,
that no rule was tuned on (bench/turn_model.py), instead of the team's own; 16 answers per interview, one after
another.

    PYTHONPATH=. python bench/answer_gap.py [--texts independent2] [--turn-models off]
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from client import Answer, SessionResult, run_session  # noqa: E402
from server import VivaServer  # noqa: E402
from speech import silence, trim, with_pauses  # noqa: E402
from stats import machine, summary  # noqa: E402
from texts import ENDINGS, PAUSED  # noqa: E402
from turn_model import independent_texts, piper_voice, split_whole  # noqa: E402

PAUSES_S = (0.4, 0.7, 1.0, 1.5)


def answers(voice, paused: list[tuple[str, str]], halves: list[tuple[np.ndarray, np.ndarray]],
            endings: list[str], repeat: int = 1) -> list[Answer]:
    """`halves`: each paused answer's two parts as audio (see main: --shape), said `repeat` times, each time
    with another pause length; an ending after every two or three of them."""
    out = []
    for k, ((first, second), parts) in enumerate(zip(paused * repeat, halves * repeat, strict=True)):
        pause = PAUSES_S[(k + k // len(paused) * 2) % len(PAUSES_S)]
        pcm, spans = with_pauses(list(parts), [pause])
        out.append(Answer(np.concatenate([pcm, silence(0.1)]), f"{first} {second}", gap_s=2.5, pauses=spans))
    said = [Answer(np.concatenate([trim(voice(text)), silence(0.1)]), text, gap_s=2.5) for text in endings]
    step = max(2, len(out) // max(1, len(said)))
    for i, ending in enumerate(said):  # among the paused ones: the interviewer may close the interview
        out.insert(min(len(out), 2 + i * (step + 1)), ending)  # after ~16 answers
    return out


SESSION_ANSWERS = 16  # answers per interview (the offline interviewer may close one after ~16)


def run(turn_model: str, prepare: str, spoken: list[Answer]) -> dict:
    settings = {"tts": "piper", "turn_model": turn_model, "prepare_reply": prepare, "stt_preload": "true",
                "log_level": "info"}
    result = SessionResult()
    with tempfile.TemporaryDirectory() as tmp, VivaServer(Path(tmp), settings) as server:
        for start in range(0, len(spoken), SESSION_ANSWERS):  # one interview after another
            one = asyncio.run(run_session(server.ws_url, server.new_interview(),
                                          spoken[start:start + SESSION_ANSWERS], wait_s=20))
            result.answers += one.answers
            result.errors += one.errors
            result.interrupts += one.interrupts
    paused = [a for a in result.answers if a.answer.pauses]
    gaps = [a.first_audio_ms for a in result.answers if a.first_audio_ms is not None]
    ends = [a.first_audio_ms for a in result.answers if not a.answer.pauses and a.first_audio_ms is not None]
    heard = [a for a in result.answers if a.first_audio_ms is not None and a.speech_to_event_ms is not None]
    # the gap in two: the turn decision (+ final transcript), then the reply and its first audio
    decided = [a.speech_to_event_ms for a in heard]
    voiced = [a.first_audio_ms - a.speech_to_event_ms for a in heard]
    return {"turn_model": turn_model, "prepare_reply": prepare, "answers": len(result.answers), "paused": len(paused),
            "interviewer_starts_in_pause_pct": round(100 * sum(a.spoke_in_pause for a in paused) / max(1, len(paused)),
                                                     1),
            "withdrawn": sum(a.withdrawn for a in result.answers),
            "speech_end_to_first_audio_ms": summary(gaps), "endings_to_first_audio_ms": summary(ends),
            "speech_end_to_transcript_ms": summary(decided), "transcript_to_first_audio_ms": summary(voiced),
            "started_in_pause": [{"said": a.answer.text, "ended_on": a.words_in_pause}  # (pause s, words)
                                 for a in paused if a.spoke_in_pause],
            "interrupts": result.interrupts,
            "slowest_decisions": sorted(((round(a.speech_to_event_ms), a.text) for a in heard), reverse=True)[:4],
            "errors": result.errors}


def main() -> int:
    voice = piper_voice(Path(tempfile.gettempdir()) / "viva-bench-speech" / "piper")
    if voice is None:
        print("the viva[voice] extra is not installed")
        return 1
    import argparse

    parser = argparse.ArgumentParser(description="the answer gap, live")
    parser.add_argument("--turn-models", default="smart-turn,off", help="runs, e.g. off")
    parser.add_argument("--prepare", default="true", help="VIVA_PREPARE_REPLY per run, e.g. true,false")
    parser.add_argument("--shape", choices=("inside", "halves"), default="inside",
                        help="inside: each paused answer spoken as one sentence and cut where the pause goes (the "
                             "intonation of a pause inside a sentence); halves: each half spoken alone (the pause "
                             "follows a sentence's falling pitch)")
    parser.add_argument("--texts", default="team",
                        choices=("team", "independent", *(f"independent{n}" for n in range(2, 9))),
                        help="team: bench/texts.py (each paused answer twice); independentN: the answers another "
                             "author wrote for bench/turn_model.py (each once)")
    args = parser.parse_args()
    if args.texts == "team":
        paused, endings, repeat = PAUSED, ENDINGS, 2
    else:
        paused, endings = independent_texts(args.texts)
        endings, repeat = endings[:max(1, len(paused) // 4)], 1
    if args.shape == "halves":
        halves = [(voice(first), voice(second)) for first, second in paused]
    else:
        from app.voice.stt import WhisperTranscriber
        from app.voice.stt.model_path import bundled_model_path

        stt = WhisperTranscriber(str(bundled_model_path()), threads=1, workers=1)
        stt.load()
        halves = [split_whole(voice, stt, first, second) for first, second in paused]
    spoken = answers(voice, paused, halves, endings, repeat)
    runs = [run(model, prepare, spoken) for prepare in args.prepare.split(",")
            for model in args.turn_models.split(",")]
    print(json.dumps({"machine": machine(), "shape": args.shape, "texts": args.texts, "runs": runs}, indent=1))
    print("\n| turn model | reply prepared in the hold | paused answers | interviewer starts in the pause | "
          "end of speech → first audio mean / p95 ms | endings only | of which: → transcript (the decision) | "
          "transcript → first audio |\n| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in runs:
        g, e = r["speech_end_to_first_audio_ms"], r["endings_to_first_audio_ms"]
        d, v = r["speech_end_to_transcript_ms"], r["transcript_to_first_audio_ms"]
        print(f"| {r['turn_model']} | {r['prepare_reply']} | {r['paused']} | {r['interviewer_starts_in_pause_pct']} % "
              f"| {g['mean']} / {g['p95']} | {e['mean']} / {e['p95']} | {d['mean']} / {d['p95']} | "
              f"{v['mean']} / {v['p95']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
