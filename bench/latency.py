"""Transcript lag and reply latency for 2/5/10/20 s answers and answers with pauses, one session."""

from __future__ import annotations

import asyncio
from pathlib import Path

from client import Answer, run_session
from server import VivaServer
from speech import say, with_pauses
from stats import summary
from texts import ANSWERS, PAUSED


def answers(speech_dir: Path, repeats: int) -> list[tuple[str, Answer]]:
    out = []
    for _ in range(repeats):
        for length, text in ANSWERS.items():
            out.append((f"{length} s", Answer(say(text, speech_dir), text, gap_s=2.5)))
        for first, second in PAUSED[:3]:  # paused answers, pause 0.5 s: should not be cut
            pcm, spans = with_pauses([say(first, speech_dir), say(second, speech_dir)], [0.5])
            out.append(("paused", Answer(pcm, f"{first} {second}", gap_s=2.5, pauses=spans)))
    return out


def run(server: VivaServer, speech_dir: Path, repeats: int = 2) -> dict:
    labelled = answers(speech_dir, repeats)
    warm = Answer(say(ANSWERS[2], speech_dir), gap_s=1.0)
    asyncio.run(run_session(server.ws_url, server.new_interview(), [warm]))  # model warm, caches hot
    result = asyncio.run(run_session(server.ws_url, server.new_interview(), [a for _, a in labelled]))
    rows: dict[str, dict] = {}
    for (label, _), got in zip(labelled, result.answers, strict=False):
        row = rows.setdefault(label, {"lag": [], "e2e": [], "reply": [], "cut": 0, "n": 0,
                                      "live": [], "ref": []})
        row["n"] += 1
        row["lag"] += got.final_lag_ms
        if got.speech_to_event_ms is not None:
            row["e2e"].append(got.speech_to_event_ms)
        if got.reply_ms is not None:
            row["reply"].append(got.reply_ms)
        row["cut"] += len(got.transcripts) > 1
        row["live"].append(got.text)
        row["ref"].append(got.answer.text)
    out = {}
    for label, row in rows.items():
        out[label] = {"n": row["n"], "eot_to_final_ms": summary(row["lag"]),
                      "speech_end_to_transcript_ms": summary(row["e2e"]), "reply_ms": summary(row["reply"]),
                      "split_turns": row["cut"], "live": row["live"], "ref": row["ref"]}
    out["_pongs_ms"] = summary(result.pongs_ms)
    out["_errors"] = sorted(set(result.errors))
    return out
