"""Batched Whisper calls (app/voice/stt/whisper_batch.py) against one call per clip, in-process.

    .venv/bin/python bench/stt_batch.py [--model tiny.en] [--threads 1] [--sizes 1,2,4,8]

The clips are the capacity bench's answers (espeak-ng) and the LibriVox recordings (real_speech.py), with
the kind of prompts sessions send (a round glossary, some with the turn's earlier words, some none).
Prints, per batch size: wall time for all clips (a burst of that many clips queued at once on one worker
is ready after batch size x ms per clip), ms per clip, WER against what was said, and how many transcripts
equal the single call's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import accuracy  # noqa: E402
import real_speech  # noqa: E402
from speech import say  # noqa: E402
from stats import machine  # noqa: E402
from texts import CAPACITY  # noqa: E402

GLOSSARY = "Redis, Kafka, PostgreSQL, idempotency, partition, replication, load balancer."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sizes", default="1,2,4,8")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    from app.voice.stt import WhisperTranscriber
    from app.voice.stt.model_path import resolve_stt_model

    sizes = [int(s) for s in args.sizes.split(",")]
    stt = WhisperTranscriber(resolve_stt_model(args.model, Path("data")), threads=args.threads, batch_size=max(sizes))
    stt.load()
    speech = Path.home() / ".cache" / "viva-bench" / "speech"
    recorded = real_speech.clips()
    refs = list(CAPACITY) + [text for text, _ in recorded]
    clips = [say(t, speech) for t in CAPACITY] + [pcm for _, pcm in recorded]
    clips = [c.astype(np.float32) / 32768 for c in clips]
    prompts = [None if i % 3 == 0 else GLOSSARY + (" We keep the counters in Redis." if i % 3 == 2 else "")
               for i in range(len(clips))]
    single = [stt.transcribe(c, p).text for c, p in zip(clips, prompts, strict=True)]
    print(f"# {len(clips)} clips, {sum(len(c) for c in clips) / 16000:.1f} s of speech; {args.model}, "
          f"{args.threads} thread(s); {machine()}")
    print("| batch | all clips | per clip | WER | same as one call each |")
    print("|---|---|---|---|---|")
    for size in sizes:
        best, texts = float("inf"), []
        for _ in range(args.repeats):
            started, texts = time.perf_counter(), []
            for i in range(0, len(clips), size):
                part = slice(i, i + size)
                if size == 1:
                    texts.append(stt.transcribe(clips[i], prompts[i]).text)
                else:
                    texts += [t.text for t in stt.transcribe_batch(clips[part], prompts[part])]
            best = min(best, time.perf_counter() - started)
        same = sum(a == b for a, b in zip(single, texts, strict=True))
        print(f"| {size} | {best * 1000:.0f} ms | {best / len(clips) * 1000:.0f} ms | {accuracy.wer(refs, texts)} % "
              f"| {same}/{len(clips)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
