"""Is cutting Whisper's encoder window safe? WER and time of the full 30 s window vs the clip plus
`pad` seconds of silence, on every sentence the benchmarks speak (espeak-ng), in-process.

    .venv/bin/python bench/window_accuracy.py [--model tiny.en|base] [--pads 3,2,1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accuracy import wer  # noqa: E402
from speech import say  # noqa: E402
from stats import machine  # noqa: E402
from texts import ANSWERS, CAPACITY, ENDINGS, PAUSED  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--pads", default="3,2,1")
    args = parser.parse_args()
    from app.voice.stt import WhisperTranscriber
    from app.voice.stt.model_path import resolve_stt_model

    texts = list(ANSWERS.values()) + [t for pair in PAUSED for t in pair] + ENDINGS + CAPACITY
    with tempfile.TemporaryDirectory() as tmp:
        clips = [say(t, Path(tmp)).astype("float32") / 32768 for t in texts]
    path = resolve_stt_model(args.model, Path(__file__).resolve().parent.parent / "data")
    print(f"{len(texts)} clips, {sum(len(c) for c in clips) / 16000:.0f} s of speech, model {args.model}; "
          f"load {machine()['load']}")
    for pad in [None] + [float(p) for p in args.pads.split(",")]:
        stt = WhisperTranscriber(path, threads=2, workers=1, pad_s=pad)
        stt.load()
        started = time.perf_counter()
        hyps = [stt.transcribe(c).text for c in clips]
        took = time.perf_counter() - started
        label = "full 30 s window" if pad is None else f"clip + {pad:g} s"
        print(f"  {label:<18} WER {wer(texts, hyps):>5} %   {took:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
